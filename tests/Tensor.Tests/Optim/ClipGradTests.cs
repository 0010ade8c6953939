using FsCheck;
using FsCheck.Fluent;
using Tensors.NN;
using Xunit;

namespace Tensors.Tests.Optim;

/// <summary>ClipGradNorm_ and ClipGradValue_: hand values, properties, errors.</summary>
public class ClipGradTests
{
    private static Tensor WithGrad(params double[] grad)
    {
        var p = Tensor.ZerosLike(Tensor.From(grad)).RequiresGrad_();
        p.Grad = Tensor.From(grad);
        return p;
    }

    [Fact]
    public void ClipGradNormScalesByMaxNormOverTheTotal()
    {
        var a = WithGrad(3);
        var b = WithGrad(0, 4);
        using var total = Utils.ClipGradNorm_([a, b], 1);
        Assert.Equal(5.0, total.Item<double>());
        TestUtil.AllClose([3 / 5.000001], a.Grad!.ToArray<double>());
        TestUtil.AllClose([0, 4 / 5.000001], b.Grad!.ToArray<double>());

        var c = WithGrad(-1, 2, -3);
        using var inf = Utils.ClipGradNorm_([c], 1.5, double.PositiveInfinity);
        Assert.Equal(3.0, inf.Item<double>());
        TestUtil.AllClose([-0.5, 1, -1.5], c.Grad!.ToArray<double>(), 1e-6);

        var d = WithGrad(0.3, -0.4);
        using var small = Utils.ClipGradNorm_([d], 1);
        Assert.Equal(0.5, small.Item<double>(), 15);
        TestUtil.AllClose([0.3, -0.4], d.Grad!.ToArray<double>()); // the coefficient is clamped to 1
    }

    [Fact]
    public void ClipGradNormWithoutGradientsIsZero()
    {
        using var p = Tensor.Zeros(2).RequiresGrad_();
        using var total = Utils.ClipGradNorm_([p], 1);
        Assert.Equal(0.0, total.Item<double>());
        Assert.Null(p.Grad);
    }

    [Fact]
    public void NonfiniteNormsThrowOnlyWhenAsked()
    {
        var p = WithGrad(1, double.NaN);
        var ex = Assert.Throws<InvalidOperationException>(() => Utils.ClipGradNorm_([p], 1, errorIfNonfinite: true));
        Assert.Contains("NaN", ex.Message);
        TestUtil.AllClose([1, double.NaN], p.Grad!.ToArray<double>()); // untouched
        using var total = Utils.ClipGradNorm_([p], 1);
        Assert.True(double.IsNaN(total.Item<double>()));
        Assert.True(p.Grad!.ToArray<double>().All(double.IsNaN)); // as PyTorch: scaled by NaN
    }

    [Fact]
    public void BadArgumentsThrowClearly()
    {
        var p = WithGrad(1);
        Assert.Contains("normType must be positive", Assert.Throws<ArgumentOutOfRangeException>(() => Utils.ClipGradNorm_([p], 1, 0)).Message);
        Assert.Contains("clipValue must not be negative", Assert.Throws<ArgumentOutOfRangeException>(() => Utils.ClipGradValue_([p], -1)).Message);
    }

    [Fact]
    public void ClipGradValueClampsEveryGradient()
    {
        var a = WithGrad(-3, 0.5, 2);
        using var b = Tensor.Zeros(1).RequiresGrad_();
        Utils.ClipGradValue_([a, b], 1);
        TestUtil.AllClose([-1, 0.5, 1], a.Grad!.ToArray<double>());
        Assert.Null(b.Grad);
    }

    [Fact]
    public void ClippedGradientsKeepTheirDirectionAndRespectMaxNorm()
    {
        var gen = from n in Gen.Choose(1, 6)
                  from values in Gen.ArrayOf(Gen.Choose(-1000, 1000).Select(v => v / 100.0), n)
                  from maxNorm in Gen.Choose(1, 300).Select(v => v / 10.0)
                  from p in Gen.Elements(1.0, 2.0, 3.0, double.PositiveInfinity)
                  select (values, maxNorm, p);
        TestUtil.Check(gen, c =>
        {
            var param = WithGrad(c.values);
            using var total = Utils.ClipGradNorm_([param], c.maxNorm, c.p);
            double expected = double.IsPositiveInfinity(c.p) ? c.values.Max(Math.Abs)
                : Math.Pow(c.values.Sum(v => Math.Pow(Math.Abs(v), c.p)), 1 / c.p);
            var clipped = param.Grad!.ToArray<double>();
            double scale = Math.Min(1, c.maxNorm / (expected + 1e-6));
            return Math.Abs(total.Item<double>() - expected) <= 1e-9 * (1 + expected)
                && clipped.Zip(c.values).All(v => Math.Abs(v.First - v.Second * scale) <= 1e-12 * (1 + Math.Abs(v.Second)));
        });
    }
}
