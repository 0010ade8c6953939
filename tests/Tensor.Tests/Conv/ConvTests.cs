using FsCheck.Fluent;
using Tensors.NN;
using Xunit;
using F = Tensors.NN.Functional;

namespace Tensors.Tests.Conv;

/// <summary>Conv2d, Unfold and Fold: hand values, a direct-loop oracle over random geometry, GradCheck on the edge
/// cases, the adjoint identity between Unfold and Fold, errors, and the nn.Conv2d module.</summary>
public class ConvTests
{
    private static Tensor Rand(int seed, params int[] shape) => Tensor.Randn(shape, new Generator((ulong)seed), DType.Float64);

    // The definition, as seven loops over float64 arrays.
    private static double[] Direct(Tensor x, Tensor w, Tensor? b, int sh, int sw, int ph, int pw, int dh, int dw, int groups)
    {
        var xs = x.Shape; var ws = w.Shape;
        int n = xs[0], c = xs[1], h = xs[2], wd = xs[3], o = ws[0], cg = ws[1], kh = ws[2], kw = ws[3];
        int oh = (h + 2 * ph - dh * (kh - 1) - 1) / sh + 1, ow = (wd + 2 * pw - dw * (kw - 1) - 1) / sw + 1;
        var xv = x.Contiguous().ToArray<double>(); var wv = w.Contiguous().ToArray<double>(); var bv = b?.ToArray<double>();
        var result = new double[n * o * oh * ow];
        for (int ni = 0; ni < n; ni++)
            for (int oc = 0; oc < o; oc++)
                for (int y = 0; y < oh; y++)
                    for (int z = 0; z < ow; z++)
                    {
                        double s = bv?[oc] ?? 0;
                        int g = oc / (o / groups);
                        for (int ci = 0; ci < cg; ci++)
                            for (int i = 0; i < kh; i++)
                                for (int j = 0; j < kw; j++)
                                {
                                    int yy = y * sh + i * dh - ph, zz = z * sw + j * dw - pw;
                                    if (yy < 0 || yy >= h || zz < 0 || zz >= wd) continue;
                                    s += wv[((oc * cg + ci) * kh + i) * kw + j] * xv[((ni * c + g * cg + ci) * h + yy) * wd + zz];
                                }
                        result[((ni * o + oc) * oh + y) * ow + z] = s;
                    }
        return result;
    }

    [Fact]
    public void TinyConvolutionMatchesHandValues()
    {
        using var x = TestUtil.Seq(1, 1, 3, 3);
        using var w = Tensor.From(new float[] { 1, 2, 3, 4 }, 1, 1, 2, 2);
        using var b = Tensor.From(new float[] { 10 });
        using var y = F.Conv2d(x, w, b);
        Assert.Equal(new[] { 1, 1, 2, 2 }, y.Shape);
        // windows (0,1,3,4), (1,2,4,5), (3,4,6,7), (4,5,7,8) against (1,2,3,4), plus 10
        Assert.Equal(new float[] { 37, 47, 67, 77 }, y.ToArray<float>());
        using var padded = F.Conv2d(x, w, null, stride: 2, padding: 1);
        // windows at (-1,-1), (-1,1), (1,-1), (1,1): only the taps inside the image count
        Assert.Equal(new float[] { 0 * 4, 1 * 3 + 2 * 4, 3 * 2 + 6 * 4, 4 * 1 + 5 * 2 + 7 * 3 + 8 * 4 }, padded.ToArray<float>());
    }

    [Fact]
    public void ConvolutionMatchesTheDirectLoopsOnRandomGeometry()
    {
        var gen = from n in Gen.Choose(1, 2) from groups in Gen.Choose(1, 3) from cg in Gen.Choose(1, 2) from og in Gen.Choose(1, 2)
                  from kh in Gen.Choose(1, 4) from kw in Gen.Choose(1, 4) from sh in Gen.Choose(1, 3) from sw in Gen.Choose(1, 3)
                  from ph in Gen.Choose(0, 2) from pw in Gen.Choose(0, 2) from dh in Gen.Choose(1, 2) from dw in Gen.Choose(1, 2)
                  from h in Gen.Choose(1, 7) from w in Gen.Choose(1, 7) from bias in Gen.Elements(true, false) from seed in Gen.Choose(0, 1000)
                  select (n, groups, cg, og, kh, kw, sh, sw, ph, pw, dh, dw, h, w, bias, seed);
        TestUtil.Check(gen, p =>
        {
            if (p.h + 2 * p.ph < p.dh * (p.kh - 1) + 1 || p.w + 2 * p.pw < p.dw * (p.kw - 1) + 1) return true; // no window fits
            using var x = Rand(p.seed, p.n, p.groups * p.cg, p.h, p.w);
            using var w = Rand(p.seed + 1, p.groups * p.og, p.cg, p.kh, p.kw);
            using var b = p.bias ? Rand(p.seed + 2, p.groups * p.og) : null;
            using var y = F.Conv2d(x, w, b, (p.sh, p.sw), (p.ph, p.pw), (p.dh, p.dw), p.groups);
            TestUtil.AllClose(Direct(x, w, b, p.sh, p.sw, p.ph, p.pw, p.dh, p.dw, p.groups), y.ToArray<double>());
            return true;
        }, maxTest: 100);
    }

    public static TheoryData<string, int[], int[], int, int, int, int> GradCases() => new()
    {
        { "plain", [2, 3, 5, 5], [4, 3, 3, 3], 1, 0, 1, 1 },
        { "stride", [1, 2, 6, 7], [3, 2, 3, 3], 2, 0, 1, 1 },
        { "padding", [2, 2, 4, 4], [2, 2, 3, 3], 1, 1, 1, 1 },
        { "dilation", [1, 2, 7, 6], [2, 2, 3, 2], 1, 1, 2, 1 },
        { "all", [2, 2, 8, 7], [2, 2, 3, 3], 2, 2, 2, 1 },
        { "groups", [2, 4, 4, 4], [6, 2, 3, 3], 1, 1, 1, 2 },
        { "depthwise", [2, 3, 5, 5], [3, 1, 3, 3], 1, 1, 1, 3 },
        { "pointwise", [2, 4, 3, 3], [5, 4, 1, 1], 1, 0, 1, 1 },
        { "pointwise stride", [1, 3, 5, 5], [2, 3, 1, 1], 2, 0, 1, 1 },
        { "kernel larger than input", [1, 2, 2, 2], [2, 2, 3, 3], 1, 1, 1, 1 },
        { "stem 7x7 stride 2 on 28x28", [1, 1, 28, 28], [2, 1, 7, 7], 2, 3, 1, 1 },
        { "odd", [3, 2, 5, 3], [2, 2, 2, 3], 3, 1, 1, 1 },
    };

    [Theory]
    [MemberData(nameof(GradCases))]
    public void GradCheckPassesForInputWeightAndBias(string name, int[] input, int[] weight, int stride, int padding, int dilation, int groups)
    {
        _ = name;
        using var x = Rand(1, input).RequiresGrad_();
        using var w = Rand(2, weight).RequiresGrad_();
        using var b = Rand(3, weight[0]).RequiresGrad_();
        Tensors.Autograd.GradCheck(xs => F.Conv2d(xs[0], xs[1], xs[2], stride, padding, dilation, groups), [x, w, b]);
    }

    [Fact]
    public void NonContiguousAndUnbatchedInputsGiveTheSameResultAsContiguousOnes()
    {
        using var big = Rand(4, 2, 5, 3, 7);
        using var x = big.Permute(0, 2, 3, 1).Slice(3, 0, 7, 2); // [2, 3, 7, 4] with odd strides
        using var w = Rand(5, 2, 3, 3, 2);
        using var xc = x.Contiguous();
        using var a = F.Conv2d(x, w, padding: 1, stride: 2);
        using var e = F.Conv2d(xc, w, padding: 1, stride: 2);
        Assert.Equal(e.ToArray<double>(), a.ToArray<double>());
        Assert.True(a.IsContiguous, "the output is batch-first in memory, as PyTorch's");
        using var first = xc.Select(0, 0);
        using var one = F.Conv2d(first, w, padding: 1, stride: 2);
        using var batched = e.Select(0, 0);
        Assert.Equal(new[] { 2, 4, 2 }, one.Shape);
        Assert.Equal(batched.Contiguous().ToArray<double>(), one.ToArray<double>());
        big.RequiresGrad_();
        Tensors.Autograd.GradCheck(xs => F.Conv2d(xs[0].Permute(0, 2, 3, 1).Slice(3, 0, 7, 2), xs[1], stride: 2, padding: 1), [big, w.RequiresGrad_()]);
    }

    [Fact]
    public void FoldIsTheAdjointOfUnfold()
    {
        // <Unfold(x), y> = <x, Fold(y)> for every x and y: Fold sums exactly what Unfold copied out.
        using var x = Rand(6, 2, 3, 6, 5);
        using var cols = F.Unfold(x, (3, 2), (2, 1), (1, 2), (1, 2));
        using var y = Rand(7, cols.Shape);
        using var back = F.Fold(y, (6, 5), (3, 2), (2, 1), (1, 2), (1, 2));
        using var lhs = (cols * y).Sum();
        using var rhs = (x * back).Sum();
        Assert.Equal(lhs.Item<double>(), rhs.Item<double>(), 1e-10);
        using var xr = Rand(8, 1, 2, 4, 4).RequiresGrad_();
        Tensors.Autograd.GradCheck(xs => F.Unfold(xs[0], 2, dilation: 2, padding: 1), [xr]);
        using var yr = Rand(9, 1, 8, 9).RequiresGrad_();
        Tensors.Autograd.GradCheck(xs => F.Fold(xs[0], 4, 2, padding: 1, stride: 2), [yr]);
    }

    [Fact]
    public void BadArgumentsThrowClearErrorsNamingTheOp()
    {
        using var x = Rand(0, 1, 2, 5, 5);
        using var w = Rand(0, 3, 2, 3, 3);
        string Message(Action a) => Assert.ThrowsAny<ArgumentException>(a).Message;
        Assert.Contains("to have 4 channels, but got 2", Message(() => F.Conv2d(x, Rand(0, 3, 4, 3, 3))));
        Assert.Contains("divisible by groups", Message(() => F.Conv2d(Rand(0, 1, 4, 5, 5), w, groups: 2)));
        Assert.Contains("Kernel size can't be greater", Message(() => F.Conv2d(Rand(0, 1, 2, 2, 2), w)));
        Assert.Contains("3D (unbatched) or 4D", Message(() => F.Conv2d(Rand(0, 2, 5), w)));
        Assert.Contains("bias of shape [3]", Message(() => F.Conv2d(x, w, Rand(0, 2))));
        Assert.Contains("stride", Message(() => F.Conv2d(x, w, stride: 0)));
        Assert.Contains("padding", Message(() => F.Conv2d(x, w, padding: -1)));
        Assert.Contains("float32", Message(() => F.Conv2d(x.To(DType.Float32), w)));
        Assert.Contains("floating point", Message(() => F.Conv2d(Tensor.Zeros([1, 2, 5, 5], DType.Int64), Tensor.Zeros([3, 2, 3, 3], DType.Int64))));
        Assert.All(new[] { Message(() => F.Conv2d(x, w, stride: 0)) }, m => Assert.StartsWith("Conv2d:", m));
    }

    [Fact]
    public void ModuleHasPyTorchsParametersShapesAndInitBounds()
    {
        using var conv = new Conv2d(4, 6, 3, stride: 2, padding: 1, groups: 2, generator: new Generator(1));
        Assert.Equal(new[] { "weight", "bias" }, conv.NamedParameters().Select(p => p.Name).ToArray());
        Assert.Equal(new[] { 6, 2, 3, 3 }, conv.Weight.Shape);
        double bound = 1 / Math.Sqrt(2 * 3 * 3); // kaiming_uniform with a = sqrt(5) gives 1/sqrt(fan_in), as the bias
        foreach (var p in conv.Parameters())
        {
            var v = p.ToArray<float>();
            Assert.All(v, e => Assert.InRange(e, -bound, bound));
            Assert.True(v.Max() > bound / 2 && v.Min() < -bound / 2, "values should spread over the bound");
        }
        using var x = Tensor.Randn([2, 4, 7, 7], new Generator(2));
        using var y = conv.Forward(x);
        Assert.Equal(new[] { 2, 6, 4, 4 }, y.Shape);
        Assert.True(y.IsContiguous, "the output is batch-first in memory, as PyTorch's");
        using var expected = F.Conv2d(x, conv.Weight, conv.Bias, 2, 1, 1, 2);
        Assert.Equal(expected.ToArray<float>(), y.ToArray<float>());
        using var plain = new Conv2d(3, 2, 1, bias: false);
        Assert.Null(plain.Bias);
        Assert.Throws<ArgumentException>(() => new Conv2d(3, 4, 3, groups: 2));
    }
}
