using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Tensors.Tests.Elementwise;

/// <summary>Identities the new functions must satisfy on random inputs (FsCheck), in float64.</summary>
public class ElementwiseProperties
{
    // Values of every magnitude from 1e-6 to 1e6, either sign, and exact integers and halves.
    private static Gen<double[]> Values(double maxMagnitude = 1e6) =>
        from n in Gen.Choose(1, 40)
        from xs in Gen.ArrayOf(
            Gen.OneOf(
                from m in Gen.Choose(-6000, 6000) from s in Gen.Elements(-1.0, 1.0) select s * Math.Min(maxMagnitude, Math.Pow(10, m / 1000.0)),
                from k in Gen.Choose(-40, 40) select k / 2.0),
            n)
        select xs;

    private static double[] Apply(double[] x, Func<Tensor, Tensor> f)
    {
        using var t = Tensor.From(x);
        using var y = f(t);
        return y.ToArray<double>();
    }

    private static bool Close(double a, double b, double rtol = 1e-12, double atol = 1e-300) => Math.Abs(a - b) <= atol + rtol * Math.Abs(b);

    // Every element must satisfy the identity; a failure names the first element that does not.
    private static bool Each(double[] x, Func<int, bool> holds, Func<int, string> explain)
    {
        for (int i = 0; i < x.Length; i++)
            if (!holds(i)) throw new Xunit.Sdk.XunitException($"x = {x[i]:R}: {explain(i)}");
        return true;
    }

    [Fact]
    public void RoundingBracketsTheValue() => TestUtil.Check(Values(), x =>
    {
        var fl = Apply(x, t => t.Floor());
        var ce = Apply(x, t => t.Ceil());
        var ro = Apply(x, t => t.Round());
        var fr = Apply(x, t => t.Frac());
        var sg = Apply(x, t => t.Sign());
        return Each(x, i =>
            fl[i] <= x[i] && x[i] <= ce[i] && ce[i] - fl[i] <= 1 && Math.Abs(ro[i] - x[i]) <= 0.5 && fr[i] == x[i] - Math.Truncate(x[i]) &&
            sg[i] * Math.Abs(x[i]) == x[i] && (Math.Abs(ro[i] - x[i]) != 0.5 || ro[i] % 2 == 0),
            i => $"floor {fl[i]}, ceil {ce[i]}, round {ro[i]}, frac {fr[i]}, sign {sg[i]}");
    });

    [Fact]
    public void TrigonometricAndLogarithmicIdentities() => TestUtil.Check(Values(1e4), x =>
    {
        var s = Apply(x, t => t.Sin());
        var c = Apply(x, t => t.Cos());
        var at = Apply(x, t => t.Atan());
        var a2 = Apply(x, t => t.Atan2(Tensor.OnesLike(t)));
        var ab = x.Select(Math.Abs).ToArray();
        var l2 = Apply(ab, t => t.Log2());
        var back = Apply(l2, t => t.Exp2());
        var sh = Apply(x.Select(v => v / 1e3).ToArray(), t => t.Sinh());
        var ch = Apply(x.Select(v => v / 1e3).ToArray(), t => t.Cosh());
        return Each(x, i =>
            Close(s[i] * s[i] + c[i] * c[i], 1, 1e-14, 1e-14) && Close(at[i], a2[i], 4e-16) && Close(back[i], ab[i], 1e-13)
            && Close(ch[i] * ch[i] - sh[i] * sh[i], 1, 0, 2e-15 * ch[i] * ch[i]), // cancellation: a few ulps of cosh²
            i => $"sin {s[i]:R}, cos {c[i]:R}, atan {at[i]:R}, atan2 {a2[i]:R}, exp2(log2) {back[i]:R}, sinh {sh[i]:R}, cosh {ch[i]:R}");
    });

    [Fact]
    public void Log1pAndExpm1AreInverses() => TestUtil.Check(Values(30), x =>
    {
        var e = Apply(x, t => t.Expm1());
        var l = Apply(e, t => t.Log1p());
        // log1p is ill-conditioned near -1 (expm1 of x below -1), so there the check is expm1 against e^x - 1.
        return Each(x, i => e[i] > -0.5 ? Close(l[i], x[i], 1e-14, 1e-300) : Close(e[i], Math.Exp(x[i]) - 1, 1e-15),
            i => $"expm1 {e[i]:R}, log1p of that {l[i]:R}");
    });

    [Fact]
    public void OddAndReflectedActivations() => TestUtil.Check(Values(30), x =>
    {
        var neg = x.Select(v => -v).ToArray();
        var erf = Apply(x, t => t.Erf());
        var erfNeg = Apply(neg, t => t.Erf());
        var g = Apply(x, t => t.Gelu());
        var gNeg = Apply(neg, t => t.Gelu());
        var sp = Apply(x, t => t.Softplus(1, 1e9));
        var spNeg = Apply(neg, t => t.Softplus(1, 1e9));
        var ls = Apply(x, t => t.LogSigmoid());
        var silu = Apply(x, t => t.Silu());
        var sig = Apply(x, t => t.Sigmoid());
        // erf is odd; gelu(x) - gelu(-x) = x; softplus(x) - softplus(-x) = x; log σ(x) = -softplus(-x); silu = x σ(x).
        return Each(x, i =>
            erf[i] == -erfNeg[i] && Close(g[i] - gNeg[i], x[i], 1e-12, 1e-12) && Close(sp[i] - spNeg[i], x[i], 1e-12, 1e-12)
            && Close(ls[i], -spNeg[i], 1e-12) && Close(silu[i], x[i] * sig[i], 1e-15),
            i => $"erf {erf[i]:R} / {erfNeg[i]:R}, gelu {g[i]:R} / {gNeg[i]:R}, softplus {sp[i]:R} / {spNeg[i]:R}, logsigmoid {ls[i]:R}, silu {silu[i]:R}");
    });

    [Fact]
    public void AllCloseAndEqualAgreeWithTheirDefinitions() => TestUtil.Check(
        from x in Values() from scale in Gen.Elements(0.0, 1e-9, 1e-6, 1e-3) select (x, scale), p =>
        {
            var y = p.x.Select((v, i) => v * (1 + p.scale * ((i % 3) - 1))).ToArray();
            using var a = Tensor.From(p.x);
            using var b = Tensor.From(y);
            bool expected = p.x.Select((v, i) => Math.Abs(v - y[i]) <= 1e-8 + 1e-5 * Math.Abs(y[i])).All(c => c);
            return a.AllClose(b) == expected && a.Equal(b) == p.x.SequenceEqual(y) && a.Equal(a) && a.AllClose(a, rtol: 0, atol: 0);
        });
}
