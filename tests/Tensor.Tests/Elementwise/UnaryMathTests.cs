using Tensors.Ops;
using Xunit;

namespace Tensors.Tests.Elementwise;

/// <summary>The new unary functions: special points by hand, accuracy against double-precision math at many points
/// (through the CPU backend's span forms, which contiguous tensors take), dtype rules.</summary>
public class UnaryMathTests
{
    private static readonly Dictionary<string, (Func<Tensor, Tensor> Op, Func<double, double> Exact)> Functions = new()
    {
        ["Sin"] = (t => t.Sin(), Math.Sin), ["Cos"] = (t => t.Cos(), Math.Cos), ["Tan"] = (t => t.Tan(), Math.Tan),
        ["Asin"] = (t => t.Asin(), Math.Asin), ["Acos"] = (t => t.Acos(), Math.Acos), ["Atan"] = (t => t.Atan(), Math.Atan),
        ["Sinh"] = (t => t.Sinh(), Math.Sinh), ["Cosh"] = (t => t.Cosh(), Math.Cosh),
        ["Log1p"] = (t => t.Log1p(), Log1pOfFloat), ["Expm1"] = (t => t.Expm1(), Expm1OfFloat),
        ["Log2"] = (t => t.Log2(), Math.Log2), ["Log10"] = (t => t.Log10(), Math.Log10),
        ["Exp2"] = (t => t.Exp2(), x => Math.Pow(2, x)), ["Rsqrt"] = (t => t.Rsqrt(), x => 1 / Math.Sqrt(x)),
        ["Erf"] = (t => t.Erf(), ErfMath.Erf),
        ["Floor"] = (t => t.Floor(), Math.Floor), ["Ceil"] = (t => t.Ceil(), Math.Ceiling),
        ["Round"] = (t => t.Round(), x => Math.Round(x, MidpointRounding.ToEven)),
    };

    // log1p and expm1 of a float input, in double: 1 + x is exact in double unless |x| < 2^-29, where the first
    // terms of the series are exact far beyond float precision.
    private static double Log1pOfFloat(double x) => Math.Abs(x) < 1.0 / (1 << 29) ? x - x * x / 2 : Math.Log(1 + x);
    private static double Expm1OfFloat(double x) => Math.Abs(x) < 1e-5 ? x + x * x / 2 + x * x * x / 6 : Math.Exp(x) - 1;

    /// <summary>Inputs in each function's domain: dense, near zero, and out to where the result overflows.</summary>
    private static float[] Points(string op)
    {
        var (lo, hi) = op switch
        {
            "Asin" or "Acos" => (-1.0, 1.0),
            "Sinh" or "Cosh" => (-89.0, 89.0),
            "Log1p" => (-0.999, 1e4),
            "Expm1" => (-90.0, 88.0),
            "Log2" or "Log10" or "Rsqrt" => (1e-30, 1e30),
            "Exp2" => (-149.0, 127.0),
            "Erf" => (-7.0, 7.0),
            _ => (-100.0, 100.0),
        };
        var xs = new List<float>();
        for (int i = 0; i <= 20_000; i++) xs.Add((float)(lo + (hi - lo) * i / 20_000));
        if (op is "Log2" or "Log10" or "Rsqrt")
            for (int e = -149; e < 128; e++) xs.Add(MathF.ScaleB(1.37f, e));
        else
            foreach (var tiny in new[] { 1e-30f, 1e-20f, 1e-10f, 3e-8f, 1e-5f, 1e-3f, 0.1f, 0.3f })
            {
                xs.Add(tiny);
                if (lo < 0) xs.Add(-tiny);
            }
        return [.. xs.Where(x => x >= lo && x <= hi)];
    }

    private static int UlpsApart(float a, float b)
    {
        int ia = BitConverter.SingleToInt32Bits(a), ib = BitConverter.SingleToInt32Bits(b);
        if (ia < 0) ia = int.MinValue - ia;
        if (ib < 0) ib = int.MinValue - ib;
        return (int)Math.Min(int.MaxValue, Math.Abs((long)ia - ib));
    }

    [Theory]
    [InlineData("Sin", 2)] [InlineData("Cos", 2)] [InlineData("Tan", 3)] [InlineData("Asin", 2)] [InlineData("Acos", 2)]
    [InlineData("Atan", 2)] [InlineData("Sinh", 2)] [InlineData("Cosh", 2)] [InlineData("Log1p", 3)] [InlineData("Expm1", 3)]
    [InlineData("Log2", 2)] [InlineData("Log10", 2)] [InlineData("Exp2", 1)] [InlineData("Rsqrt", 1)] [InlineData("Erf", 1)]
    [InlineData("Floor", 0)] [InlineData("Ceil", 0)] [InlineData("Round", 0)]
    public void Float32SpansAreAccurateAgainstDoubleMath(string op, int ulps)
    {
        var xs = Points(op);
        var (f, exact) = Functions[op];
        using var x = Tensor.From(xs);
        using var y = f(x);
        var got = y.ToArray<float>();
        var bad = new List<string>();
        for (int i = 0; i < xs.Length; i++)
        {
            float want = (float)exact(xs[i]);
            // Tiny results: the ulp of a subnormal is below float's precision anyway; compare absolutely there.
            bool ok = float.IsNaN(want) ? float.IsNaN(got[i]) : UlpsApart(want, got[i]) <= ulps || Math.Abs(want - got[i]) < 1e-37;
            if (!ok) bad.Add($"{op}({xs[i]:R}) = {got[i]:R}, exact {want:R} ({UlpsApart(want, got[i])} ulps)");
        }
        Assert.True(bad.Count == 0, $"{bad.Count} of {xs.Length} beyond {ulps} ulps:\n" + string.Join("\n", bad.Take(20)));
    }

    [Theory]
    [InlineData("Sin")] [InlineData("Cos")] [InlineData("Tan")] [InlineData("Asin")] [InlineData("Acos")] [InlineData("Atan")]
    [InlineData("Sinh")] [InlineData("Cosh")] [InlineData("Log2")] [InlineData("Log10")] [InlineData("Exp2")] [InlineData("Rsqrt")]
    public void Float64SpansAgreeWithDoubleMath(string op)
    {
        var xs = Points(op).Select(v => (double)v * (1 + 1e-9)).Where(v => op is not ("Asin" or "Acos") || Math.Abs(v) <= 1).ToArray();
        var (f, exact) = Functions[op];
        using var x = Tensor.From(xs);
        using var y = f(x);
        var want = xs.Select(exact).ToArray();
        TestUtil.AllClose(want, y.ToArray<double>(), 1e-14, 1e-300);
    }

    [Fact]
    public void Log1pExpm1AndErfInDoubleMatchPython()
    {
        // math.log1p, math.expm1 and math.erf of Python 3 (correctly rounded C library functions).
        (double X, double Y)[] log1p = [(1e-300, 1e-300), (-1e-20, -1e-20), (1e-10, 9.999999999500001e-11), (-3e-08, -3.000000045000001e-08),
            (1e-05, 9.999950000333332e-06), (0.001, 0.0009995003330835331), (-0.3, -0.35667494393873234), (0.5, 0.4054651081081644),
            (0.99, 0.688134638736401), (-0.999999, -13.815510557935518), (3.0, 1.3862943611198906), (1e10, 23.025850930040455), (1e300, 690.7755278982137)];
        (double X, double Y)[] expm1 = [(1e-300, 1e-300), (-1e-20, -1e-20), (1e-10, 1.00000000005e-10), (-3e-08, -2.999999955e-08),
            (1e-05, 1.0000050000166668e-05), (-0.001, -0.0009995001666250085), (0.3, 0.3498588075760031), (-0.5, -0.3934693402873666),
            (1.0, 1.718281828459045), (-20.0, -0.9999999979388464), (50.0, 5.184705528587072e+21), (700.0, 1.0142320547350045e+304)];
        (double X, double Y)[] erf = [(1e-300, 1.1283791670955126e-300), (-1e-12, -1.1283791670955126e-12), (1e-08, 1.1283791670955126e-08),
            (0.1, 0.1124629160182849), (-0.5, -0.5204998778130465), (0.84375, 0.7672256612323416), (1.0, 0.8427007929497149),
            (-1.5, -0.9661051464753108), (2.0, 0.9953222650189527), (2.49, 0.9995707121322661), (2.51, 0.9996142945182758),
            (3.0, 0.9999779095030014), (-4.0, -0.9999999845827421), (5.5, 0.9999999999999927), (5.99, 1.0)];
        foreach (var (name, table, f) in new (string, (double X, double Y)[], Func<Tensor, Tensor>)[]
                     { ("Log1p", log1p, t => t.Log1p()), ("Expm1", expm1, t => t.Expm1()), ("Erf", erf, t => t.Erf()) })
        {
            using var x = Tensor.From(table.Select(p => p.X).ToArray());
            using var y = f(x);
            var span = y.ToArray<double>();
            // A strided view takes the scalar form.
            using var strided = Tensor.From(table.SelectMany(p => new[] { p.X, double.NaN }).ToArray(), table.Length, 2);
            using var ys = f(strided[.., 0]);
            var scalar = ys.ToArray<double>();
            for (int i = 0; i < table.Length; i++)
                foreach (var (form, got) in new[] { ("span", span[i]), ("scalar", scalar[i]) })
                    Assert.True(Math.Abs(got - table[i].Y) <= 4e-16 * Math.Abs(table[i].Y), $"{name}({table[i].X:R}) = {got:R} ({form} form), Python {table[i].Y:R}");
        }
    }

    [Fact]
    public void VectorisedFloatErfIsTheCorrectlyRoundedOneButForNearTies()
    {
        // Every 2^-12 from -6 to 6 (both polynomial pieces, their seam at 1 and the cap at 4), against the double
        // series rounded to float: at most one ulp apart, and rarely even that.
        var xs = Enumerable.Range(-6 * 4096, 12 * 4096 + 1).Select(i => i / 4096f)
            .Concat([float.Epsilon, -1e-30f, 1e-20f, float.MaxValue, -float.MaxValue]).ToArray();
        var d = new float[xs.Length];
        FastErf.Apply(xs, d);
        int differ = 0;
        for (int i = 0; i < xs.Length; i++)
        {
            float want = (float)ErfMath.Erf(xs[i]);
            Assert.True(UlpsApart(want, d[i]) <= 1, $"erf({xs[i]:R}) = {d[i]:R}, expected {want:R}");
            if (want != d[i]) differ++;
        }
        Assert.True(differ < xs.Length / 1000, $"{differ} of {xs.Length} not correctly rounded");
        var special = new[] { 0f, -0f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, 0.5f, 2f, -3f, 5f };
        var ds = new float[special.Length];
        FastErf.Apply(special, ds); // the vector body (eight lanes) and the scalar tail
        Assert.Equal(new[] { 0f, -0f, 1f, -1f, float.NaN }, ds[..5]);
        Assert.True(float.IsNegative(ds[1]));
    }

    [Fact]
    public void SpecialPoints()
    {
        float inf = float.PositiveInfinity, nan = float.NaN;
        float[] x = [0f, -0f, inf, -inf, nan];
        void Check(Func<Tensor, Tensor> f, float[] want, string name)
        {
            using var t = Tensor.From(x);
            using var y = f(t);
            var got = y.ToArray<float>();
            for (int i = 0; i < x.Length; i++)
                Assert.True(BitConverter.SingleToInt32Bits(want[i]) == BitConverter.SingleToInt32Bits(got[i]) || float.IsNaN(want[i]) && float.IsNaN(got[i]),
                    $"{name}({x[i]}) = {got[i]}, expected {want[i]}");
        }
        Check(t => t.Sin(), [0f, -0f, nan, nan, nan], "Sin");
        Check(t => t.Cos(), [1f, 1f, nan, nan, nan], "Cos");
        Check(t => t.Tan(), [0f, -0f, nan, nan, nan], "Tan");
        Check(t => t.Asin(), [0f, -0f, nan, nan, nan], "Asin");
        Check(t => t.Acos(), [MathF.PI / 2, MathF.PI / 2, nan, nan, nan], "Acos");
        Check(t => t.Atan(), [0f, -0f, MathF.PI / 2, -MathF.PI / 2, nan], "Atan");
        Check(t => t.Sinh(), [0f, -0f, inf, -inf, nan], "Sinh");
        Check(t => t.Cosh(), [1f, 1f, inf, inf, nan], "Cosh");
        Check(t => t.Floor(), [0f, -0f, inf, -inf, nan], "Floor");
        Check(t => t.Ceil(), [0f, -0f, inf, -inf, nan], "Ceil");
        Check(t => t.Round(), [0f, -0f, inf, -inf, nan], "Round");
        Check(t => t.Log1p(), [0f, -0f, inf, nan, nan], "Log1p");
        Check(t => t.Expm1(), [0f, -0f, inf, -1f, nan], "Expm1");
        Check(t => t.Log2(), [-inf, -inf, inf, nan, nan], "Log2");
        Check(t => t.Log10(), [-inf, -inf, inf, nan, nan], "Log10");
        Check(t => t.Exp2(), [1f, 1f, inf, 0f, nan], "Exp2");
        Check(t => t.Rsqrt(), [inf, -inf, 0f, nan, nan], "Rsqrt");
        Check(t => t.Erf(), [0f, -0f, 1f, -1f, nan], "Erf");
        Check(t => t.Sign(), [0f, 0f, 1f, -1f, 0f], "Sign");
    }

    [Fact]
    public void Log1pAndExpm1KeepTinyArguments()
    {
        using var x = Tensor.From(new[] { 1e-10f, -1e-10f, 1e-30f, 3e-8f });
        using var l = x.Log1p();
        using var e = x.Expm1();
        Assert.Equal(x.ToArray<float>(), l.ToArray<float>()); // log1p(x) = x - x²/2: x itself at float precision
        Assert.Equal(x.ToArray<float>(), e.ToArray<float>());
        using var m1 = Tensor.From(new[] { -1f, -2f, 88.8f, -1e6f });
        Assert.Equal(new[] { float.NegativeInfinity, float.NaN }, m1.Log1p().ToArray<float>()[..2]);
        Assert.Equal(new[] { float.PositiveInfinity, -1f }, m1.Expm1().ToArray<float>()[2..]);
    }

    [Fact]
    public void RoundHalvesToEvenAsTorchRound()
    {
        using var x = Tensor.From(new[] { 0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 0.49999999999999994, 4503599627370497.0 });
        using var r = x.Round();
        Assert.Equal(new[] { 0.0, 2.0, 2.0, -0.0, -2.0, -2.0, 0.0, 4503599627370497.0 }, r.ToArray<double>());
        Assert.True(double.IsNegative(r.ToArray<double>()[3]));
        using var f = Tensor.From(new[] { -2.5f, 2.5f, -0.2f });
        Assert.Equal(new[] { -3f, 2f, -1f }, f.Floor().ToArray<float>());
        Assert.Equal(new[] { -2f, 3f, -0f }, f.Ceil().ToArray<float>());
    }

    [Fact]
    public void SignOfEveryNumericDtype()
    {
        using var f = Tensor.From(new[] { -3.5, -0.0, 0.0, 2.0, double.NaN, double.NegativeInfinity, 1e-320 });
        Assert.Equal(new[] { -1.0, 0, 0, 1, 0, -1, 1 }, f.Sign().ToArray<double>());
        using var i = Tensor.From(new[] { int.MinValue, -7, 0, 9, int.MaxValue });
        using var si = i.Sign();
        Assert.Equal(DType.Int32, si.DType);
        Assert.Equal(new[] { -1, -1, 0, 1, 1 }, si.ToArray<int>());
        using var l = Tensor.From(new[] { long.MinValue, 0L, 5L });
        Assert.Equal(new[] { -1L, 0, 1 }, l.Sign().ToArray<long>());
        using var b = Tensor.From(new byte[] { 0, 1, 255 });
        Assert.Equal(new byte[] { 0, 1, 1 }, b.Sign().ToArray<byte>());
        using var mask = Tensor.From(new[] { true, false });
        using var sm = mask.Sign();
        Assert.Equal(DType.Bool, sm.DType);
        Assert.Equal(new[] { true, false }, sm.ToArray<bool>());
    }

    [Fact]
    public void IntegersPromoteToFloat32OrStayAsTheyAre()
    {
        using var i = Tensor.From(new long[] { -2, 0, 3 });
        foreach (var f in new Func<Tensor, Tensor>[] { t => t.Sin(), t => t.Erf(), t => t.Exp2(), t => t.Rsqrt(), t => t.Log1p() })
        {
            using var y = f(i);
            Assert.Equal(DType.Float32, y.DType);
        }
        Assert.Equal(new[] { 0.25f, 1f, 8f }, i.Exp2().ToArray<float>());
        foreach (var f in new Func<Tensor, Tensor>[] { t => t.Floor(), t => t.Ceil(), t => t.Round() })
        {
            using var y = f(i);
            Assert.Equal(DType.Int64, y.DType);
            Assert.Equal(new long[] { -2, 0, 3 }, y.ToArray<long>());
        }
        using var bools = Tensor.From(new[] { true, false });
        Assert.Equal(new[] { MathF.Sin(1), 0f }, bools.Sin().ToArray<float>());
        var ex = Assert.Throws<ArgumentException>(() => bools.Floor());
        Assert.StartsWith("Floor:", ex.Message);
        Assert.Contains("bool", ex.Message);
    }

    [Fact]
    public void Atan2CoversEveryQuadrantAndPromotes()
    {
        using var y = Tensor.From(new[] { 1.0, 1.0, -1.0, -1.0, 0.0, -0.0, 0.0, 1.0 });
        using var x = Tensor.From(new[] { 1.0, -1.0, -1.0, 1.0, -1.0, -1.0, 0.0, 0.0 });
        using var a = y.Atan2(x);
        Assert.Equal(new[] { Math.PI / 4, 3 * Math.PI / 4, -3 * Math.PI / 4, -Math.PI / 4, Math.PI, -Math.PI, 0, Math.PI / 2 }, a.ToArray<double>());
        using var iy = Tensor.From(new long[] { 1, 2 });
        using var ix = Tensor.From(new long[] { 1, 1 });
        using var ia = iy.Atan2(ix);
        Assert.Equal(DType.Float32, ia.DType);
        Assert.Equal(new[] { MathF.Atan2(1, 1), MathF.Atan2(2, 1) }, ia.ToArray<float>());
        using var col = Tensor.From(new[] { 1f, -1f }, 2, 1);
        using var row = Tensor.From(new[] { 1f, 2f, -3f });
        Assert.Equal([2, 3], col.Atan2(row).Shape);
    }
}
