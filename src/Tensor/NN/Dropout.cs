namespace Tensors.NN;

/// <summary>
/// Zeroes each element with probability <see cref="P"/> in training mode and scales the rest by 1 / (1 - p)
/// (PyTorch's <c>nn.Dropout</c>); the identity in evaluation mode. See <see cref="Functional.Dropout"/>.
/// </summary>
public sealed class Dropout : Module
{
    private readonly Generator? _generator;

    /// <summary>Creates the layer.</summary>
    /// <param name="p">The probability of zeroing an element, in [0, 1]; default 0.5.</param>
    /// <param name="generator">The random stream for the masks (default: <see cref="Generator.Default"/>).</param>
    public Dropout(double p = 0.5, Generator? generator = null)
    {
        Functional.CheckProbability("Dropout", p);
        P = p;
        _generator = generator;
    }

    /// <summary>The random stream for the masks, or null for <see cref="Generator.Default"/> (checkpoints save its
    /// position).</summary>
    internal Generator? Generator => _generator;

    /// <summary>The probability of zeroing an element.</summary>
    public double P { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Functional.Dropout(input, P, IsTraining, _generator);
}
