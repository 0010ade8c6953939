using Tensors.Backends;

namespace Tensors;

// Sorting and the selections built on it: Sort, ArgSort, TopK, Median, and Max/Min over a dim with their indices.
// Each returns the values with their Int64 positions along the dim; gradients go back to those positions.
public sealed partial class Tensor
{
    /// <summary>Sorts along <paramref name="dim"/> (PyTorch's <c>sort</c>, always stable: equal values keep their
    /// order; NaN sorts above every number). Returns the sorted values and their Int64 positions in this tensor.</summary>
    /// <param name="dim">The dim to sort along; default -1, the last (a 0-d tensor takes 0 or -1).</param>
    /// <param name="descending">Largest first; default <c>false</c>, smallest first.</param>
    /// <exception cref="ArgumentOutOfRangeException">A dim is out of range for this tensor's rank.</exception>
    public (Tensor Values, Tensor Indices) Sort(int dim = -1, bool descending = false)
    {
        const string name = "Sort";
        if (NormalizeDimOrScalar(name, dim) is not int d) return (Clone(), Zeros([], DType.Int64, Device));
        Tensor values, indices;
        using (Autograd.Suspend())
        {
            values = Allocate(Layout.Shape, DType, Device);
            indices = Allocate(Layout.Shape, DType.Int64, Device);
            Backend.Sort(StorageFor(name), Layout, d, descending, values.Storage, values.Layout, indices.Storage, indices.Layout);
        }
        return (Selected("SortBackward", values, d, indices, keepDim: true), indices);
    }

    /// <summary>The Int64 positions that sort this tensor along <paramref name="dim"/> (PyTorch's <c>argsort</c>, stable).</summary>
    /// <param name="dim">The dim to sort along; default -1, the last (a 0-d tensor takes 0 or -1).</param>
    /// <param name="descending">Largest first; default <c>false</c>, smallest first.</param>
    /// <exception cref="ArgumentOutOfRangeException">A dim is out of range for this tensor's rank.</exception>
    public Tensor ArgSort(int dim = -1, bool descending = false)
    {
        using var _ = Autograd.Suspend();
        var (values, indices) = Sort(dim, descending);
        values.Dispose();
        return indices;
    }

    /// <summary>The <paramref name="k"/> largest (or smallest) elements along <paramref name="dim"/> and their Int64
    /// positions (PyTorch's <c>topk</c>). The result is always sorted (largest first, or smallest first); ties come
    /// in their order in this tensor; NaN counts as the largest value.</summary>
    /// <param name="k">How many elements to keep, 0 to the size of <paramref name="dim"/>.</param>
    /// <param name="dim">The dim to select along; default -1, the last.</param>
    /// <param name="largest">The k largest (default <c>true</c>) or, when false, the k smallest.</param>
    /// <param name="sorted">PyTorch's <c>sorted</c>, default <c>true</c>; the result is sorted either way, so false
    /// changes nothing.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is negative or larger than the dim's size, or
    /// <paramref name="dim"/> is out of range.</exception>
    public (Tensor Values, Tensor Indices) TopK(int k, int dim = -1, bool largest = true, bool sorted = true)
    {
        const string name = "TopK";
        int? wrapped = NormalizeDimOrScalar(name, dim);
        int size = wrapped is int w ? Layout.Shape[w] : 1;
        if (k < 0 || k > size)
            throw new ArgumentOutOfRangeException(nameof(k), k, $"{name}: k = {k} is out of range for dim {dim} of size {size} (shape {Layout.Format(Layout.Shape)}); k must be in 0..{size}.");
        if (wrapped is not int d) return (Clone(), Zeros([], DType.Int64, Device));
        Tensor values, indices;
        using (Autograd.Suspend())
        {
            var (allValues, allIndices) = Sort(d, descending: largest);
            using (allValues) using (allIndices)
            using (var v = allValues.Narrow(d, 0, k)) using (var i = allIndices.Narrow(d, 0, k))
            {
                values = v.Contiguous();
                indices = i.Contiguous();
            }
        }
        return (Selected("TopkBackward", values, d, indices, keepDim: true), indices);
    }

    /// <summary>The lower median of all elements (PyTorch's <c>median()</c>: for an even count the smaller of the two
    /// middle values; NaN if any element is NaN). Its gradient is shared among the elements equal to it.</summary>
    /// <exception cref="ArgumentException">The tensor has no elements.</exception>
    public Tensor Median()
    {
        const string name = "Median";
        if (Numel == 0)
            throw new ArgumentException($"{name}: the tensor (shape {Layout.Format(Layout.Shape)}) is empty; the median of nothing has no value.");
        Tensor result;
        using (Autograd.Suspend())
        {
            using var flat = Reshape(-1);
            var (values, indices) = flat.Median(0);
            indices.Dispose();
            result = values;
        }
        return Autograd.ShouldRecord(this)
            ? result.Record(new Graph.ExtremumBackward("MedianBackward", this, result, Enumerable.Range(0, Rank).ToArray(), false, all: true))
            : result;
    }

    /// <summary>The lower median along <paramref name="dim"/> and its Int64 position (PyTorch's <c>median(dim)</c>):
    /// a row holding NaN gives NaN and the position of its first NaN.</summary>
    /// <param name="dim">The dim to take the median along (negative counts from the end; a 0-d tensor takes 0 or
    /// -1).</param>
    /// <param name="keepDim">Keep each reduced dim with size 1, so that the result broadcasts against this tensor
    /// (PyTorch's <c>keepdim</c>); default <c>false</c> removes them.</param>
    /// <exception cref="ArgumentOutOfRangeException">A dim is out of range for this tensor's rank.</exception>
    /// <exception cref="ArgumentException">The dim has size 0.</exception>
    public (Tensor Values, Tensor Indices) Median(int dim, bool keepDim = false)
    {
        const string name = "Median";
        if (NormalizeDimOrScalar(name, dim) is not int d) return (Clone(), Zeros([], DType.Int64, Device));
        int n = Layout.Shape[d];
        if (n == 0)
            throw new ArgumentException($"{name}: cannot take the median over dim {dim} of size 0 (shape {Layout.Format(Layout.Shape)}).");
        Tensor values, indices;
        using (var scope = NewDisposeScope())
        using (Autograd.Suspend())
        {
            // Sorted ascending, NaNs come last in their order: the first NaN sits at n - (count of NaN).
            var (sorted, order) = Sort(d);
            var nans = Ne(this).Sum(d, keepDim: true);
            var at = Where(nans.Gt(0), nans.Neg() + n, (n - 1) / 2);
            var along = Enumerable.Repeat(1, Rank).ToArray();
            along[d] = n;
            var pick = Arange(0, n, 1, DType.Int64, Device).View(along).Eq(at);
            values = scope.MoveToOuter(Where(pick, sorted, 0).Sum(d, keepDim).To(DType));
            indices = scope.MoveToOuter(Where(pick, order, 0).Sum(d, keepDim));
        }
        return (Selected("MedianBackward", values, d, indices, keepDim), indices);
    }

    /// <summary>The largest value along <paramref name="dim"/> and the Int64 position of its first occurrence
    /// (PyTorch's <c>max(dim)</c>, which returns both; a row holding NaN gives NaN and the position of its first NaN).
    /// The gradient goes to that position.
    /// <see cref="Max(int, bool)"/> gives the values alone, like <c>amax</c>.</summary>
    /// <param name="dim">The dim to search along for the largest value (negative counts from the end; a 0-d tensor
    /// takes 0 or -1).</param>
    /// <param name="keepDim">Keep each reduced dim with size 1, so that the result broadcasts against this tensor
    /// (PyTorch's <c>keepdim</c>); default <c>false</c> removes them.</param>
    /// <exception cref="ArgumentOutOfRangeException">A dim is out of range for this tensor's rank.</exception>
    /// <exception cref="ArgumentException">The dim has size 0.</exception>
    public (Tensor Values, Tensor Indices) MaxWithIndices(int dim, bool keepDim = false) => Extreme("Max", max: true, dim, keepDim);

    /// <summary>The smallest value along <paramref name="dim"/> and the Int64 position of its first occurrence
    /// (PyTorch's <c>min(dim)</c>; a row holding NaN gives NaN and the position of its first NaN).</summary>
    /// <param name="dim">The dim to search along for the smallest value (negative counts from the end; a 0-d tensor
    /// takes 0 or -1).</param>
    /// <param name="keepDim">Keep each reduced dim with size 1, so that the result broadcasts against this tensor
    /// (PyTorch's <c>keepdim</c>); default <c>false</c> removes them.</param>
    /// <exception cref="ArgumentOutOfRangeException">A dim is out of range for this tensor's rank.</exception>
    /// <exception cref="ArgumentException">The dim has size 0.</exception>
    public (Tensor Values, Tensor Indices) MinWithIndices(int dim, bool keepDim = false) => Extreme("Min", max: false, dim, keepDim);

    private (Tensor Values, Tensor Indices) Extreme(string name, bool max, int dim, bool keepDim)
    {
        if (NormalizeDimOrScalar(name, dim) is not int d) return (Clone(), Zeros([], DType.Int64, Device));
        Tensor values, indices;
        using (Autograd.Suspend())
        {
            values = max ? Max(d, keepDim) : Min(d, keepDim);
            indices = max ? ArgMax(d, keepDim) : ArgMin(d, keepDim);
        }
        return (Selected(name + "Backward", values, d, indices, keepDim), indices);
    }

    /// <summary>The flat index of the first largest element; with <paramref name="keepDim"/> shaped with every dim of
    /// size 1 (PyTorch's <c>argmax(keepdim=True)</c> without a dim).</summary>
    /// <param name="keepDim">Shape the result with every dim of size 1 (one per dim of this tensor) instead of
    /// 0-d.</param>
    /// <exception cref="ArgumentException">This tensor has no elements.</exception>
    public Tensor ArgMax(bool keepDim) => AllDims(ArgMax(), keepDim);

    /// <summary>The flat index of the first smallest element; with <paramref name="keepDim"/> shaped with every dim of
    /// size 1.</summary>
    /// <param name="keepDim">Shape the result with every dim of size 1 (one per dim of this tensor) instead of
    /// 0-d.</param>
    /// <exception cref="ArgumentException">This tensor has no elements.</exception>
    public Tensor ArgMin(bool keepDim) => AllDims(ArgMin(), keepDim);

    private Tensor AllDims(Tensor flat, bool keepDim)
    {
        if (!keepDim) return flat;
        using (flat) return flat.Reshape(Enumerable.Repeat(1, Rank).ToArray());
    }

    // Records the gradient of values picked from this tensor at indices along dim.
    private Tensor Selected(string node, Tensor values, int dim, Tensor indices, bool keepDim) =>
        Autograd.ShouldRecord(this) ? values.Record(new Graph.SelectionBackward(node, this, dim, indices, keepDim)) : values;
}
