using Xunit;

namespace Tensors.Tests.Elementwise;

/// <summary>The composite functions and activations: hand-derived values at special points, dtype rules and the
/// errors for bad input.</summary>
public class CompositeTests
{
    private const double Inf = double.PositiveInfinity, Nan = double.NaN;

    private static double[] Run(Func<Tensor, Tensor> f, params double[] x)
    {
        using var t = Tensor.From(x);
        using var y = f(t);
        Assert.Equal(DType.Float64, y.DType);
        return y.ToArray<double>();
    }

    [Fact]
    public void FracReciprocalSquare()
    {
        Assert.Equal(new[] { 0.5, -0.5, 0, Nan, 0.25 }, Run(t => t.Frac(), 2.5, -3.5, 4, Inf, 0.25));
        Assert.Equal(new[] { Inf, -Inf, 0.5, -0.0, Nan }, Run(t => t.Reciprocal(), 0, -0.0, 2, -Inf, Nan));
        Assert.Equal(new[] { 9.0, 0, Inf, 1e-200 * 1e-200 }, Run(t => t.Square(), -3, -0.0, -Inf, 1e-200));
        using var i = Tensor.From(new[] { 2, -3, 46341 });
        using var ri = i.Reciprocal();
        Assert.Equal(DType.Float32, ri.DType);
        Assert.Equal(new[] { 0.5f, -1 / 3f, 1 / 46341f }, ri.ToArray<float>());
        using var si = i.Square();
        Assert.Equal(new[] { 4, 9, unchecked(46341 * 46341) }, si.ToArray<int>()); // wraps, as PyTorch
        using var b = Tensor.From(new[] { true, false });
        using var sb = b.Square();
        Assert.Equal(DType.Int64, sb.DType);
        Assert.Equal(new[] { 1L, 0 }, sb.ToArray<long>());
        var ex = Assert.Throws<ArgumentException>(() => i.Frac());
        Assert.StartsWith("Frac:", ex.Message);
        Assert.Contains("int32", ex.Message);
    }

    [Fact]
    public void NanInfFiniteAndNanToNum()
    {
        using var x = Tensor.From(new[] { 1f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0f, float.MaxValue });
        Assert.Equal(new[] { false, true, false, false, false, false }, x.IsNan().ToArray<bool>());
        Assert.Equal(new[] { false, false, true, true, false, false }, x.IsInf().ToArray<bool>());
        Assert.Equal(new[] { true, false, false, false, true, true }, x.IsFinite().ToArray<bool>());
        Assert.Equal(new[] { 1f, 0, float.MaxValue, -float.MaxValue, -0f, float.MaxValue }, x.NanToNum().ToArray<float>());
        Assert.Equal(new[] { 1f, 7, 8, -9, -0f, float.MaxValue }, x.NanToNum(7, 8, -9).ToArray<float>());
        Assert.Equal(new[] { double.MaxValue, -double.MaxValue }, Run(t => t.NanToNum(), Inf, -Inf));
        using var i = Tensor.From(new long[] { 1, -2 });
        Assert.Equal(new[] { false, false }, i.IsNan().ToArray<bool>());
        Assert.Equal(new[] { false, false }, i.IsInf().ToArray<bool>());
        Assert.Equal(new[] { true, true }, i.IsFinite().ToArray<bool>());
        using var ni = i.NanToNum();
        Assert.Equal(DType.Int64, ni.DType);
        Assert.Equal(new long[] { 1, -2 }, ni.ToArray<long>());
    }

    [Fact]
    public void LerpMatchesPyTorchsTwoBranchFormula()
    {
        using var s = Tensor.From(new[] { 1.0, 1.0, -2.0, 0.1 });
        using var e = Tensor.From(new[] { 3.0, 3.0, 2.0, 0.7 });
        using var w = Tensor.From(new[] { 0.25, 1.0, 0.5, 1.0 });
        // weight 1 gives end exactly (the branch end - diff (1 - w)), 0.25 goes from the start.
        Assert.Equal(new[] { 1.5, 3.0, 0.0, 0.7 }, s.Lerp(e, w).ToArray<double>());
        Assert.Equal(new[] { 3.0, 3.0, 2.0, 0.7 }, s.Lerp(e, 1.0).ToArray<double>());
        Assert.Equal(new[] { 0.0, 0.0, -4.0, -0.2 }, s.Lerp(e, -0.5).ToArray<double>().Select(v => Math.Round(v, 12)).ToArray());
        using var row = Tensor.From(new[] { 10.0, 20.0 });
        using var col = Tensor.From(new[] { 0.0, 1.0 }, 2, 1);
        Assert.Equal([2, 2], col.Lerp(row, 0.5).Shape);
        using var f = Tensor.From(new[] { 1f });
        var ex = Assert.Throws<ArgumentException>(() => f.Lerp(e[..1], 0.5));
        Assert.StartsWith("Lerp:", ex.Message);
        Assert.Contains("float64", ex.Message);
        using var i = Tensor.From(new[] { 1L });
        Assert.StartsWith("Lerp:", Assert.Throws<ArgumentException>(() => i.Lerp(i, 0.5)).Message);
    }

    [Fact]
    public void ActivationsAtSpecialPoints()
    {
        Assert.Equal(new[] { -0.02, 0, 3, Nan, -Inf }, Run(t => t.LeakyRelu(), -2, 0, 3, Nan, -Inf));
        Assert.Equal(new[] { -0.5, 2 }, Run(t => t.LeakyRelu(0.25), -2, 2));
        Assert.Equal(new[] { 0.0, 1000, -0.0, Nan }, Run(t => t.Gelu(), 0, 1000, -1000, Nan));
        TestUtil.AllClose(new[] { 0.8413447460685429, -0.15865525393145707 }, Run(t => t.Gelu(), 1, -1), 1e-15, 0);
        TestUtil.AllClose(new[] { 0.8411919906082768, -0.15880800939172324 }, Run(t => t.Gelu("tanh"), 1, -1), 1e-15, 0);
        TestUtil.AllClose(new[] { 0.7310585786300049, 0, 1000 }, Run(t => t.Silu(), 1, 0, 1000), 1e-15, 0);
        // Softplus: log(2) at 0, x itself past the threshold, the tail e^x (not 0) far below.
        TestUtil.AllClose(new[] { Math.Log(2), 21, 1000, Math.Exp(-50), Math.Log(1 + Math.Exp(19.9)) }, Run(t => t.Softplus(), 0, 21, 1000, -50, 19.9), 1e-15, 0);
        TestUtil.AllClose(new[] { Math.Log(1 + Math.Exp(2.0)) / 2, 5 }, Run(t => t.Softplus(2, 8), 1, 5), 1e-15, 0);
        TestUtil.AllClose(new[] { 2, 0, (Math.Exp(-1) - 1) * 1.5, -1.5 }, Run(t => t.Elu(1.5), 2, 0, -1, -1000), 1e-15, 0);
        Assert.Equal(new[] { -1.0, -1, 0.5, 1, 1, Nan }, Run(t => t.Hardtanh(), -Inf, -1, 0.5, 1, 7, Nan));
        Assert.Equal(new[] { -0.5, 2.0 }, Run(t => t.Hardtanh(-0.5, 2), -3, 3));
        Assert.Equal(new[] { 0, 0, 0.5, 1, 1, 0.75, Nan }, Run(t => t.Hardsigmoid(), -10, -3, 0, 3, 10, 1.5, Nan));
        // LogSigmoid: exact -log 2 at 0, x far below, the tail -e^-x far above, no overflow anywhere.
        TestUtil.AllClose(new[] { -Math.Log(2), -1000, -Math.Exp(-40), -0.0, -Inf }, Run(t => t.LogSigmoid(), 0, -1000, 40, Inf, -Inf), 1e-15, 0);
        using var i = Tensor.From(new[] { -3L, 0, 4 });
        using var hi = i.Hardtanh();
        Assert.Equal(DType.Int64, hi.DType);
        Assert.Equal(new[] { -1L, 0, 1 }, hi.ToArray<long>());
    }

    [Fact]
    public void ActivationsRefuseIntegersAndBadArguments()
    {
        using var i = Tensor.From(new[] { 1, 2 });
        foreach (var (name, f) in new (string, Func<Tensor, Tensor>)[]
                 {
                     ("LeakyRelu", t => t.LeakyRelu()), ("Gelu", t => t.Gelu()), ("Silu", t => t.Silu()), ("Softplus", t => t.Softplus()),
                     ("Elu", t => t.Elu()), ("Hardsigmoid", t => t.Hardsigmoid()), ("LogSigmoid", t => t.LogSigmoid()),
                 })
        {
            var ex = Assert.Throws<ArgumentException>(() => f(i));
            Assert.StartsWith(name + ":", ex.Message);
            Assert.Contains("int32", ex.Message);
        }
        using var x = Tensor.From(new[] { 1f });
        Assert.Contains("\"erf\"", Assert.Throws<ArgumentException>(() => x.Gelu("erf")).Message);
        Assert.StartsWith("Hardtanh:", Assert.Throws<ArgumentException>(() => x.Hardtanh(1, -1)).Message);
    }

    [Fact]
    public void AllCloseFollowsIsClose()
    {
        using var a = Tensor.From(new[] { 1.0, 1e10, Inf, -Inf, 0 });
        using var b = Tensor.From(new[] { 1.0 + 1e-6, 1e10 + 1e5, Inf, -Inf, 1e-9 });
        Assert.True(a.AllClose(b));
        Assert.False(a.AllClose(b, rtol: 1e-7));
        using var c = Tensor.From(new[] { 1.0, 1e10, Inf, Inf, 0 });
        Assert.False(a.AllClose(c));                              // -inf vs +inf
        using var big = Tensor.From(new[] { 1e308, 1.0, Inf, -Inf, 0 });
        Assert.False(a.AllClose(big, rtol: 10));                  // inf - finite is never close, whatever the tolerance
        using var n1 = Tensor.From(new[] { Nan, 1.0 });
        using var n2 = Tensor.From(new[] { Nan, 1.0 });
        Assert.False(n1.AllClose(n2));
        Assert.True(n1.AllClose(n2, equalNan: true));
        using var row = Tensor.From(new[] { 1.0, 1.0 });
        using var one = Tensor.From(new[] { 1.0 });
        Assert.True(row.AllClose(one));                           // broadcast
        using var i1 = Tensor.From(new[] { 100L, 5 });
        using var i2 = Tensor.From(new[] { 100L, 6 });
        Assert.True(i1.AllClose(i1));
        Assert.False(i1.AllClose(i2, rtol: 0.1));
        Assert.True(i1.AllClose(i2, rtol: 0, atol: 1));
        using var empty = Tensor.Zeros(0, 3);
        Assert.True(empty.AllClose(empty));
        using var f = Tensor.From(new[] { 1f });
        var ex = Assert.Throws<ArgumentException>(() => f.AllClose(one));
        Assert.StartsWith("AllClose:", ex.Message);
        Assert.Contains("float32", ex.Message);
        using var three = Tensor.From(new[] { 1.0, 2, 3 });
        Assert.StartsWith("AllClose:", Assert.Throws<ArgumentException>(() => row.AllClose(three)).Message);
    }

    [Fact]
    public void EqualNeedsTheSameShapeAndValues()
    {
        using var a = Tensor.From(new[] { 1.0, 2.0 });
        using var b = Tensor.From(new[] { 1f, 2f });
        using var c = Tensor.From(new[] { 1.0, 2.5 });
        using var row = Tensor.From(new[] { 1.0, 2.0 }, 1, 2);
        using var n = Tensor.From(new[] { Nan });
        Assert.True(a.Equal(b));          // after promotion
        Assert.False(a.Equal(c));
        Assert.False(a.Equal(row));       // no broadcasting
        Assert.False(n.Equal(n));
        Assert.True(Tensor.Zeros(0).Equal(Tensor.Zeros(0)));
    }
}
