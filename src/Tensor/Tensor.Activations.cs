namespace Tensors;

// Activation functions as composites of existing ops (PyTorch's torch.nn.functional forms, on floating tensors).
// Each branch that Where discards is computed on clamped input, so that it stays finite and its zero gradient
// does not turn into 0 * inf = NaN. LogSigmoid alone has a node of its own (Graph/LogSigmoidBackward).
public sealed partial class Tensor
{
    /// <summary>x where x &gt; 0, else <paramref name="negativeSlope"/> x (PyTorch's <c>F.leaky_relu</c>; the
    /// gradient at 0 is the slope, as in PyTorch).</summary>
    /// <param name="negativeSlope">The slope for x &lt;= 0; default 0.01.</param>
    public Tensor LeakyRelu(double negativeSlope = 0.01) => Activation("LeakyRelu", x =>
    {
        var positive = x.Gt(0);
        return Where(positive, x, x * negativeSlope);
    });

    /// <summary>x Φ(x), Φ the standard normal CDF (PyTorch's <c>F.gelu</c>).</summary>
    /// <param name="approximate"><c>"none"</c>: exact, 0.5 x (1 + erf(x / √2)); <c>"tanh"</c>: 0.5 x (1 + tanh(√(2/π)
    /// (x + 0.044715 x³))); default <c>"none"</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="approximate"/> is neither <c>"none"</c> nor
    /// <c>"tanh"</c>.</exception>
    public Tensor Gelu(string approximate = "none")
    {
        if (approximate is not ("none" or "tanh"))
            throw new ArgumentException($"Gelu: approximate must be \"none\" or \"tanh\", got \"{approximate}\".", nameof(approximate));
        return Activation("Gelu", x => approximate == "none"
            ? x * 0.5 * ((x * Math.Sqrt(0.5)).Erf() + 1.0)
            : x * 0.5 * ((x + x * x * x * 0.044715) * Math.Sqrt(2 / Math.PI)).Tanh().Add(1.0));
    }

    /// <summary>x σ(x), the sigmoid-weighted linear unit (PyTorch's <c>F.silu</c>, also called swish).</summary>
    public Tensor Silu() => Activation("Silu", x => x * x.Sigmoid());

    /// <summary>log(1 + e^(βx)) / β, and x itself where βx &gt; <paramref name="threshold"/> (PyTorch's
    /// <c>F.softplus</c>).</summary>
    /// <param name="beta">The sharpness β; default 1.</param>
    /// <param name="threshold">Above this βx the function is linear; default 20.</param>
    public Tensor Softplus(double beta = 1, double threshold = 20) => Activation("Softplus", x =>
    {
        var bx = x * beta;
        var smooth = bx.Clamp(max: threshold).Exp().Log1p() / beta;
        return Where(bx.Gt(threshold), x, smooth);
    });

    /// <summary>x where x &gt; 0, else α (e^x - 1) (PyTorch's <c>F.elu</c>).</summary>
    /// <param name="alpha">The value α approaches as x goes to -inf, negated; default 1.</param>
    public Tensor Elu(double alpha = 1) => Activation("Elu", x => Where(x.Gt(0), x, x.Clamp(max: 0).Expm1() * alpha));

    /// <summary>x clamped to [<paramref name="minVal"/>, <paramref name="maxVal"/>] (PyTorch's <c>F.hardtanh</c>).
    /// Unlike <see cref="Clamp"/>, the gradient is 0 at the bounds themselves, as in PyTorch. Integer tensors keep
    /// their dtype.</summary>
    /// <param name="minVal">The lower bound; default -1.</param>
    /// <param name="maxVal">The upper bound (not below <paramref name="minVal"/>); default 1.</param>
    /// <exception cref="ArgumentException"><paramref name="minVal"/> is greater than <paramref name="maxVal"/>, or the
    /// tensor is UInt8 and <paramref name="minVal"/> negative.</exception>
    public Tensor Hardtanh(double minVal = -1, double maxVal = 1)
    {
        if (minVal > maxVal)
            throw new ArgumentException($"Hardtanh: minVal ({minVal}) cannot be greater than maxVal ({maxVal}).", nameof(minVal));
        if (DType == DType.UInt8 && minVal < 0)
            throw new ArgumentException($"Hardtanh: cannot do hardtanh on a uint8 tensor with a negative limit (minVal {minVal}).", nameof(minVal));
        if (!DType.IsFloatingPoint() && DType != DType.Bool)
        {
            using var clamped = Clamp(minVal, maxVal);
            return clamped.To(DType);
        }
        return Activation("Hardtanh", x => Where(x.Le(minVal), minVal, Where(x.Ge(maxVal), maxVal, x)));
    }

    /// <summary>0 below -3, 1 above 3, x / 6 + 1/2 between (PyTorch's <c>F.hardsigmoid</c>).</summary>
    public Tensor Hardsigmoid() => Activation("Hardsigmoid", x => Where(x.Le(-3), 0, Where(x.Ge(3), 1, x / 6.0 + 0.5)));

    /// <summary>log σ(x), computed as min(x, 0) - log(1 + e^-|x|), which neither overflows nor loses the tail for
    /// large |x| (PyTorch's <c>F.logsigmoid</c>).</summary>
    public Tensor LogSigmoid()
    {
        RequireFloating("LogSigmoid");
        Tensor result;
        using (Autograd.Suspend())
        {
            using var scope = NewDisposeScope();
            result = scope.MoveToOuter(Minimum(Num(0)) - (-Abs()).Exp().Log1p());
        }
        return Autograd.ShouldRecord(this) ? result.Record(new Graph.LogSigmoidBackward(this)) : result;
    }

    /// <summary>Runs a composite over this floating tensor, disposing its temporaries.</summary>
    private Tensor Activation(string op, Func<Tensor, Tensor> body)
    {
        RequireFloating(op);
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(body(this));
    }

    private void RequireFloating(string op)
    {
        StorageFor(op);
        if (!DType.IsFloatingPoint())
            throw new ArgumentException($"{op}: not implemented for dtype {DType.Name()}; it takes a floating-point tensor (convert with To(DType.Float32)).");
    }
}
