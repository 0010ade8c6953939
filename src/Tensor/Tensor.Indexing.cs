using Tensors.Backends;

namespace Tensors;

// Gather and scatter along a dim by an index tensor (PyTorch's gather, scatter, scatter_add), and the checks every
// index-tensor op shares. The index stays on the tensor's device; its range is checked here, from its min and max:
// one small device-to-host copy, which on CUDA is one synchronisation (what PyTorch's device-side assert costs too).
public sealed partial class Tensor
{
    /// <summary>
    /// PyTorch's <c>gather</c>: out[p] = this[p with p[dim] replaced by index[p]], for every position p of
    /// <paramref name="index"/> (Int64, same rank as this tensor, no larger in any dim but <paramref name="dim"/>);
    /// the result has the index's shape. Its gradient scatters back with <see cref="ScatterAdd"/>.
    /// </summary>
    /// <param name="dim">The dim the index selects along (negative counts from the end).</param>
    /// <param name="index">Int64 indices on this tensor's device, each in 0..size-1 of <paramref name="dim"/>;
    /// checking them costs one device-to-host synchronisation on CUDA.</param>
    public Tensor Gather(int dim, Tensor index)
    {
        const string op = "Gather";
        int d = IndexDim(op, dim, index);
        CheckIndexShape(op, index, this, d, "input", exceptDim: true);
        using var idx = IndexArgument(op, index, Layout.Shape[d], d, int64Only: true, wrapNegative: false);
        return GatherCore(op, d, idx, idx.Layout);
    }

    /// <summary>
    /// PyTorch's <c>scatter</c>: a copy of this tensor with out[p with p[dim] replaced by index[p]] = src[p] for every
    /// position p of <paramref name="index"/> (repeated indices keep one of the values, as in PyTorch).
    /// </summary>
    /// <param name="dim">The dim the index selects along.</param>
    /// <param name="index">Int64 indices on this tensor's device, same rank; no larger than <paramref name="src"/>
    /// in any dim, nor than this tensor in any dim but <paramref name="dim"/>.</param>
    /// <param name="src">The values, of this tensor's dtype.</param>
    public Tensor Scatter(int dim, Tensor index, Tensor src) => ScatterOp("Scatter", ScatterMode.Assign, dim, index, src, inPlace: false);

    /// <summary>PyTorch's <c>scatter</c> with a value: a copy of this tensor with <paramref name="value"/> written at
    /// every position that <paramref name="index"/> names along <paramref name="dim"/>.</summary>
    /// <param name="dim">The dim the index selects along.</param>
    /// <param name="index">Int64 indices on this tensor's device, same rank, no larger than this tensor in any dim
    /// but <paramref name="dim"/>.</param>
    /// <param name="value">The value written, converted to this tensor's dtype.</param>
    public Tensor Scatter(int dim, Tensor index, Scalar value)
    {
        using var src = ValueLike(value, index.Layout.Shape);
        return ScatterOp("Scatter", ScatterMode.Assign, dim, index, src, inPlace: false);
    }

    /// <summary>PyTorch's <c>scatter_add</c>: a copy of this tensor with src[p] added at p with p[dim] replaced by
    /// index[p]; repeated indices accumulate (on CUDA in any order, as in PyTorch).</summary>
    /// <param name="dim">The dim the index selects along.</param>
    /// <param name="index">Int64 indices as for <see cref="Scatter(int, Tensor, Tensor)"/>.</param>
    /// <param name="src">The values added, of this tensor's dtype.</param>
    public Tensor ScatterAdd(int dim, Tensor index, Tensor src) => ScatterOp("ScatterAdd", ScatterMode.Add, dim, index, src, inPlace: false);

    /// <summary><see cref="Scatter(int, Tensor, Tensor)"/> in place (PyTorch's <c>scatter_</c>). Returns this tensor.</summary>
    /// <param name="dim">The dim the index selects along.</param>
    /// <param name="index">Int64 indices as for <see cref="Scatter(int, Tensor, Tensor)"/>.</param>
    /// <param name="src">The values, of this tensor's dtype.</param>
    public Tensor Scatter_(int dim, Tensor index, Tensor src) => ScatterOp("Scatter_", ScatterMode.Assign, dim, index, src, inPlace: true);

    /// <summary><see cref="Scatter(int, Tensor, Scalar)"/> in place. Returns this tensor.</summary>
    /// <param name="dim">The dim the index selects along.</param>
    /// <param name="index">Int64 indices as for <see cref="Scatter(int, Tensor, Scalar)"/>.</param>
    /// <param name="value">The value written.</param>
    public Tensor Scatter_(int dim, Tensor index, Scalar value)
    {
        using var src = ValueLike(value, index.Layout.Shape);
        return ScatterOp("Scatter_", ScatterMode.Assign, dim, index, src, inPlace: true);
    }

    /// <summary><see cref="ScatterAdd"/> in place (PyTorch's <c>scatter_add_</c>). Returns this tensor.</summary>
    /// <param name="dim">The dim the index selects along.</param>
    /// <param name="index">Int64 indices as for <see cref="Scatter(int, Tensor, Tensor)"/>.</param>
    /// <param name="src">The values added, of this tensor's dtype.</param>
    public Tensor ScatterAdd_(int dim, Tensor index, Tensor src) => ScatterOp("ScatterAdd_", ScatterMode.Add, dim, index, src, inPlace: true);

    private Tensor ScatterOp(string op, ScatterMode mode, int dim, Tensor index, Tensor src, bool inPlace)
    {
        int d = IndexDim(op, dim, index);
        SameDevice(op, this, src);
        if (src.DType != DType)
            throw new ArgumentException($"{op}: src is {src.DType.Name()} but the tensor is {DType.Name()}; they must have the same dtype (convert with To(DType.{DType})).");
        if (src.Rank != index.Rank)
            throw new ArgumentException($"{op}: src (shape {Layout.Format(src.Layout.Shape)}) must have as many dims as the index (shape {Layout.Format(index.Layout.Shape)}).");
        CheckIndexShape(op, index, this, d, "self", exceptDim: true);
        CheckIndexShape(op, index, src, d, "src", exceptDim: false);
        if (inPlace) CheckWritable(op, src);
        using var idx = IndexArgument(op, index, Layout.Shape[d], d, int64Only: true, wrapNegative: false);
        return inPlace ? ScatterInto(op, mode, d, idx, idx.Layout, src) : ScatterCore(op, mode, d, idx, idx.Layout, src);
    }

    /// <summary><see cref="Gather"/> with an index the library computed itself (Int64, on this device, in range, the
    /// right shape): no range check, so no device-to-host synchronisation on CUDA.</summary>
    internal Tensor GatherTrusted(string op, int dim, Tensor index) => GatherCore(op, dim, index, index.Layout);

    /// <summary>The gather primitive with its autograd node: out[p] = this[p with p[dim] = idx[p]] over
    /// <paramref name="indexLayout"/> (an expanded layout for IndexSelect).</summary>
    private Tensor GatherCore(string op, int dim, Tensor idx, Layout indexLayout)
    {
        var result = Allocate(indexLayout.Shape, DType, Device);
        Backend.Gather(StorageFor(op), Layout, dim, idx.StorageFor(op), indexLayout, result.Storage, result.Layout);
        return Autograd.ShouldRecord(this) ? result.Record(new Graph.GatherBackward(op + "Backward", this, dim, idx, indexLayout)) : result;
    }

    /// <summary>The scatter primitive into a copy of this tensor, with its autograd node.</summary>
    private Tensor ScatterCore(string op, ScatterMode mode, int dim, Tensor idx, Layout indexLayout, Tensor src)
    {
        var result = Allocate(Layout.Shape, DType, Device);
        Backend.Copy(StorageFor(op), Layout, result.Storage, result.Layout);
        Backend.Scatter(mode, src.StorageFor(op), src.Layout, dim, idx.StorageFor(op), indexLayout, result.Storage, result.Layout);
        return Autograd.ShouldRecord(this, src)
            ? result.Record(new Graph.ScatterBackward(op.TrimEnd('_') + "Backward", mode, this, src, dim, idx, indexLayout))
            : result;
    }

    /// <summary>The scatter primitive into this tensor (checked writable); under autograd, the out-of-place form
    /// rebases this tensor's history.</summary>
    private Tensor ScatterInto(string op, ScatterMode mode, int dim, Tensor idx, Layout indexLayout, Tensor src)
    {
        if (RecordInPlace(op, src, x => x.ScatterCore(op, mode, dim, idx, indexLayout, src), keepsOldValue: false)) return this;
        // Any shared memory is unsafe here (the source's elements land elsewhere), so it is read from a copy.
        Tensor? copy = null;
        if (SharesStorageWith(src))
            using (Autograd.Suspend()) copy = src.Clone();
        using var owned = copy;
        var from = copy ?? src;
        Backend.Scatter(mode, from.StorageFor(op), from.Layout, dim, idx.StorageFor(op), indexLayout, Storage, Layout);
        Storage.BumpVersion();
        return this;
    }

    /// <summary>A stride-0 tensor of <paramref name="shape"/> holding <paramref name="value"/> in this dtype.</summary>
    private Tensor ValueLike(Scalar value, ReadOnlySpan<int> shape)
    {
        using var one = Full([], value, DType, Device);
        return one.BroadcastTo(shape.ToArray());
    }

    private int IndexDim(string op, int dim, Tensor index)
    {
        index.StorageFor(op);
        if (Rank == 0)
            throw new ArgumentException($"{op}: the tensor is 0-d; View(1) it first (and its index too).");
        if (index.Rank != Rank)
            throw new ArgumentException(
                $"{op}: the index (shape {Layout.Format(index.Layout.Shape)}) must have as many dims as the tensor (shape {Layout.Format(Layout.Shape)}).");
        return NormalizeDim(op, dim);
    }

    // index.Shape[k] <= other.Shape[k] for every k (but dim when exceptDim), PyTorch's rule.
    private static void CheckIndexShape(string op, Tensor index, Tensor other, int dim, string name, bool exceptDim)
    {
        for (int k = 0; k < index.Rank; k++)
            if ((!exceptDim || k != dim) && index.Layout.Shape[k] > other.Layout.Shape[k])
                throw new ArgumentException(
                    $"{op}: the index (shape {Layout.Format(index.Layout.Shape)}) must be no larger than {name} (shape {Layout.Format(other.Layout.Shape)}) " +
                    $"in every dim{(exceptDim ? $" but dim {dim}" : "")}; dim {k} is {index.Layout.Shape[k]} > {other.Layout.Shape[k]}.");
    }

    /// <summary>
    /// The index as a new Int64 tensor on this device with every value in 0..size-1 (negative values counting from
    /// the end when <paramref name="wrapNegative"/>), or a clear error. Reads the index's min and max: one small
    /// device-to-host copy, so on CUDA one synchronisation.
    /// </summary>
    internal Tensor IndexArgument(string op, Tensor index, int size, int dim, bool int64Only, bool wrapNegative)
    {
        index.StorageFor(op);
        if (index.DType != DType.Int64 && (int64Only || index.DType != DType.Int32))
            throw new ArgumentException(
                $"{op}: the index must be an {(int64Only ? "Int64" : "Int64 or Int32")} tensor, but it is {index.DType.Name()}; " +
                "convert it with To(DType.Int64) (a Bool mask selects through the indexer or MaskedSelect).");
        if (index.Device != Device)
            throw new InvalidOperationException(
                $"{op}: the index is on {index.Device} but the tensor is on {Device}; indices must be on the tensor's device (move them with To(device)).");
        using var noGrad = Autograd.Suspend();
        var idx = index.DType == DType.Int64 ? index.Detach() : index.To(DType.Int64);
        if (idx.Numel == 0) return idx;
        long lo, hi;
        using (var min = idx.Min())
        using (var max = idx.Max())
        using (var both = Stack([min, max]))
        {
            var mm = both.ToArray<long>();
            (lo, hi) = (mm[0], mm[1]);
        }
        long first = wrapNegative ? -size : 0;
        if (lo < first || hi >= size)
        {
            idx.Dispose();
            throw new IndexOutOfRangeException(
                $"{op}: index {(lo < first ? lo : hi)} is out of range for dim {dim} of size {size} (shape {Layout.Format(Layout.Shape)}); " +
                (size == 0 ? "the dim is empty." : $"valid indices are 0..{size - 1}{(wrapNegative ? $" or {-size}..-1" : "")}."));
        }
        if (lo >= 0) return idx;
        using var negative = idx.Lt(0);
        using var shifted = idx + size;
        var wrapped = Where(negative, shifted, idx);
        idx.Dispose();
        return wrapped;
    }
}
