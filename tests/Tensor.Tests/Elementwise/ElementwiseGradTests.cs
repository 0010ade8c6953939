using Xunit;

namespace Tensors.Tests.Elementwise;

/// <summary>GradCheck (float64, finite differences) of every new differentiable function, contiguous and transposed,
/// and gradients at the points where a careless formula gives NaN or the wrong one-sided value.</summary>
public class ElementwiseGradTests
{
    private static Tensor Input(int[] shape, int seed, double lo, double hi, bool transposed = false)
    {
        var g = new Generator((ulong)seed);
        using var r = Tensor.Rand(transposed ? [shape[1], shape[0]] : shape, g, DType.Float64);
        using var scaled = r * (hi - lo) + lo;
        var t = transposed ? scaled.Detach().Transpose(0, 1) : scaled.Detach();
        return t.RequiresGrad_();
    }

    private static readonly Dictionary<string, (Func<Tensor, Tensor> F, double Lo, double Hi)> Ops = new()
    {
        ["Sin"] = (t => t.Sin(), -3, 3), ["Cos"] = (t => t.Cos(), -3, 3), ["Tan"] = (t => t.Tan(), -1.2, 1.2),
        ["Asin"] = (t => t.Asin(), -0.9, 0.9), ["Acos"] = (t => t.Acos(), -0.9, 0.9), ["Atan"] = (t => t.Atan(), -3, 3),
        ["Sinh"] = (t => t.Sinh(), -3, 3), ["Cosh"] = (t => t.Cosh(), -3, 3), ["Log1p"] = (t => t.Log1p(), -0.9, 3),
        ["Expm1"] = (t => t.Expm1(), -3, 3), ["Log2"] = (t => t.Log2(), 0.2, 5), ["Log10"] = (t => t.Log10(), 0.2, 5),
        ["Exp2"] = (t => t.Exp2(), -3, 3), ["Rsqrt"] = (t => t.Rsqrt(), 0.2, 5), ["Erf"] = (t => t.Erf(), -2.5, 2.5),
        ["Frac"] = (t => t.Frac(), -3, 3), ["Reciprocal"] = (t => t.Reciprocal(), 0.3, 3), ["Square"] = (t => t.Square(), -3, 3),
        ["NanToNum"] = (t => t.NanToNum(), -3, 3), ["LeakyRelu"] = (t => t.LeakyRelu(0.2), -3, 3),
        ["Gelu"] = (t => t.Gelu(), -4, 4), ["GeluTanh"] = (t => t.Gelu("tanh"), -4, 4), ["Silu"] = (t => t.Silu(), -4, 4),
        ["Softplus"] = (t => t.Softplus(), -4, 4), ["SoftplusBeta"] = (t => t.Softplus(2, 3), -4, 4),
        ["Elu"] = (t => t.Elu(1.5), -3, 3), ["Hardtanh"] = (t => t.Hardtanh(-0.5, 0.8), -3, 3),
        ["Hardsigmoid"] = (t => t.Hardsigmoid(), -5, 5), ["LogSigmoid"] = (t => t.LogSigmoid(), -6, 6),
    };

    public static IEnumerable<object[]> Cases() => Ops.Keys.SelectMany(op => new[] { false, true }.Select(t => new object[] { op, t }));

    [Theory, MemberData(nameof(Cases))]
    public void UnaryFunctions(string op, bool transposed)
    {
        var (f, lo, hi) = Ops[op];
        using var x = Input([3, 4], op.Length, lo, hi, transposed);
        // Keep the kinks of the piecewise functions (integers for Frac, the bounds of the hard ones, 0) a finite
        // difference step away.
        using (Tensors.Autograd.NoGrad())
        {
            using var nudge = x.Frac().Abs().Lt(1e-3);
            using var moved = Tensor.Where(nudge, x + 0.01, x);
            x.Detach().CopyFrom_(moved);
        }
        Tensors.Autograd.GradCheck(xs => f(xs[0]), [x]);
    }

    [Theory]
    [InlineData(new[] { 2, 3 }, new[] { 2, 3 })]
    [InlineData(new[] { 4, 1 }, new[] { 1, 5 })]
    [InlineData(new[] { 3 }, new int[0])]
    public void Atan2WithBroadcasting(int[] shapeA, int[] shapeB)
    {
        using var a = Input(shapeA.Length == 2 ? shapeA : [1, shapeA.Length == 1 ? shapeA[0] : 1], 1, -2, 2).Reshape(shapeA).Detach().RequiresGrad_();
        using var b = Input(shapeB.Length == 2 ? shapeB : [1, 1], 2, 0.3, 2).Reshape(shapeB).Detach().RequiresGrad_();
        Tensors.Autograd.GradCheck(xs => xs[0].Atan2(xs[1]), [a, b]);
    }

    [Fact]
    public void LerpGradientsForTensorAndScalarWeights()
    {
        using var s = Input([2, 3], 3, -2, 2);
        using var e = Input([2, 3], 4, -2, 2);
        using var w = Input([2, 3], 5, -0.5, 1.5);
        Tensors.Autograd.GradCheck(xs => xs[0].Lerp(xs[1], xs[2]), [s, e, w]);
        Tensors.Autograd.GradCheck(xs => xs[0].Lerp(xs[1], 0.3), [s, e]);
        Tensors.Autograd.GradCheck(xs => xs[0].Lerp(xs[1], 0.8), [s, e]);
    }

    private static double[] Grad(Func<Tensor, Tensor> f, params double[] values)
    {
        using var x = Tensor.From(values).RequiresGrad_();
        using var y = f(x);
        using var loss = y.Sum();
        loss.Backward();
        return x.Grad!.ToArray<double>();
    }

    [Fact]
    public void GradientsAtTheEdges()
    {
        double inf = double.PositiveInfinity;
        // Large inputs must not turn the discarded branch's zero gradient into 0 * inf = NaN.
        Assert.Equal(new[] { 1.0, 1, 0 }, Grad(t => t.Softplus(), 1000, 30, -1000));
        Assert.Equal(0.5, Grad(t => t.Softplus(), 0)[0]);
        Assert.Equal(new[] { 1.0, 1, 0 }, Grad(t => t.Elu(), 1000, 1e-9, -1000));
        Assert.Equal(2.0, Grad(t => t.Elu(2), 0)[0]);                 // x <= 0 side: alpha e^0, as PyTorch
        Assert.Equal(new[] { 0.5, 1, 0, 0 }, Grad(t => t.LogSigmoid(), 0, -1000, 1000, inf));
        Assert.Equal(new[] { 0.0, 1, 0 }, Grad(t => t.Hardtanh(), -1, 0, 1)); // 0 at the bounds, as PyTorch
        Assert.Equal(new[] { 0.0, 1 / 6.0, 0 }, Grad(t => t.Hardsigmoid(), -3, 0, 3));
        Assert.Equal(new[] { 0.01, 1 }, Grad(t => t.LeakyRelu(), 0, 2));
        Assert.Equal(new[] { 0.0, 1, 0 }, Grad(t => t.NanToNum(), double.NaN, 2, inf));
        Assert.Equal(new[] { 0.0, 0, 0 }, Grad(t => t.Round() + t.Floor() + t.Ceil() + t.Sign(), 0.5, -1.5, 3));
        Assert.Equal(new[] { 1.0, 1 }, Grad(t => t.Frac(), 2.5, -0.5));
        Assert.Equal(new[] { 2 / Math.Sqrt(Math.PI), 0 }, Grad(t => t.Erf(), 0, 30));
        Assert.Equal(new[] { 0.5, 1 }, Grad(t => t.Gelu(), 0, 30));
    }
}
