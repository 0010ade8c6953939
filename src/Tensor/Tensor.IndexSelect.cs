using Tensors.Backends;

namespace Tensors;

// IndexSelect and IndexAdd: Gather and Scatter with a 1-d index expanded (stride 0) across the other dims, so whole
// slices move together (the CPU backend copies contiguous rows as blocks: an embedding lookup, a batch gather).
public sealed partial class Tensor
{
    /// <summary>The entries at <paramref name="indices"/> along <paramref name="dim"/>, copied in that order
    /// (PyTorch's <c>index_select</c> with a host list; negative indices count from the end). Its gradient adds each
    /// entry back at its index.</summary>
    /// <param name="dim">The dim to select along.</param>
    /// <param name="indices">Positions along <paramref name="dim"/>; repeats allowed.</param>
    /// <exception cref="IndexOutOfRangeException">An index is out of range for the dim's size.</exception>
    public Tensor IndexSelect(int dim, params int[] indices)
    {
        const string op = "IndexSelect";
        int? wrapped = NormalizeDimOrScalar(op, dim);
        // A 0-d tensor acts as one element along dim 0; PyTorch returns it as a 0-d copy.
        int size = wrapped is int w ? Layout.Shape[w] : 1;
        var idx = new long[indices.Length];
        for (int i = 0; i < idx.Length; i++)
        {
            idx[i] = indices[i] < 0 ? indices[i] + size : indices[i];
            if (idx[i] < 0 || idx[i] >= size)
                throw new IndexOutOfRangeException($"{op}: index {indices[i]} is out of range for dim {dim} of size {size} (shape {Layout.Format(Layout.Shape)}).");
        }
        if (wrapped is not int d) return Clone();
        // Checked here already: no second range check (the DataLoader's batch gather calls this for every batch).
        using var host = From(idx);
        using var index = OnDevice(host);
        return IndexSelectCore(op, d, index);
    }

    /// <summary>
    /// PyTorch's <c>index_select</c>: the slices at <paramref name="index"/> along <paramref name="dim"/>, in that
    /// order (the result's size along dim is the index's length). Its gradient adds each slice back at its index.
    /// </summary>
    /// <param name="dim">The dim to select along (negative counts from the end).</param>
    /// <param name="index">A 1-d (or 0-d) Int64 or Int32 tensor on this tensor's device, values in 0..size-1;
    /// checking them costs one device-to-host synchronisation on CUDA.</param>
    public Tensor IndexSelect(int dim, Tensor index)
    {
        const string op = "IndexSelect";
        CheckVectorIndex(op, index);
        int? wrapped = NormalizeDimOrScalar(op, dim);
        using var idx = IndexArgument(op, index, wrapped is int w ? Layout.Shape[w] : 1, dim, int64Only: false, wrapNegative: false);
        return wrapped is int d ? IndexSelectCore(op, d, idx) : Clone();
    }

    // A checked Int64 index on this device: Gather with the index expanded across the other dims.
    internal Tensor IndexSelectCore(string op, int dim, Tensor idx)
    {
        var shape = Shape;
        shape[dim] = idx.Numel;
        return GatherCore(op, dim, idx, AlongDim(idx, dim, shape));
    }

    /// <summary>
    /// PyTorch's <c>index_add</c>: a copy of this tensor with alpha * source.Select(dim, i) added at
    /// Select(dim, index[i]) for every i; repeated indices accumulate (on CUDA in any order, as in PyTorch).
    /// </summary>
    /// <param name="dim">The dim the index selects along.</param>
    /// <param name="index">A 1-d (or 0-d) Int64 or Int32 tensor on this tensor's device.</param>
    /// <param name="source">This tensor's shape with size index.Numel along <paramref name="dim"/>, same dtype.</param>
    /// <param name="alpha">The factor applied to <paramref name="source"/>; default null.</param>
    public Tensor IndexAdd(int dim, Tensor index, Tensor source, Scalar? alpha = null) => IndexAddOp("IndexAdd", dim, index, source, alpha, inPlace: false);

    /// <summary><see cref="IndexAdd"/> in place (PyTorch's <c>index_add_</c>). Returns this tensor.</summary>
    /// <param name="dim">The dim the index selects along.</param>
    /// <param name="index">A 1-d (or 0-d) Int64 or Int32 tensor on this tensor's device.</param>
    /// <param name="source">This tensor's shape with size index.Numel along <paramref name="dim"/>, same dtype.</param>
    /// <param name="alpha">The factor applied to <paramref name="source"/>; default null.</param>
    public Tensor IndexAdd_(int dim, Tensor index, Tensor source, Scalar? alpha = null) => IndexAddOp("IndexAdd_", dim, index, source, alpha, inPlace: true);

    private Tensor IndexAddOp(string op, int dim, Tensor index, Tensor source, Scalar? alpha, bool inPlace)
    {
        CheckVectorIndex(op, index);
        SameDevice(op, this, source);
        if (source.DType != DType)
            throw new ArgumentException($"{op}: source is {source.DType.Name()} but the tensor is {DType.Name()}; they must have the same dtype (convert with To(DType.{DType})).");
        if (Rank == 0)
            throw new ArgumentException($"{op}: the tensor is 0-d; View(1) it (and the source) first.");
        int d = NormalizeDim(op, dim);
        var expected = Shape;
        expected[d] = index.Numel;
        if (!source.Layout.Shape.SequenceEqual(expected))
            throw new ArgumentException(
                $"{op}: source has shape {Layout.Format(source.Layout.Shape)} but must be {Layout.Format(expected)} (the tensor's shape {Layout.Format(Layout.Shape)} " +
                $"with dim {dim} the index's length {index.Numel}).");
        if (inPlace) CheckWritable(op, source);
        using var idx = IndexArgument(op, index, Layout.Shape[d], dim, int64Only: false, wrapNegative: false);
        if (alpha is { IsIntegral: false } && !DType.IsFloatingPoint())
            throw new ArgumentException($"{op}: alpha {alpha} must be an integer for a {DType.Name()} tensor.");
        using var src = alpha is { } a && a.ToDouble() != 1 ? source * a : null;
        var values = src ?? source;
        var layout = AlongDim(idx, d, expected);
        return inPlace ? ScatterInto(op, ScatterMode.Add, d, idx, layout, values) : ScatterCore(op, ScatterMode.Add, d, idx, layout, values);
    }

    private static void CheckVectorIndex(string op, Tensor index)
    {
        index.StorageFor(op);
        if (index.Rank > 1)
            throw new ArgumentException($"{op}: the index must be a vector (1-d) or 0-d, but its shape is {Layout.Format(index.Layout.Shape)}.");
    }

    /// <summary>A 1-d (or 0-d) index expanded to <paramref name="shape"/>: its own stride along dim, 0 elsewhere.</summary>
    private static Layout AlongDim(Tensor idx, int dim, int[] shape)
    {
        var strides = new int[shape.Length];
        strides[dim] = idx.Rank == 0 ? 0 : idx.Layout.Strides[0];
        return new Layout(shape, strides, idx.Layout.Offset);
    }
}
