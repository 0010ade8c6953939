using Tensors.NN;

namespace Tensors.Tests.Fixtures;

internal static partial class FixtureInterpreter
{
    /// <summary>The elementwise area (fixtures_elementwise.py): unary functions, atan2, composites, activations in
    /// their <c>F.*</c> forms, and allclose/equal as 0-d bool tensors.</summary>
    private static Tensor? ApplyElementwise(string op, object[] a, Dictionary<string, object> kw)
    {
        Tensor X() => (Tensor)a[0];
        double Kw(string name, double fallback) => kw.TryGetValue(name, out var v) ? Convert.ToDouble(v) : fallback;
        double? Opt(string name) => kw.TryGetValue(name, out var v) ? Convert.ToDouble(v) : null;
        return op switch
        {
            "sin" => X().Sin(), "cos" => X().Cos(), "tan" => X().Tan(), "asin" => X().Asin(), "acos" => X().Acos(),
            "atan" => X().Atan(), "sinh" => X().Sinh(), "cosh" => X().Cosh(), "floor" => X().Floor(), "ceil" => X().Ceil(),
            "round" => X().Round(), "log1p" => X().Log1p(), "expm1" => X().Expm1(), "log2" => X().Log2(),
            "log10" => X().Log10(), "exp2" => X().Exp2(), "rsqrt" => X().Rsqrt(), "erf" => X().Erf(), "sign" => X().Sign(),
            "frac" => X().Frac(), "reciprocal" => X().Reciprocal(), "square" => X().Square(), "isnan" => X().IsNan(),
            "isinf" => X().IsInf(), "isfinite" => X().IsFinite(),
            "atan2" => X().Atan2((Tensor)a[1]),
            "nan_to_num" => X().NanToNum(Kw("nan", 0), Opt("posinf"), Opt("neginf")),
            "lerp" => a[2] is Tensor w ? X().Lerp((Tensor)a[1], w) : X().Lerp((Tensor)a[1], Convert.ToDouble(a[2])),
            "leaky_relu" => Functional.LeakyRelu(X(), Kw("negative_slope", 0.01)),
            "gelu" => Functional.Gelu(X(), kw.TryGetValue("approximate", out var ap) ? (string)ap : "none"),
            "silu" => Functional.Silu(X()),
            "softplus" => Functional.Softplus(X(), Kw("beta", 1), Kw("threshold", 20)),
            "elu" => Functional.Elu(X(), Kw("alpha", 1)),
            "hardtanh" => Functional.Hardtanh(X(), Kw("min_val", -1), Kw("max_val", 1)),
            "hardsigmoid" => Functional.Hardsigmoid(X()),
            "logsigmoid" => Functional.LogSigmoid(X()),
            "allclose" => Tensor.Scalar(X().AllClose((Tensor)a[1], Kw("rtol", 1e-5), Kw("atol", 1e-8), kw.TryGetValue("equal_nan", out var en) && (bool)en), DType.Bool),
            "equal" => Tensor.Scalar(X().Equal((Tensor)a[1]), DType.Bool),
            _ => null,
        };
    }
}
