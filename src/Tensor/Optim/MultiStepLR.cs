namespace Tensors.Optim;

/// <summary>PyTorch's <c>MultiStepLR</c>: multiplies every group's learning rate by <see cref="Gamma"/> at each
/// milestone step (by gamma^k at a milestone listed k times).</summary>
public sealed class MultiStepLR : LRScheduler
{
    private readonly int[] _milestones;

    /// <summary>Creates the scheduler.</summary>
    /// <param name="optimizer">The optimizer whose groups it sets.</param>
    /// <param name="milestones">The steps at which to decay.</param>
    /// <param name="gamma">The factor applied at each milestone.</param>
    public MultiStepLR(Optimizer optimizer, IEnumerable<int> milestones, double gamma = 0.1) : base(optimizer)
    {
        _milestones = milestones.Order().ToArray();
        Gamma = gamma;
    }

    /// <summary>The steps at which the learning rate decays, in order.</summary>
    public IReadOnlyList<int> Milestones => _milestones;

    /// <summary>The factor applied at each milestone.</summary>
    public double Gamma { get; }

    /// <inheritdoc />
    protected override double[] ComputeLrs()
    {
        int hits = _milestones.Count(m => m == LastEpoch);
        return hits == 0 ? CurrentLrs() : ScaledLrs(Math.Pow(Gamma, hits));
    }
}
