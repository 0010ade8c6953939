using Xunit;

namespace Tensors.Tests.Reductions;

/// <summary>Hand-derived values, NaN handling, empty dims and errors of the reductions area's tensor ops.</summary>
public class ReductionTests
{
    private static Tensor F(params double[] v) => Tensor.From(v);
    private static Tensor M(double[,] v) => Tensor.From(v);
    private static double[] D(Tensor t) => t.To(DType.Float64).ToArray<double>();
    private static long[] L(Tensor t) => t.ToArray<long>();

    [Fact]
    public void ProdMultipliesAndPromotesIntegers()
    {
        using var x = M(new double[,] { { 1, 2, 3 }, { -1, 0.5, 4 } });
        Assert.Equal([-12.0], D(x.Prod()));
        Assert.Equal([6.0, -2.0], D(x.Prod(1)));
        using var keep = x.Prod(0, keepDim: true);
        Assert.Equal([1, 3], keep.Shape);
        Assert.Equal([-1.0, 1.0, 12.0], D(keep));
        using var i = Tensor.From(new int[] { 3, 4, 5 });
        using var ip = i.Prod();
        Assert.Equal(DType.Int64, ip.DType);
        Assert.Equal([60L], L(ip));
        using var b = Tensor.From(new bool[] { true, false });
        Assert.Equal([0L], L(b.Prod()));
        using var e = Tensor.Zeros(2, 0);
        Assert.Equal([1.0, 1.0], D(e.Prod(1)));
    }

    [Fact]
    public void ProdGradientIsTheProductOfTheOthersEvenAtZeros()
    {
        using var x = M(new double[,] { { 2, 0, 3 }, { 0, 5, 0 }, { 1, 2, 4 } }).RequiresGrad_();
        using var y = x.Prod(1);
        using var s = y.Sum();
        s.Backward();
        // Row 0 has one zero: only it gets 2 * 3. Row 1 has two: all 0. Row 2: the product over each element.
        Assert.Equal([0, 6, 0, 0, 0, 0, 8, 4, 2], D(x.Grad!));
    }

    [Fact]
    public void AnyAndAllFollowPyTorch()
    {
        using var x = M(new double[,] { { 0, 0, 1 }, { 2, 3, 4 } });
        Assert.Equal(1.0, D(x.Any())[0]);
        Assert.Equal(0.0, D(x.All())[0]);
        Assert.Equal([1.0, 1.0], D(x.Any(1)));
        Assert.Equal([0.0, 1.0], D(x.All(1)));
        using var k = x.All(0, keepDim: true);
        Assert.Equal([1, 3], k.Shape);
        Assert.Equal(DType.Bool, k.DType);
        using var nan = F(double.NaN, 0);
        Assert.Equal(1.0, D(nan.Any())[0]);
        using var u8 = Tensor.From(new byte[] { 0, 7 });
        Assert.Equal(DType.UInt8, u8.Any().DType);
        using var empty = Tensor.Zeros([2, 0], DType.Bool);
        Assert.Equal([0.0, 0.0], D(empty.Any(1)));
        Assert.Equal([1.0, 1.0], D(empty.All(1)));
        Assert.Equal(1.0, D(empty.All())[0]);
    }

    [Fact]
    public void VarAndStdUseTheCorrection()
    {
        using var x = F(1, 2, 3, 4);
        Assert.Equal(5.0 / 3, x.Var().Item<double>(), 12);
        Assert.Equal(1.25, x.Var(correction: 0).Item<double>(), 12);
        Assert.Equal(Math.Sqrt(5.0 / 3), x.Std().Item<double>(), 12);
        using var m = M(new double[,] { { 1, 3 }, { 2, 6 } });
        Assert.Equal([0.5, 4.5], D(m.Var(0)));
        Assert.Equal([2.0, 8.0], D(m.Var(1)));
        using var v = m.Var([0, 1], keepDim: true);
        Assert.Equal([1, 1], v.Shape);
        // One element with Bessel's correction divides by 0, as PyTorch does.
        Assert.True(double.IsNaN(F(3).Var().Item<double>()));
        var error = Assert.Throws<ArgumentException>(() => Tensor.From(new long[] { 1, 2 }).Var());
        Assert.Contains("Var", error.Message);
    }

    [Fact]
    public void NormForEveryP()
    {
        using var x = F(3, -4, 0);
        Assert.Equal(5.0, x.Norm().Item<double>(), 12);
        Assert.Equal(7.0, x.Norm(1).Item<double>(), 12);
        Assert.Equal(4.0, x.Norm(double.PositiveInfinity).Item<double>(), 12);
        Assert.Equal(0.0, x.Norm(double.NegativeInfinity).Item<double>(), 12);
        Assert.Equal(2.0, x.Norm(0).Item<double>(), 12);
        Assert.Equal(Math.Pow(27 + 64, 1 / 3.0), x.Norm(3).Item<double>(), 12);
        using var m = M(new double[,] { { 3, 4 }, { 0, 0 } }).RequiresGrad_();
        using var n = m.Norm(2, 1);
        Assert.Equal([5.0, 0.0], D(n));
        using var s = n.Sum();
        s.Backward();
        // x / norm, and 0 (not NaN) where the norm is 0.
        TestUtil.AllClose([0.6, 0.8, 0, 0], D(m.Grad!));
    }

    [Fact]
    public void LogSumExpIsStable()
    {
        using var x = F(1000, 1000, -1000);
        Assert.Equal(1000 + Math.Log(2), x.LogSumExp(0).Item<double>(), 9);
        using var inf = M(new double[,] { { double.NegativeInfinity, double.NegativeInfinity }, { double.PositiveInfinity, 1 } });
        var r = D(inf.LogSumExp(1));
        Assert.Equal(double.NegativeInfinity, r[0]);
        Assert.Equal(double.PositiveInfinity, r[1]);
        using var m = M(new double[,] { { 0, Math.Log(3) } });
        using var k = m.LogSumExp([1], keepDim: true);
        Assert.Equal([1, 1], k.Shape);
        Assert.Equal(Math.Log(4), k.Item<double>(), 12);
    }

    [Fact]
    public void CumSumAndCumProd()
    {
        using var x = M(new double[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        Assert.Equal([1, 3, 6, 4, 9, 15], D(x.CumSum(1)));
        Assert.Equal([1, 2, 3, 5, 7, 9], D(x.CumSum(0)));
        Assert.Equal([1, 2, 6, 4, 20, 120], D(x.CumProd(-1)));
        using var i = Tensor.From(new bool[] { true, true, false, true });
        using var c = i.CumSum(0);
        Assert.Equal(DType.Int64, c.DType);
        Assert.Equal([1L, 2, 2, 3], L(c));
        using var nan = F(1, double.NaN, 2);
        Assert.True(double.IsNaN(D(nan.CumSum(0))[2]));
        using var empty = Tensor.Zeros(0, 3);
        Assert.Equal([0, 3], empty.CumSum(0).Shape);
        Assert.Throws<ArgumentOutOfRangeException>(() => x.CumSum(2));
    }

    [Fact]
    public void CumProdGradientWithZeros()
    {
        // y = [2, 0, 0, 0]: dy/dx by hand, with upstream gradient 1.
        using var x = F(2, 0, 3, 4).RequiresGrad_();
        using var y = x.CumProd(0);
        using var s = y.Sum();
        s.Backward();
        // d/dx0 = 1 + 0...: y0 only (others hold x1 = 0) = 1; d/dx1 = x0 + x0 x2 + x0 x2 x3 = 2 + 6 + 24; rest 0.
        Assert.Equal([1, 32, 0, 0], D(x.Grad!));
    }

    [Fact]
    public void SortIsStableWithNaNLargest()
    {
        using var x = F(2, 1, double.NaN, 1, 2, double.NegativeInfinity);
        var (v, i) = x.Sort();
        Assert.Equal([double.NegativeInfinity, 1, 1, 2, 2, double.NaN], D(v));
        Assert.Equal([5L, 1, 3, 0, 4, 2], L(i));
        var (vd, id) = x.Sort(descending: true);
        Assert.Equal([double.NaN, 2, 2, 1, 1, double.NegativeInfinity], D(vd));
        Assert.Equal([2L, 0, 4, 1, 3, 5], L(id));
        using var m = M(new double[,] { { 3, 1 }, { 2, 4 } });
        Assert.Equal([1L, 0, 0, 1], L(m.ArgSort(0)));
        var (e, ei) = Tensor.Zeros(2, 0).Sort(1);
        Assert.Equal([2, 0], e.Shape);
        Assert.Equal(DType.Int64, ei.DType);
    }

    [Fact]
    public void TopKTakesTheLargestOrSmallest()
    {
        using var x = M(new double[,] { { 1, 5, 3, 4 }, { 8, 6, 7, 0 } });
        var (v, i) = x.TopK(2);
        Assert.Equal([5, 4, 8, 7], D(v));
        Assert.Equal([1L, 3, 0, 2], L(i));
        var (s, si) = x.TopK(1, dim: 0, largest: false);
        Assert.Equal([1, 5, 3, 0], D(s));
        Assert.Equal([0L, 0, 0, 1], L(si));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => x.TopK(5));
        Assert.Contains("TopK", error.Message);
    }

    [Fact]
    public void MedianIsTheLowerMedianAndPropagatesNaN()
    {
        using var x = F(4, 1, 3, 2);
        Assert.Equal(2.0, x.Median().Item<double>());
        using var m = M(new double[,] { { 5, 1, 3 }, { 2, double.NaN, 9 } });
        var (v, i) = m.Median(1);
        var values = D(v);
        Assert.Equal(3.0, values[0]);
        Assert.True(double.IsNaN(values[1]));
        Assert.Equal([2L, 1], L(i));
        var (k, ki) = m.Median(0, keepDim: true);
        Assert.Equal([1, 3], k.Shape);
        Assert.Equal([1, 3], ki.Shape);
        Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 0).Median(1));
        Assert.Throws<ArgumentException>(() => Tensor.Zeros(0).Median());
    }

    [Fact]
    public void MaxAndMinWithIndices()
    {
        using var x = M(new double[,] { { 1, 7, 7 }, { double.NaN, 2, double.NaN } });
        var (v, i) = x.MaxWithIndices(1);
        Assert.Equal(7.0, D(v)[0]);
        Assert.True(double.IsNaN(D(v)[1]));
        Assert.Equal([1L, 0], L(i));
        var (mv, mi) = x.MinWithIndices(0, keepDim: true);
        Assert.Equal([1, 3], mv.Shape);
        Assert.Equal([1L, 1, 1], L(mi));
        using var g = M(new double[,] { { 1, 7, 7 }, { 0, 2, 1 } }).RequiresGrad_();
        var (gv, _) = g.MaxWithIndices(1);
        using var s = gv.Sum();
        s.Backward();
        // The whole gradient goes to the first maximum (unlike amax, which shares it among ties).
        Assert.Equal([0, 1, 0, 0, 1, 0], D(g.Grad!));
    }

    [Fact]
    public void ArgMaxKeepDimOverAllElements()
    {
        using var x = M(new double[,] { { 1, 9 }, { 4, 2 } });
        using var k = x.ArgMax(keepDim: true);
        Assert.Equal([1, 1], k.Shape);
        Assert.Equal([1L], L(k));
        using var n = x.ArgMin(keepDim: true);
        Assert.Equal([0L], L(n));
        Assert.Empty(x.ArgMax(keepDim: false).Shape);
    }
}
