namespace Tensors.Backends;

/// <summary>
/// The whole contract between tensors and a device: a dozen primitives over (storage, layout). Every tensor op is
/// built from these, so a new device implements only this interface.
/// <para>Conventions: operands of an elementwise primitive share the destination's shape (broadcast operands come
/// as stride-0 layouts); all storages of one call belong to this backend; the destination never partially overlaps
/// an input (it may be exactly the same elements, for in-place ops); dtypes are already promoted. Allocate, the host
/// transfers, Fill and Copy take every dtype; the other primitives only kernel dtypes (<see cref="DTypes.KernelType"/>:
/// tensors run float16, bfloat16, int8 and int16 through <c>WideningBackend</c>, which widens them first).</para>
/// </summary>
public interface IBackend
{
    /// <summary>The device whose memory this backend owns.</summary>
    Device Device { get; }

    /// <summary>A new storage; its contents are unspecified (like <c>torch.empty</c>) until written.</summary>
    /// <param name="dtype">The element type.</param>
    /// <param name="length">The number of elements, 0 or more.</param>
    Storage Allocate(DType dtype, int length);

    /// <summary>Copies raw host bytes (little-endian elements of the storage's dtype) into the storage from element
    /// <paramref name="offset"/>.</summary>
    /// <param name="source">The bytes to copy: a whole number of elements of the destination's dtype.</param>
    /// <param name="destination">The storage written to, owned by this backend.</param>
    /// <param name="offset">The element of <paramref name="destination"/> the first byte goes to.</param>
    void CopyFromHost(ReadOnlySpan<byte> source, Storage destination, int offset);

    /// <summary>Copies elements from <paramref name="offset"/> of the storage into host bytes.</summary>
    /// <param name="source">The storage read from, owned by this backend.</param>
    /// <param name="offset">The first element of <paramref name="source"/> to copy.</param>
    /// <param name="destination">The host bytes to fill; its length says how many elements are copied.</param>
    void CopyToHost(Storage source, int offset, Span<byte> destination);

    /// <summary>Writes <paramref name="value"/> (converted to the storage's dtype: integers exactly from 64 bits,
    /// floats truncating toward zero, "not zero" into Bool) to every element of the layout.</summary>
    /// <param name="destination">The storage written to, owned by this backend.</param>
    /// <param name="layout">The shape, strides and offset of the elements to write in its storage.</param>
    /// <param name="value">The value to write.</param>
    void Fill(Storage destination, Layout layout, Scalar value);

    /// <summary>Copies element by element between layouts of one shape, converting dtype when they differ
    /// (floats to integers truncate; to Bool is "not zero").</summary>
    /// <param name="source">The storage read from, owned by this backend.</param>
    /// <param name="sourceLayout">The shape, strides and offset of the source elements in its storage.</param>
    /// <param name="destination">The storage written to, owned by this backend.</param>
    /// <param name="destinationLayout">The shape, strides and offset of the destination elements (the source layout's
    /// shape) in its storage.</param>
    void Copy(Storage source, Layout sourceLayout, Storage destination, Layout destinationLayout);

    /// <summary>destination = op(source).</summary>
    /// <param name="op">The function to apply.</param>
    /// <param name="source">The storage read from, owned by this backend.</param>
    /// <param name="sourceLayout">The shape, strides and offset of the input in its storage.</param>
    /// <param name="destination">The storage written to, owned by this backend.</param>
    /// <param name="destinationLayout">The shape, strides and offset of the result (the input's shape and dtype) in its
    /// storage.</param>
    void Unary(UnaryOp op, Storage source, Layout sourceLayout, Storage destination, Layout destinationLayout);

    /// <summary>destination = op(a, b), all of one dtype.</summary>
    /// <param name="op">The function to apply.</param>
    /// <param name="a">The left operand's storage.</param>
    /// <param name="aLayout">The shape, strides and offset of the left operand (the destination's shape; stride 0 where
    /// broadcast) in its storage.</param>
    /// <param name="b">The right operand's storage.</param>
    /// <param name="bLayout">The shape, strides and offset of the right operand (the destination's shape; stride 0
    /// where broadcast) in its storage.</param>
    /// <param name="destination">The storage written to, owned by this backend.</param>
    /// <param name="destinationLayout">The shape, strides and offset of the result in its storage.</param>
    void Binary(BinaryOp op, Storage a, Layout aLayout, Storage b, Layout bLayout, Storage destination, Layout destinationLayout);

    /// <summary>destination (Bool) = op(a, b), a and b of one dtype.</summary>
    /// <param name="op">The comparison.</param>
    /// <param name="a">The left operand's storage.</param>
    /// <param name="aLayout">The shape, strides and offset of the left operand (the destination's shape) in its
    /// storage.</param>
    /// <param name="b">The right operand's storage, of a's dtype.</param>
    /// <param name="bLayout">The shape, strides and offset of the right operand (the destination's shape) in its
    /// storage.</param>
    /// <param name="destination">The Bool storage written to.</param>
    /// <param name="destinationLayout">The shape, strides and offset of the result in its storage.</param>
    void Compare(CompareOp op, Storage a, Layout aLayout, Storage b, Layout bLayout, Storage destination, Layout destinationLayout);

    /// <summary>destination = condition ? a : b, with a Bool condition.</summary>
    /// <param name="condition">The Bool storage that chooses.</param>
    /// <param name="conditionLayout">The shape, strides and offset of the condition (the destination's shape) in its
    /// storage.</param>
    /// <param name="a">The values taken where the condition is true.</param>
    /// <param name="aLayout">The shape, strides and offset of a (the destination's shape) in its storage.</param>
    /// <param name="b">The values taken where the condition is false, of a's dtype.</param>
    /// <param name="bLayout">The shape, strides and offset of b (the destination's shape) in its storage.</param>
    /// <param name="destination">The storage written to, owned by this backend.</param>
    /// <param name="destinationLayout">The shape, strides and offset of the result in its storage.</param>
    void Where(Storage condition, Layout conditionLayout, Storage a, Layout aLayout, Storage b, Layout bLayout,
        Storage destination, Layout destinationLayout);

    /// <summary>
    /// Reduces <paramref name="source"/> over <paramref name="dims"/> (sorted, distinct) into a destination whose
    /// shape is the source's with those dims set to 1. ArgMax and ArgMin take exactly one dim and write Int64.
    /// </summary>
    /// <param name="op">The reduction.</param>
    /// <param name="source">The storage read from, owned by this backend.</param>
    /// <param name="sourceLayout">The shape, strides and offset of the input in its storage.</param>
    /// <param name="dims">The dims to reduce, sorted and distinct.</param>
    /// <param name="destination">The storage written to, owned by this backend.</param>
    /// <param name="destinationLayout">The shape, strides and offset of the result (the source's shape with the reduced
    /// dims of size 1) in its storage.</param>
    void Reduce(ReduceOp op, Storage source, Layout sourceLayout, ReadOnlySpan<int> dims, Storage destination, Layout destinationLayout);

    /// <summary>
    /// Inclusive scan along <paramref name="dim"/>: destination[.., k, ..] = op(source[.., 0, ..], ..,
    /// source[.., k, ..]), source and destination of one shape and one dtype (the tensor layer promotes integers to
    /// Int64 first). Floating-point sums may accumulate in a wider type.
    /// </summary>
    /// <param name="op">The running operation (sum or product).</param>
    /// <param name="source">The storage read from, owned by this backend.</param>
    /// <param name="sourceLayout">The shape, strides and offset of the input in its storage.</param>
    /// <param name="dim">The dim to scan along, 0..rank-1.</param>
    /// <param name="destination">The storage written to, owned by this backend.</param>
    /// <param name="destinationLayout">The shape, strides and offset of the result (the source's shape) in its
    /// storage.</param>
    void Scan(ScanOp op, Storage source, Layout sourceLayout, int dim, Storage destination, Layout destinationLayout);

    /// <summary>
    /// Stable sort along <paramref name="dim"/>: each row of the source, ascending (or descending), into
    /// <paramref name="values"/> (the source's dtype) and <paramref name="indices"/> (Int64 positions along dim in
    /// the source), all of one shape. Equal values keep their order; NaN sorts above every number (and NaNs keep
    /// their order among themselves).
    /// </summary>
    /// <param name="source">The storage read from, owned by this backend.</param>
    /// <param name="sourceLayout">The shape, strides and offset of the input in its storage.</param>
    /// <param name="dim">The dim to sort along, 0..rank-1.</param>
    /// <param name="descending">Largest first when true.</param>
    /// <param name="values">The storage for the sorted values, of the source's dtype.</param>
    /// <param name="valuesLayout">The shape, strides and offset of the values (the source's shape) in its
    /// storage.</param>
    /// <param name="indices">The Int64 storage for the positions.</param>
    /// <param name="indicesLayout">The shape, strides and offset of the positions (the source's shape) in its
    /// storage.</param>
    void Sort(Storage source, Layout sourceLayout, int dim, bool descending, Storage values, Layout valuesLayout,
        Storage indices, Layout indicesLayout);

    /// <summary>
    /// Batched matrix product: a is [..., M, K], b is [..., K, N], destination is [..., M, N] with identical batch
    /// dims (broadcast batches come as stride 0). Any strides are allowed for a and b.
    /// </summary>
    /// <param name="a">The left matrices' storage.</param>
    /// <param name="aLayout">The shape, strides and offset of a, [..., M, K] in its storage.</param>
    /// <param name="b">The right matrices' storage, of a's dtype.</param>
    /// <param name="bLayout">The shape, strides and offset of b, [..., K, N] in its storage.</param>
    /// <param name="destination">The storage written to, owned by this backend.</param>
    /// <param name="destinationLayout">The shape, strides and offset of the product, [..., M, N] in its
    /// storage.</param>
    void MatMul(Storage a, Layout aLayout, Storage b, Layout bLayout, Storage destination, Layout destinationLayout);

    /// <summary>
    /// PyTorch's <c>gather</c>: for every position p of the index's shape,
    /// destination[p] = source[p with p[dim] replaced by index[p]]. <paramref name="index"/> is Int64 and its layout
    /// has the destination's shape (a stride-0 index gathers whole slices: IndexSelect, an embedding lookup); the
    /// source has the same rank, at least the index's size in every dim but <paramref name="dim"/>. Indices are
    /// already checked to be in 0..source.Shape[dim]-1.
    /// </summary>
    /// <param name="source">The storage read from, owned by this backend.</param>
    /// <param name="sourceLayout">The shape, strides and offset of the input in its storage.</param>
    /// <param name="dim">The dim the indices select along, 0..rank-1.</param>
    /// <param name="index">The Int64 positions, already checked.</param>
    /// <param name="indexLayout">The shape, strides and offset of the index (the destination's shape) in its
    /// storage.</param>
    /// <param name="destination">The storage written to, owned by this backend.</param>
    /// <param name="destinationLayout">The shape, strides and offset of the result in its storage.</param>
    void Gather(Storage source, Layout sourceLayout, int dim, Storage index, Layout indexLayout, Storage destination, Layout destinationLayout);

    /// <summary>
    /// PyTorch's <c>scatter_</c> / <c>scatter_add_</c>: for every position p of the index's shape,
    /// destination[p with p[dim] replaced by index[p]] = (or +=, by <paramref name="mode"/>) source[p].
    /// <paramref name="index"/> is Int64 with the shape of the positions it scatters; source and destination have
    /// its rank and at least its size in every dim (but <paramref name="dim"/> for the destination). Add
    /// accumulates repeated indices (a logical or for Bool; float sums may come in any order); Assign with
    /// repeated indices keeps one of the values. Source and destination share a dtype; indices are already checked.
    /// </summary>
    /// <param name="mode">Assign or Add.</param>
    /// <param name="source">The storage read from, owned by this backend.</param>
    /// <param name="sourceLayout">The shape, strides and offset of the values to scatter in its storage.</param>
    /// <param name="dim">The dim the indices address, 0..rank-1.</param>
    /// <param name="index">The Int64 positions, already checked.</param>
    /// <param name="indexLayout">The shape, strides and offset of the index in its storage.</param>
    /// <param name="destination">The storage written to, owned by this backend.</param>
    /// <param name="destinationLayout">The shape, strides and offset of the tensor scattered into in its
    /// storage.</param>
    void Scatter(ScatterMode mode, Storage source, Layout sourceLayout, int dim, Storage index, Layout indexLayout,
        Storage destination, Layout destinationLayout);

    /// <summary>
    /// Fills a floating-point layout with random numbers from a counter-based generator: the element at row-major
    /// position i gets the value derived from (<paramref name="seed"/>, <paramref name="counter"/> + i), so every
    /// backend produces the same numbers for the same seed.
    /// </summary>
    /// <param name="kind">The distribution (uniform on [0, 1) or standard normal).</param>
    /// <param name="seed">The generator's seed.</param>
    /// <param name="counter">The counter of the first element: the generator's position in its stream.</param>
    /// <param name="destination">The floating-point storage written to.</param>
    /// <param name="layout">The shape, strides and offset of the elements to write in its storage.</param>
    void FillRandom(RandomKind kind, ulong seed, ulong counter, Storage destination, Layout layout);
}
