namespace Tensors.Optim;

/// <summary>PyTorch's <c>ExponentialLR</c>: multiplies every group's learning rate by <see cref="Gamma"/> at every step.</summary>
public sealed class ExponentialLR : LRScheduler
{
    /// <summary>Creates the scheduler.</summary>
    /// <param name="optimizer">The optimizer whose groups' learning rates it sets.</param>
    /// <param name="gamma">The factor the learning rate is multiplied by at every call to Step (PyTorch's
    /// <c>gamma</c>).</param>
    public ExponentialLR(Optimizer optimizer, double gamma) : base(optimizer) => Gamma = gamma;

    /// <summary>The factor applied at each step.</summary>
    public double Gamma { get; }

    /// <inheritdoc />
    protected override double[] ComputeLrs() => LastEpoch == 0 ? CurrentLrs() : ScaledLrs(Gamma);
}
