namespace Tensors.NN;

/// <summary>x, or <c>NegativeSlope</c> x where x &lt;= 0 (PyTorch's <c>nn.LeakyReLU</c>).</summary>
/// <param name="negativeSlope">The slope for x &lt;= 0.</param>
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
    /// <param name="approximate"><c>"none"</c> (erf) or <c>"tanh"</c>.</param>
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
