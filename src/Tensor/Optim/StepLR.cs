namespace Tensors.Optim;

/// <summary>PyTorch's <c>StepLR</c>: multiplies every group's learning rate by <see cref="Gamma"/> every
/// <see cref="StepSize"/> steps.</summary>
public sealed class StepLR : LRScheduler
{
    /// <summary>Creates the scheduler.</summary>
    /// <param name="optimizer">The optimizer whose groups' learning rates it sets.</param>
    /// <param name="stepSize">The period of the decay, in calls to Step (PyTorch's <c>step_size</c>), positive.</param>
    /// <param name="gamma">The factor the learning rate is multiplied by at each period (<c>gamma</c>); default
    /// 0.1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="stepSize"/> is not positive.</exception>
    public StepLR(Optimizer optimizer, int stepSize, double gamma = 0.1) : base(optimizer)
    {
        if (stepSize <= 0) throw new ArgumentOutOfRangeException(nameof(stepSize), stepSize, "StepLR: stepSize must be positive.");
        (StepSize, Gamma) = (stepSize, gamma);
    }

    /// <summary>The period of the decay, in steps.</summary>
    public int StepSize { get; }

    /// <summary>The factor applied at each period.</summary>
    public double Gamma { get; }

    /// <inheritdoc />
    protected override double[] ComputeLrs() =>
        LastEpoch == 0 || LastEpoch % StepSize != 0 ? CurrentLrs() : ScaledLrs(Gamma);
}
