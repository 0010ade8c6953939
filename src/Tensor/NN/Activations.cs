namespace Tensors.NN;

/// <summary>x, or <c>NegativeSlope</c> x where x &lt;= 0 (PyTorch's <c>nn.LeakyReLU</c>).</summary>
/// <param name="negativeSlope">The slope for x &lt;= 0; default 0.01.</param>
public sealed class LeakyReLU(double negativeSlope = 0.01) : Module
{
    /// <summary>The slope for x &lt;= 0.</summary>
    public double NegativeSlope { get; } = negativeSlope;

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input.LeakyRelu(NegativeSlope);
}

/// <summary>x Φ(x) (PyTorch's <c>nn.GELU</c>).</summary>
public sealed class GELU : Module
{
    /// <summary>Creates the layer.</summary>
    /// <param name="approximate"><c>"none"</c> (erf) or <c>"tanh"</c>; default <c>"none"</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="approximate"/> is neither <c>"none"</c> nor
    /// <c>"tanh"</c>.</exception>
    public GELU(string approximate = "none")
    {
        if (approximate is not ("none" or "tanh"))
            throw new ArgumentException($"GELU: approximate must be \"none\" or \"tanh\", got \"{approximate}\".", nameof(approximate));
        Approximate = approximate;
    }

    /// <summary><c>"none"</c> or <c>"tanh"</c>.</summary>
    public string Approximate { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input.Gelu(Approximate);
}

/// <summary>x σ(x) (PyTorch's <c>nn.SiLU</c>).</summary>
public sealed class SiLU : Module
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input.Silu();
}

/// <summary>Hyperbolic tangent (PyTorch's <c>nn.Tanh</c>).</summary>
public sealed class Tanh : Module
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input.Tanh();
}

/// <summary>exp(x) / sum(exp(x)) along <c>Dim</c> (PyTorch's <c>nn.Softmax(dim)</c>).</summary>
/// <param name="dim">The dim that sums to 1.</param>
public sealed class Softmax(int dim) : Module
{
    /// <summary>The dim that sums to 1.</summary>
    public int Dim { get; } = dim;

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Functional.Softmax(input, Dim);
}

/// <summary>log(softmax(x)) along <c>Dim</c> (PyTorch's <c>nn.LogSoftmax(dim)</c>).</summary>
/// <param name="dim">The dim of the softmax.</param>
public sealed class LogSoftmax(int dim) : Module
{
    /// <summary>The dim of the softmax.</summary>
    public int Dim { get; } = dim;

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Functional.LogSoftmax(input, Dim);
}

/// <summary>log(1 + e^(βx)) / β, linear above the threshold (PyTorch's <c>nn.Softplus</c>).</summary>
/// <param name="beta">The sharpness β; default 1.</param>
/// <param name="threshold">Above this βx the result is x; default 20.</param>
public sealed class Softplus(double beta = 1, double threshold = 20) : Module
{
    /// <summary>The sharpness β.</summary>
    public double Beta { get; } = beta;

    /// <summary>Above this βx the result is x.</summary>
    public double Threshold { get; } = threshold;

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input.Softplus(Beta, Threshold);
}

/// <summary>x, or α (e^x - 1) where x &lt;= 0 (PyTorch's <c>nn.ELU</c>).</summary>
/// <param name="alpha">The α of the negative part; default 1.</param>
public sealed class ELU(double alpha = 1) : Module
{
    /// <summary>The α of the negative part.</summary>
    public double Alpha { get; } = alpha;

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input.Elu(Alpha);
}

/// <summary>x clamped to [MinVal, MaxVal], gradient 0 at the bounds (PyTorch's <c>nn.Hardtanh</c>).</summary>
public sealed class Hardtanh : Module
{
    /// <summary>Creates the layer.</summary>
    /// <param name="minVal">The lower bound; default -1.</param>
    /// <param name="maxVal">The upper bound (not below <paramref name="minVal"/>); default 1.</param>
    /// <exception cref="ArgumentException"><paramref name="minVal"/> is greater than <paramref
    /// name="maxVal"/>.</exception>
    public Hardtanh(double minVal = -1, double maxVal = 1)
    {
        if (minVal > maxVal)
            throw new ArgumentException($"Hardtanh: minVal ({minVal}) cannot be greater than maxVal ({maxVal}).", nameof(minVal));
        MinVal = minVal;
        MaxVal = maxVal;
    }

    /// <summary>The lower bound.</summary>
    public double MinVal { get; }

    /// <summary>The upper bound.</summary>
    public double MaxVal { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input.Hardtanh(MinVal, MaxVal);
}

/// <summary>clamp(x / 6 + 1/2, 0, 1) (PyTorch's <c>nn.Hardsigmoid</c>).</summary>
public sealed class Hardsigmoid : Module
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input.Hardsigmoid();
}

/// <summary>log σ(x), stable for large |x| (PyTorch's <c>nn.LogSigmoid</c>).</summary>
public sealed class LogSigmoid : Module
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input.LogSigmoid();
}
