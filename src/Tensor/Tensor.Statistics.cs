using Tensors.Backends;

namespace Tensors;

// Products, logical reductions and the statistics built on the reductions: Prod, Any, All, Var, Std, Norm, LogSumExp.
public sealed partial class Tensor
{
    /// <summary>The product of all elements (a 0-d tensor; integers and Bool give Int64, as in PyTorch). Its gradient
    /// is right where elements are zero (the product of the others).</summary>
    public Tensor Prod() => Prod("Prod", null, false);

    /// <summary>The product over <paramref name="dim"/> (PyTorch's <c>prod(dim, keepdim)</c>).</summary>
    /// <param name="dim">The dim to reduce (negative counts from the end; a 0-d tensor takes 0 or -1).</param>
    /// <param name="keepDim">Keep each reduced dim with size 1, so that the result broadcasts against this tensor
    /// (PyTorch's <c>keepdim</c>); default <c>false</c> removes them.</param>
    /// <exception cref="ArgumentOutOfRangeException">A dim is out of range for this tensor's rank.</exception>
    public Tensor Prod(int dim, bool keepDim = false) => Prod("Prod", [dim], keepDim);

    private Tensor Prod(string name, int[]? dims, bool keepDim)
    {
        var result = Reduce(ReduceOp.Prod, name, dims, keepDim, SumType);
        return Autograd.ShouldRecord(this) ? result.Record(new Graph.ProdBackward(this, dims is null ? null : ReducedDims(name, dims), keepDim)) : result;
    }

    /// <summary>True when any element is non-zero (a 0-d Bool tensor; UInt8 in gives UInt8, as in PyTorch).</summary>
    public Tensor Any() => Logical("Any", all: false, null, false);
    /// <summary>Whether any element along <paramref name="dim"/> is non-zero.</summary>
    /// <param name="dim">The dim to test along (negative counts from the end; a 0-d tensor takes 0 or -1).</param>
    /// <param name="keepDim">Keep each reduced dim with size 1, so that the result broadcasts against this tensor
    /// (PyTorch's <c>keepdim</c>); default <c>false</c> removes them.</param>
    /// <returns>A Bool tensor (UInt8 for a UInt8 input); false along a dim of size 0.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A dim is out of range for this tensor's rank.</exception>
    public Tensor Any(int dim, bool keepDim = false) => Logical("Any", all: false, [dim], keepDim);

    /// <summary>True when every element is non-zero (a 0-d Bool tensor; UInt8 in gives UInt8, as in PyTorch).</summary>
    public Tensor All() => Logical("All", all: true, null, false);
    /// <summary>Whether every element along <paramref name="dim"/> is non-zero.</summary>
    /// <param name="dim">The dim to test along (negative counts from the end; a 0-d tensor takes 0 or -1).</param>
    /// <param name="keepDim">Keep each reduced dim with size 1, so that the result broadcasts against this tensor
    /// (PyTorch's <c>keepdim</c>); default <c>false</c> removes them.</param>
    /// <returns>A Bool tensor (UInt8 for a UInt8 input); true along a dim of size 0.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A dim is out of range for this tensor's rank.</exception>
    public Tensor All(int dim, bool keepDim = false) => Logical("All", all: true, [dim], keepDim);

    // Any is the maximum and All the minimum over Bool; over nothing they are false and true.
    private Tensor Logical(string name, bool all, int[]? dims, bool keepDim)
    {
        using var noGrad = Autograd.Suspend();
        var reduced = ReducedDims(name, dims);
        Tensor result;
        if (reduced.Any(d => Layout.Shape[d] == 0))
        {
            var shape = KeptShape(reduced);
            if (!keepDim) shape = shape.Where((_, i) => !reduced.Contains(i)).ToArray();
            result = Full(shape, all, DType.Bool, Device);
        }
        else
        {
            using var b = DType == DType.Bool ? ViewAs(name) : Ne(0);
            result = b.Reduce(all ? ReduceOp.Min : ReduceOp.Max, name, dims, keepDim, DType.Bool);
        }
        if (DType != DType.UInt8) return result;
        using (result) return result.To(DType.UInt8);
    }

    /// <summary>The variance over <paramref name="dims"/> (all elements when null or empty), with Bessel's correction
    /// by default (PyTorch's <c>var</c>): the sum of squared deviations over max(0, N - <paramref name="correction"/>);
    /// <c>correction: 0</c> is PyTorch's <c>unbiased=False</c>.</summary>
    /// <param name="dims">The dims to reduce; default null, all elements.</param>
    /// <param name="correction">Subtracted from the element count N in the denominator (PyTorch's <c>correction</c>);
    /// default 1, Bessel's correction (PyTorch's <c>unbiased=True</c>); 0 gives the population statistic.</param>
    /// <param name="keepDim">Keep each reduced dim with size 1, so that the result broadcasts against this tensor
    /// (PyTorch's <c>keepdim</c>); default <c>false</c> removes them.</param>
    /// <exception cref="ArgumentException">The dtype is not floating point, or a dim appears twice.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="correction"/> is negative, or a dim is out of
    /// range.</exception>
    public Tensor Var(int[]? dims = null, int correction = 1, bool keepDim = false) => Variance("Var", dims, correction, keepDim);
    /// <summary>The variance over <paramref name="dim"/>.</summary>
    /// <param name="dim">The dim to reduce (negative counts from the end).</param>
    /// <param name="correction">Subtracted from the element count N in the denominator (PyTorch's <c>correction</c>);
    /// default 1, Bessel's correction (PyTorch's <c>unbiased=True</c>); 0 gives the population statistic.</param>
    /// <param name="keepDim">Keep each reduced dim with size 1, so that the result broadcasts against this tensor
    /// (PyTorch's <c>keepdim</c>); default <c>false</c> removes them.</param>
    /// <exception cref="ArgumentException">The dtype is not floating point, or a dim appears twice.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="correction"/> is negative, or a dim is out of
    /// range.</exception>
    public Tensor Var(int dim, int correction = 1, bool keepDim = false) => Var([dim], correction, keepDim);

    /// <summary>The standard deviation over <paramref name="dim"/>.</summary>
    /// <param name="dim">The dim to reduce (negative counts from the end).</param>
    /// <param name="correction">Subtracted from the element count N in the denominator (PyTorch's <c>correction</c>);
    /// default 1, Bessel's correction (PyTorch's <c>unbiased=True</c>); 0 gives the population statistic.</param>
    /// <param name="keepDim">Keep each reduced dim with size 1, so that the result broadcasts against this tensor
    /// (PyTorch's <c>keepdim</c>); default <c>false</c> removes them.</param>
    /// <exception cref="ArgumentException">The dtype is not floating point, or a dim appears twice.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="correction"/> is negative, or a dim is out of
    /// range.</exception>
    public Tensor Std(int dim, int correction = 1, bool keepDim = false) => Std([dim], correction, keepDim);
    /// <summary>The standard deviation over <paramref name="dims"/> (all elements when null or empty): the square
    /// root of <see cref="Var(int[], int, bool)"/>.</summary>
    /// <param name="dims">The dims to reduce; default null, all elements.</param>
    /// <param name="correction">Subtracted from the element count N in the denominator (PyTorch's <c>correction</c>);
    /// default 1, Bessel's correction (PyTorch's <c>unbiased=True</c>); 0 gives the population statistic.</param>
    /// <param name="keepDim">Keep each reduced dim with size 1, so that the result broadcasts against this tensor
    /// (PyTorch's <c>keepdim</c>); default <c>false</c> removes them.</param>
    /// <exception cref="ArgumentException">The dtype is not floating point, or a dim appears twice.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="correction"/> is negative, or a dim is out of
    /// range.</exception>
    public Tensor Std(int[]? dims = null, int correction = 1, bool keepDim = false)
    {
        using var v = Variance("Std", dims, correction, keepDim);
        return v.Sqrt();
    }

    private Tensor Variance(string name, int[]? dims, int correction, bool keepDim)
    {
        RequireFloat(name);
        if (correction < 0)
            throw new ArgumentOutOfRangeException(nameof(correction), correction, $"{name}: correction must be 0 or more.");
        using var scope = NewDisposeScope();
        var reduced = ReducedDims(name, dims);
        long count = 1;
        foreach (var d in reduced) count *= Layout.Shape[d];
        var deviation = this - Mean(reduced, keepDim: true);
        var squares = (deviation * deviation).Sum(reduced, keepDim);
        return scope.MoveToOuter(squares / (double)Math.Max(0, count - correction));
    }

    /// <summary>The vector <paramref name="p"/>-norm of all elements or over <paramref name="dims"/> (PyTorch's
    /// <c>torch.norm</c> / <c>linalg.vector_norm</c>): (Σ|x|^p)^(1/p); p = 2 by default, 1, 0 (the count of non-zero
    /// elements), <see cref="double.PositiveInfinity"/> (max |x|), <see cref="double.NegativeInfinity"/> (min |x|),
    /// or any other p. Its gradient is 0 where the norm is 0, as PyTorch's.</summary>
    /// <param name="p">The order of the norm (PyTorch's <c>ord</c>/<c>p</c>): default 2 (Euclidean), 1, 0, ±infinity,
    /// or any other number.</param>
    /// <param name="dims">The dims to reduce; default null, all elements (the vector norm of the flattened
    /// tensor).</param>
    /// <param name="keepDim">Keep each reduced dim with size 1, so that the result broadcasts against this tensor
    /// (PyTorch's <c>keepdim</c>); default <c>false</c> removes them.</param>
    /// <exception cref="ArgumentException">The dtype is not floating point, <paramref name="p"/> is NaN, a dim appears
    /// twice, or p is infinite and a reduced dim is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A dim is out of range for this tensor's rank.</exception>
    public Tensor Norm(double p = 2, int[]? dims = null, bool keepDim = false)
    {
        const string name = "Norm";
        RequireFloat(name);
        if (double.IsNaN(p)) throw new ArgumentException($"{name}: p is NaN; give a number or ±infinity.", nameof(p));
        var reduced = ReducedDims(name, dims);
        Tensor result;
        using (Autograd.Suspend())
        {
            using var a = Abs();
            if (double.IsInfinity(p) && reduced.Any(d => Layout.Shape[d] == 0))
                throw new ArgumentException($"{name}: the {p}-norm over an empty dim of shape {Layout.Format(Layout.Shape)} has no value.");
            if (p == double.PositiveInfinity) result = a.Max(reduced, keepDim);
            else if (p == double.NegativeInfinity) result = a.Min(reduced, keepDim);
            else if (p == 0) { using var nz = Ne(0); using var n = nz.Sum(reduced, keepDim); result = n.To(DType); }
            else if (p == 1) result = a.Sum(reduced, keepDim);
            else if (p == 2) { using var sq = a * a; using var s = sq.Sum(reduced, keepDim); result = s.Sqrt(); }
            else { using var pw = a.Pow(p); using var s = pw.Sum(reduced, keepDim); result = s.Pow(1 / p); }
        }
        return Autograd.ShouldRecord(this) ? result.Record(new Graph.NormBackward(this, result, p, reduced, keepDim)) : result;
    }

    /// <summary>The norm over one dim.</summary>
    /// <param name="p">The order of the norm (PyTorch's <c>ord</c>/<c>p</c>): 2 (Euclidean), 1, 0, ±infinity, or any
    /// other number.</param>
    /// <param name="dim">The dim to reduce (negative counts from the end).</param>
    /// <param name="keepDim">Keep each reduced dim with size 1, so that the result broadcasts against this tensor
    /// (PyTorch's <c>keepdim</c>); default <c>false</c> removes them.</param>
    /// <exception cref="ArgumentException">The dtype is not floating point, <paramref name="p"/> is NaN, a dim appears
    /// twice, or p is infinite and a reduced dim is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A dim is out of range for this tensor's rank.</exception>
    public Tensor Norm(double p, int dim, bool keepDim = false) => Norm(p, [dim], keepDim);

    /// <summary>log Σ exp(x) over <paramref name="dims"/> (all when null or empty), computed stably: the maximum is
    /// subtracted first (PyTorch's <c>logsumexp</c>; its gradient is the softmax). Integers and Bool give Float32.</summary>
    /// <param name="dims">The dims to reduce, each once (negative count from the end); null or empty reduces over all
    /// elements.</param>
    /// <param name="keepDim">Keep each reduced dim with size 1, so that the result broadcasts against this tensor
    /// (PyTorch's <c>keepdim</c>); default <c>false</c> removes them.</param>
    /// <exception cref="ArgumentOutOfRangeException">A dim is out of range for this tensor's rank.</exception>
    /// <exception cref="ArgumentException">A dim appears twice.</exception>
    public Tensor LogSumExp(int[]? dims, bool keepDim = false)
    {
        const string name = "LogSumExp";
        if (!DType.IsFloatingPoint())
        {
            using var asFloat = To(DType.Float32);
            return asFloat.LogSumExp(dims, keepDim);
        }
        using var scope = NewDisposeScope();
        var reduced = ReducedDims(name, dims);
        Tensor shift;
        using (Autograd.Suspend())
        {
            // An infinite maximum would make x - max NaN; PyTorch shifts by 0 there instead. Empty dims shift by 0.
            var max = reduced.Any(d => Layout.Shape[d] == 0) ? Zeros(KeptShape(reduced), DType, Device) : Max(reduced, keepDim: true);
            shift = Where(max.Abs().Eq(double.PositiveInfinity), 0.0, max);
        }
        var sum = (this - shift).Exp().Sum(reduced, keepDim: true);
        var result = sum.Log() + shift;
        return scope.MoveToOuter(keepDim ? result : result.DropDims(name, reduced));
    }

    /// <summary>log Σ exp(x) over <paramref name="dim"/>.</summary>
    /// <param name="dim">The dim to reduce (negative counts from the end).</param>
    /// <param name="keepDim">Keep each reduced dim with size 1, so that the result broadcasts against this tensor
    /// (PyTorch's <c>keepdim</c>); default <c>false</c> removes them.</param>
    /// <exception cref="ArgumentOutOfRangeException">A dim is out of range for this tensor's rank.</exception>
    public Tensor LogSumExp(int dim, bool keepDim = false) => LogSumExp([dim], keepDim);

    // The result of a keepDim reduction with the reduced dims removed (a view).
    private Tensor DropDims(string name, int[] reduced)
    {
        var remove = new bool[Rank];
        foreach (var d in reduced) remove[d] = true;
        return ViewAs(name, l => l.RemoveDims(remove));
    }

    private int[] KeptShape(int[] reduced)
    {
        var shape = Shape;
        foreach (var d in reduced) shape[d] = 1;
        return shape;
    }

    private void RequireFloat(string name)
    {
        if (!DType.IsFloatingPoint())
            throw new ArgumentException($"{name}: input dtype {DType.Name()} is not floating point; call To(DType.Float32) first.");
    }
}
