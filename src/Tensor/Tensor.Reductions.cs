using Tensors.Backends;

namespace Tensors;

// Reductions over all elements (no dims given) or over a set of dims, with PyTorch's keepDim.
public sealed partial class Tensor
{
    private int[] ReducedDims(string op, int[]? dims)
    {
        if (dims is null || dims.Length == 0) return Enumerable.Range(0, Rank).ToArray();
        // A 0-d tensor takes dims 0 and -1 and reduces over nothing.
        var norm = new int[dims.Length];
        for (int i = 0; i < dims.Length; i++) norm[i] = NormalizeDimOrScalar(op, dims[i]) ?? 0;
        Array.Sort(norm);
        for (int i = 1; i < norm.Length; i++)
            if (norm[i] == norm[i - 1])
                throw new ArgumentException($"{op}: dims {Layout.Format(dims)} name the same dim twice (shape {Layout.Format(Layout.Shape)}).");
        return Rank == 0 ? [] : norm;
    }

    private Tensor Reduce(ReduceOp op, string name, int[]? dims, bool keepDim, DType dtype)
    {
        CheckAlive(name);
        var reduced = ReducedDims(name, dims);
        bool record = Autograd.ShouldRecord(this) && op is ReduceOp.Sum or ReduceOp.Max or ReduceOp.Min;
        using var noGrad = Autograd.Suspend();
        var keepShape = Shape;
        foreach (var d in reduced)
        {
            if (op is not (ReduceOp.Sum or ReduceOp.Prod) && keepShape[d] == 0)
                throw new ArgumentException($"{name}: cannot reduce over dim {d} of size 0 (shape {Layout.Format(Layout.Shape)}): the reduction has no identity.");
            keepShape[d] = 1;
        }
        using var converted = As(dtype);
        var source = converted.Tensor;
        // Without keepDim the result is allocated in its final shape (a tensor of its own, not a view, so in-place
        // ops on it behave as on any result); the backend writes the same elements through the kept-dims layout.
        var shape = keepDim ? keepShape : keepShape.Where((_, d) => Array.IndexOf(reduced, d) < 0).ToArray();
        var result = Allocate(shape, op is ReduceOp.ArgMax or ReduceOp.ArgMin ? DType.Int64 : dtype, Device);
        var into = keepDim ? result.Layout : Layout.Contiguous(keepShape);
        if (!source.FoldPending(op, reduced, result, into))
            Backend.Reduce(op, source.StorageFor(name), source.Layout, reduced, result.Storage, into);
        if (!record) return result;
        return result.Record(op == ReduceOp.Sum
            ? new Graph.SumBackward(this, reduced, keepDim)
            : new Graph.ExtremumBackward(dims is null ? (op == ReduceOp.Max ? "MaxBackward" : "MinBackward") : (op == ReduceOp.Max ? "AmaxBackward" : "AminBackward"),
                this, result, reduced, keepDim, all: dims is null));
    }

    // Integer and bool sums accumulate in int64, as in PyTorch.
    private DType SumType => DType.IsFloatingPoint() ? DType : DType.Int64;

    /// <summary>The sum of all elements (a 0-d tensor).</summary>
    public Tensor Sum() => Reduce(ReduceOp.Sum, "Sum", null, false, SumType);
    /// <summary>The sum over <paramref name="dim"/>.</summary>
    /// <param name="dim">The dim to reduce (negative counts from the end; a 0-d tensor takes 0 or -1).</param>
    /// <param name="keepDim">Keep each reduced dim with size 1, so that the result broadcasts against this tensor
    /// (PyTorch's <c>keepdim</c>); default <c>false</c> removes them.</param>
    /// <exception cref="ArgumentOutOfRangeException">A dim is out of range for this tensor's rank.</exception>
    public Tensor Sum(int dim, bool keepDim = false) => Reduce(ReduceOp.Sum, "Sum", [dim], keepDim, SumType);
    /// <summary>The sum over several dims.</summary>
    /// <param name="dims">The dims to reduce, each once (negative count from the end); null or empty reduces over all
    /// elements.</param>
    /// <param name="keepDim">Keep each reduced dim with size 1, so that the result broadcasts against this tensor
    /// (PyTorch's <c>keepdim</c>); default <c>false</c> removes them.</param>
    /// <exception cref="ArgumentOutOfRangeException">A dim is out of range for this tensor's rank.</exception>
    /// <exception cref="ArgumentException">A dim appears twice.</exception>
    public Tensor Sum(int[] dims, bool keepDim = false) => Reduce(ReduceOp.Sum, "Sum", dims, keepDim, SumType);

    /// <summary>The mean of all elements (floating-point tensors only).</summary>
    public Tensor Mean() => Mean(null, false);
    /// <summary>The mean over <paramref name="dim"/>.</summary>
    /// <param name="dim">The dim to reduce (negative counts from the end; a 0-d tensor takes 0 or -1).</param>
    /// <param name="keepDim">Keep each reduced dim with size 1, so that the result broadcasts against this tensor
    /// (PyTorch's <c>keepdim</c>); default <c>false</c> removes them.</param>
    /// <exception cref="ArgumentOutOfRangeException">A dim is out of range for this tensor's rank.</exception>
    /// <exception cref="ArgumentException">The dtype is not floating point.</exception>
    public Tensor Mean(int dim, bool keepDim = false) => Mean([dim], keepDim);
    /// <summary>The mean over several dims (all when null or empty).</summary>
    /// <param name="dims">The dims to reduce, each once (negative count from the end); null or empty reduces over all
    /// elements.</param>
    /// <param name="keepDim">Keep each reduced dim with size 1, so that the result broadcasts against this tensor
    /// (PyTorch's <c>keepdim</c>); default <c>false</c> removes them.</param>
    /// <exception cref="ArgumentOutOfRangeException">A dim is out of range for this tensor's rank.</exception>
    /// <exception cref="ArgumentException">A dim appears twice, or the dtype is not floating point.</exception>
    public Tensor Mean(int[]? dims, bool keepDim = false)
    {
        if (!DType.IsFloatingPoint())
            throw new ArgumentException($"Mean: input dtype {DType.Name()} is not floating point; call To(DType.Float32) first.");
        var reduced = ReducedDims("Mean", dims);
        long count = 1;
        foreach (var d in reduced) count *= Layout.Shape[d];
        bool record = Autograd.ShouldRecord(this);
        Tensor mean;
        using (Autograd.Suspend())
        {
            // The sum is a fresh tensor of our own, so it is divided where it lies: one result, one graph node.
            mean = Reduce(ReduceOp.Sum, "Mean", reduced, keepDim, DType);
            mean.Div_((double)count);
        }
        return record ? mean.Record(new Graph.MeanBackward(this, reduced, keepDim, count)) : mean;
    }

    /// <summary>The largest element (NaN if any is NaN).</summary>
    public Tensor Max() => Reduce(ReduceOp.Max, "Max", null, false, DType);
    /// <summary>The largest value over <paramref name="dim"/> (PyTorch's <c>amax</c>).</summary>
    /// <param name="dim">The dim to reduce (negative counts from the end; a 0-d tensor takes 0 or -1).</param>
    /// <param name="keepDim">Keep each reduced dim with size 1, so that the result broadcasts against this tensor
    /// (PyTorch's <c>keepdim</c>); default <c>false</c> removes them.</param>
    /// <exception cref="ArgumentOutOfRangeException">A dim is out of range for this tensor's rank.</exception>
    /// <exception cref="ArgumentException">The dim has size 0 (the maximum of nothing has no value).</exception>
    public Tensor Max(int dim, bool keepDim = false) => Reduce(ReduceOp.Max, "Max", [dim], keepDim, DType);
    /// <summary>The largest value over several dims.</summary>
    /// <param name="dims">The dims to reduce, each once (negative count from the end); null or empty reduces over all
    /// elements.</param>
    /// <param name="keepDim">Keep each reduced dim with size 1, so that the result broadcasts against this tensor
    /// (PyTorch's <c>keepdim</c>); default <c>false</c> removes them.</param>
    /// <exception cref="ArgumentOutOfRangeException">A dim is out of range for this tensor's rank.</exception>
    /// <exception cref="ArgumentException">A dim appears twice, or a reduced dim has size 0.</exception>
    public Tensor Max(int[] dims, bool keepDim = false) => Reduce(ReduceOp.Max, "Max", dims, keepDim, DType);

    /// <summary>The smallest element (NaN if any is NaN).</summary>
    public Tensor Min() => Reduce(ReduceOp.Min, "Min", null, false, DType);
    /// <summary>The smallest value over <paramref name="dim"/> (PyTorch's <c>amin</c>).</summary>
    /// <param name="dim">The dim to reduce (negative counts from the end; a 0-d tensor takes 0 or -1).</param>
    /// <param name="keepDim">Keep each reduced dim with size 1, so that the result broadcasts against this tensor
    /// (PyTorch's <c>keepdim</c>); default <c>false</c> removes them.</param>
    /// <exception cref="ArgumentOutOfRangeException">A dim is out of range for this tensor's rank.</exception>
    /// <exception cref="ArgumentException">The dim has size 0 (the minimum of nothing has no value).</exception>
    public Tensor Min(int dim, bool keepDim = false) => Reduce(ReduceOp.Min, "Min", [dim], keepDim, DType);
    /// <summary>The smallest value over several dims.</summary>
    /// <param name="dims">The dims to reduce, each once (negative count from the end); null or empty reduces over all
    /// elements.</param>
    /// <param name="keepDim">Keep each reduced dim with size 1, so that the result broadcasts against this tensor
    /// (PyTorch's <c>keepdim</c>); default <c>false</c> removes them.</param>
    /// <exception cref="ArgumentOutOfRangeException">A dim is out of range for this tensor's rank.</exception>
    /// <exception cref="ArgumentException">A dim appears twice, or a reduced dim has size 0.</exception>
    public Tensor Min(int[] dims, bool keepDim = false) => Reduce(ReduceOp.Min, "Min", dims, keepDim, DType);

    /// <summary>The flat (row-major) index of the first largest element, as a 0-d Int64 tensor.</summary>
    public Tensor ArgMax() { using var flat = Reshape(-1); return flat.Reduce(ReduceOp.ArgMax, "ArgMax", [0], false, DType); }
    /// <summary>The index of the first largest value along <paramref name="dim"/> (Int64).</summary>
    /// <param name="dim">The dim to search along (negative counts from the end; a 0-d tensor takes 0 or -1 and gives
    /// 0).</param>
    /// <param name="keepDim">Keep each reduced dim with size 1, so that the result broadcasts against this tensor
    /// (PyTorch's <c>keepdim</c>); default <c>false</c> removes them.</param>
    /// <exception cref="ArgumentOutOfRangeException">A dim is out of range for this tensor's rank.</exception>
    /// <exception cref="ArgumentException">The dim has size 0.</exception>
    public Tensor ArgMax(int dim, bool keepDim = false) =>
        NormalizeDimOrScalar("ArgMax", dim) is null ? Zeros([], DType.Int64, Device) : Reduce(ReduceOp.ArgMax, "ArgMax", [dim], keepDim, DType);
    /// <summary>The flat (row-major) index of the first smallest element, as a 0-d Int64 tensor.</summary>
    public Tensor ArgMin() { using var flat = Reshape(-1); return flat.Reduce(ReduceOp.ArgMin, "ArgMin", [0], false, DType); }
    /// <summary>The index of the first smallest value along <paramref name="dim"/> (Int64).</summary>
    /// <param name="dim">The dim to search along (negative counts from the end; a 0-d tensor takes 0 or -1 and gives
    /// 0).</param>
    /// <param name="keepDim">Keep each reduced dim with size 1, so that the result broadcasts against this tensor
    /// (PyTorch's <c>keepdim</c>); default <c>false</c> removes them.</param>
    /// <exception cref="ArgumentOutOfRangeException">A dim is out of range for this tensor's rank.</exception>
    /// <exception cref="ArgumentException">The dim has size 0.</exception>
    public Tensor ArgMin(int dim, bool keepDim = false) =>
        NormalizeDimOrScalar("ArgMin", dim) is null ? Zeros([], DType.Int64, Device) : Reduce(ReduceOp.ArgMin, "ArgMin", [dim], keepDim, DType);
}
