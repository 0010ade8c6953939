namespace Tensors.Optim;

/// <summary>PyTorch's <c>MultiStepLR</c>: multiplies every group's learning rate by <see cref="Gamma"/> at each
/// milestone step (by gamma^k at a milestone listed k times).</summary>
public sealed class MultiStepLR : LRScheduler
{
    private readonly int[] _milestones;

    /// <summary>Creates the scheduler.</summary>
    /// <param name="optimizer">The optimizer whose groups' learning rates it sets.</param>
    /// <param name="milestones">The step counts at which to decay (PyTorch's <c>milestones</c>); a milestone listed k
    /// times decays by gamma^k.</param>
    /// <param name="gamma">The factor the learning rate is multiplied by at each milestone (<c>gamma</c>); default
    /// 0.1.</param>
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
