using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Tensors.Tests.Reductions;

/// <summary>Properties of sorting and scanning on random shapes, dims and values (with ties and NaNs): a sort's
/// output is ordered, a permutation of its row, and stable; TopK is the sort's prefix; the median is the sort's
/// middle; a cumulative sum ends with the sum and a cumulative product with the product.</summary>
public class ReductionProperties
{
    public sealed record Case(int[] Shape, int Dim, double[] Values, bool Descending);

    private static Gen<Case> Cases() =>
        from rank in Gen.Choose(1, 3)
        from shape in Gen.ArrayOf(Gen.Choose(1, 6), rank)
        from dim in Gen.Choose(0, rank - 1)
        from values in Gen.ArrayOf(Gen.Elements(-2.0, -1.0, 0.0, 0.5, 1.0, 3.0, double.NaN, double.PositiveInfinity),
            shape.Aggregate(1, (a, b) => a * b))
        from desc in Gen.Elements(false, true)
        select new Case(shape, dim, values, desc);

    // The rows along dim as arrays (of values, or of anything with the same layout).
    private static List<T[]> Rows<T>(T[] flat, int[] shape, int dim)
    {
        int n = shape[dim], inner = shape[(dim + 1)..].Aggregate(1, (a, b) => a * b), outer = flat.Length / (n * inner);
        var rows = new List<T[]>();
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
                rows.Add(Enumerable.Range(0, n).Select(k => flat[(o * n + k) * inner + i]).ToArray());
        return rows;
    }

    // NaN is the largest value and equal to itself.
    private static int Order(double a, double b) => double.IsNaN(a) ? (double.IsNaN(b) ? 0 : 1) : double.IsNaN(b) ? -1 : a.CompareTo(b);

    [Fact]
    public void SortIsAnOrderedStablePermutationOfEachRow() => TestUtil.Check(Cases(), c =>
    {
        using var x = Tensor.From(c.Values, c.Shape);
        var (v, i) = x.Sort(c.Dim, c.Descending);
        var source = Rows(c.Values, c.Shape, c.Dim);
        var values = Rows(v.ToArray<double>(), c.Shape, c.Dim);
        var indices = Rows(i.ToArray<long>(), c.Shape, c.Dim);
        for (int r = 0; r < source.Count; r++)
        {
            var idx = indices[r];
            if (!idx.Order().SequenceEqual(Enumerable.Range(0, idx.Length).Select(k => (long)k))) return false;  // a permutation
            for (int k = 0; k < idx.Length; k++)
            {
                if (Order(values[r][k], source[r][idx[k]]) != 0) return false;             // values are the picked elements
                if (k == 0) continue;
                int o = Order(values[r][k - 1], values[r][k]) * (c.Descending ? -1 : 1);
                if (o > 0 || (o == 0 && idx[k - 1] > idx[k])) return false;                // ordered, ties in input order
            }
        }
        return true;
    });

    [Fact]
    public void TopKAndMedianAgreeWithTheSort() => TestUtil.Check(Cases(), c =>
    {
        using var x = Tensor.From(c.Values, c.Shape);
        int n = c.Shape[c.Dim], k = (n + 1) / 2;
        var (sv, si) = x.Sort(c.Dim, c.Descending);
        var (tv, ti) = x.TopK(k, c.Dim, largest: c.Descending);
        using var prefix = sv.Narrow(c.Dim, 0, k);
        using var prefixIdx = si.Narrow(c.Dim, 0, k);
        if (!tv.ToArray<double>().Zip(prefix.ToArray<double>()).All(p => Order(p.First, p.Second) == 0)) return false;
        if (!ti.ToArray<long>().SequenceEqual(prefixIdx.ToArray<long>())) return false;
        // The median is the lower middle of the ascending sort, unless the row holds a NaN.
        var (mv, _) = x.Median(c.Dim);
        var rows = Rows(c.Values, c.Shape, c.Dim);
        var medians = mv.ToArray<double>();
        for (int r = 0; r < rows.Count; r++)
        {
            var sorted = rows[r].OrderBy(v => v, Comparer<double>.Create(Order)).ToArray();
            double expected = rows[r].Any(double.IsNaN) ? double.NaN : sorted[(n - 1) / 2];
            if (Order(expected, medians[r]) != 0) return false;
        }
        return true;
    });

    [Fact]
    public void CumSumEndsWithTheSumAndCumProdWithTheProduct() => TestUtil.Check(Cases(), c =>
    {
        var finite = c.Values.Select(v => double.IsFinite(v) ? v : 1.5).ToArray();
        using var x = Tensor.From(finite, c.Shape);
        int last = c.Shape[c.Dim] - 1;
        using var cs = x.CumSum(c.Dim);
        using var cp = x.CumProd(c.Dim);
        using var endSum = cs.Select(c.Dim, last);
        using var endProd = cp.Select(c.Dim, last);
        using var sum = x.Sum(c.Dim);
        using var prod = x.Prod(c.Dim);
        return endSum.ToArray<double>().Zip(sum.ToArray<double>()).All(p => Math.Abs(p.First - p.Second) <= 1e-12 * (1 + Math.Abs(p.Second)))
            && endProd.ToArray<double>().SequenceEqual(prod.ToArray<double>());
    });
}
