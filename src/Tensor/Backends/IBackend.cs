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
    Storage Allocate(DType dtype, int length);

    /// <summary>Copies raw host bytes (little-endian elements of the storage's dtype) into the storage from element
    /// <paramref name="offset"/>.</summary>
    void CopyFromHost(ReadOnlySpan<byte> source, Storage destination, int offset);

    /// <summary>Copies elements from <paramref name="offset"/> of the storage into host bytes.</summary>
    void CopyToHost(Storage source, int offset, Span<byte> destination);

    /// <summary>Writes <paramref name="value"/> (converted to the storage's dtype: integers exactly from 64 bits,
    /// floats truncating toward zero, "not zero" into Bool) to every element of the layout.</summary>
    void Fill(Storage destination, Layout layout, Scalar value);

    /// <summary>Copies element by element between layouts of one shape, converting dtype when they differ
    /// (floats to integers truncate; to Bool is "not zero").</summary>
    void Copy(Storage source, Layout sourceLayout, Storage destination, Layout destinationLayout);

    /// <summary>destination = op(source).</summary>
    void Unary(UnaryOp op, Storage source, Layout sourceLayout, Storage destination, Layout destinationLayout);

    /// <summary>destination = op(a, b), all of one dtype.</summary>
    void Binary(BinaryOp op, Storage a, Layout aLayout, Storage b, Layout bLayout, Storage destination, Layout destinationLayout);

    /// <summary>destination (Bool) = op(a, b), a and b of one dtype.</summary>
    void Compare(CompareOp op, Storage a, Layout aLayout, Storage b, Layout bLayout, Storage destination, Layout destinationLayout);

    /// <summary>destination = condition ? a : b, with a Bool condition.</summary>
    void Where(Storage condition, Layout conditionLayout, Storage a, Layout aLayout, Storage b, Layout bLayout,
        Storage destination, Layout destinationLayout);

    /// <summary>
    /// Reduces <paramref name="source"/> over <paramref name="dims"/> (sorted, distinct) into a destination whose
    /// shape is the source's with those dims set to 1. ArgMax and ArgMin take exactly one dim and write Int64.
    /// </summary>
    void Reduce(ReduceOp op, Storage source, Layout sourceLayout, ReadOnlySpan<int> dims, Storage destination, Layout destinationLayout);

    /// <summary>
    /// Batched matrix product: a is [..., M, K], b is [..., K, N], destination is [..., M, N] with identical batch
    /// dims (broadcast batches come as stride 0). Any strides are allowed for a and b.
    /// </summary>
    void MatMul(Storage a, Layout aLayout, Storage b, Layout bLayout, Storage destination, Layout destinationLayout);

    /// <summary>Gathers along <paramref name="dim"/>: destination.Select(dim, i) = source.Select(dim, indices[i]).
    /// Indices are already checked to be in range.</summary>
    void IndexSelect(Storage source, Layout sourceLayout, int dim, ReadOnlySpan<int> indices, Storage destination, Layout destinationLayout);

    /// <summary>Scatters along <paramref name="dim"/>, accumulating (IndexSelect's gradient):
    /// destination.Select(dim, indices[i]) += source.Select(dim, i), in order of i, so repeated indices accumulate;
    /// for Bool the sum is a logical or. One dtype; indices are already checked to be in range.</summary>
    void IndexAdd(Storage source, Layout sourceLayout, int dim, ReadOnlySpan<int> indices, Storage destination, Layout destinationLayout);

    /// <summary>
    /// Fills a floating-point layout with random numbers from a counter-based generator: the element at row-major
    /// position i gets the value derived from (<paramref name="seed"/>, <paramref name="counter"/> + i), so every
    /// backend produces the same numbers for the same seed.
    /// </summary>
    void FillRandom(RandomKind kind, ulong seed, ulong counter, Storage destination, Layout layout);
}
