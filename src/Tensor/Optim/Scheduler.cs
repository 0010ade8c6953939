namespace Tensors.Optim;

/// <summary>
/// Sets an optimizer's learning rate (and momentum, when given) from a fastai-style schedule of progress in [0, 1],
/// once per <see cref="LRScheduler.Step"/>, over a known number of steps. With several parameter groups the first
/// follows the schedule and the others keep their ratio to it (fastai's discriminative learning rates).
/// </summary>
public sealed class Scheduler : LRScheduler
{
    private readonly Func<double, double> _lr;
    private readonly Func<double, double>? _momentum;
    private readonly int _totalSteps;

    /// <summary>Applies the schedules' starting values immediately.</summary>
    /// <param name="optimizer">The optimizer whose groups it sets.</param>
    /// <param name="totalSteps">The number of steps the schedules span.</param>
    /// <param name="learningRate">The learning rate as a function of progress.</param>
    /// <param name="momentum">The momentum as a function of progress, or null to leave it; default null.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="totalSteps"/> is not positive.</exception>
    public Scheduler(Optimizer optimizer, int totalSteps, Func<double, double> learningRate, Func<double, double>? momentum = null)
        : base(optimizer)
    {
        if (totalSteps <= 0) throw new ArgumentOutOfRangeException(nameof(totalSteps), totalSteps, "Scheduler: totalSteps must be positive.");
        (_totalSteps, _lr, _momentum) = (totalSteps, learningRate, momentum);
        Apply();
    }

    /// <summary>fastai's fit_one_cycle schedule over <paramref name="totalSteps"/> steps.</summary>
    /// <param name="optimizer">The optimizer whose groups it sets.</param>
    /// <param name="totalSteps">The number of steps.</param>
    /// <param name="maxLr">The peak learning rate (of the first group).</param>
    public static Scheduler OneCycle(Optimizer optimizer, int totalSteps, double maxLr) =>
        new(optimizer, totalSteps, Schedules.OneCycle(maxLr), Schedules.OneCycleMomentum());

    /// <summary>Cosine annealing from the optimizer's current learning rate to <paramref name="minLr"/>.</summary>
    /// <param name="optimizer">The optimizer whose groups it sets.</param>
    /// <param name="totalSteps">The number of steps.</param>
    /// <param name="minLr">The final learning rate (of the first group); default 0.</param>
    public static Scheduler Cosine(Optimizer optimizer, int totalSteps, double minLr = 0) =>
        new(optimizer, totalSteps, Schedules.Cosine(optimizer.LearningRate, minLr));

    /// <summary>The fraction of the schedule done.</summary>
    public double Progress => Math.Min(1.0, (double)LastEpoch / _totalSteps);

    /// <inheritdoc />
    protected override double[] ComputeLrs()
    {
        Optimizer.LearningRate = _lr(Progress);
        if (_momentum is not null) Optimizer.Momentum = _momentum(Progress);
        return CurrentLrs();
    }
}
