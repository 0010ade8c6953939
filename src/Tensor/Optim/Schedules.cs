namespace Tensors.Optim;

/// <summary>Hyper-parameter schedules as functions of training progress in [0, 1] (fastai's style).</summary>
public static class Schedules
{
    /// <summary>Cosine annealing from <paramref name="start"/> to <paramref name="end"/> (fastai's SchedCos).</summary>
    public static Func<double, double> Cosine(double start, double end) =>
        pct => end + (start - end) / 2 * (1 + Math.Cos(Math.PI * Math.Clamp(pct, 0, 1)));

    /// <summary>Two schedules joined at <paramref name="split"/>: <paramref name="first"/> over [0, split], <paramref name="second"/> after.</summary>
    public static Func<double, double> Combine(double split, Func<double, double> first, Func<double, double> second) =>
        pct => pct < split ? first(pct / split) : second(split >= 1 ? 1 : (pct - split) / (1 - split));

    /// <summary>fastai's one-cycle learning rate: cosine warm-up from maxLr/div to maxLr over the first
    /// <paramref name="pctStart"/>, then cosine annealing down to maxLr/divFinal.</summary>
    public static Func<double, double> OneCycle(double maxLr, double div = 25, double divFinal = 1e5, double pctStart = 0.25) =>
        Combine(pctStart, Cosine(maxLr / div, maxLr), Cosine(maxLr, maxLr / divFinal));

    /// <summary>fastai's one-cycle momentum: 0.95 down to 0.85 while the learning rate rises, then back up.</summary>
    public static Func<double, double> OneCycleMomentum(double high = 0.95, double low = 0.85, double pctStart = 0.25) =>
        Combine(pctStart, Cosine(high, low), Cosine(low, high));
}

/// <summary>
/// Sets an optimizer's learning rate (and momentum, when given) from a schedule, once per <see cref="Step"/>, over a
/// known number of steps, like PyTorch's <c>OneCycleLR</c> and <c>CosineAnnealingLR</c>.
/// </summary>
public sealed class Scheduler
{
    private readonly Optimizer _optimizer;
    private readonly Func<double, double> _lr;
    private readonly Func<double, double>? _momentum;
    private readonly int _totalSteps;
    private int _step;

    /// <summary>Applies the schedules' starting values immediately.</summary>
    public Scheduler(Optimizer optimizer, int totalSteps, Func<double, double> learningRate, Func<double, double>? momentum = null)
    {
        if (totalSteps <= 0) throw new ArgumentOutOfRangeException(nameof(totalSteps), totalSteps, "Scheduler: totalSteps must be positive.");
        (_optimizer, _totalSteps, _lr, _momentum) = (optimizer, totalSteps, learningRate, momentum);
        Apply();
    }

    /// <summary>fastai's fit_one_cycle schedule over <paramref name="totalSteps"/> steps.</summary>
    public static Scheduler OneCycle(Optimizer optimizer, int totalSteps, double maxLr) =>
        new(optimizer, totalSteps, Schedules.OneCycle(maxLr), Schedules.OneCycleMomentum());

    /// <summary>Cosine annealing from the optimizer's current learning rate to <paramref name="minLr"/>.</summary>
    public static Scheduler Cosine(Optimizer optimizer, int totalSteps, double minLr = 0) =>
        new(optimizer, totalSteps, Schedules.Cosine(optimizer.LearningRate, minLr));

    /// <summary>The fraction of the schedule done.</summary>
    public double Progress => Math.Min(1.0, (double)_step / _totalSteps);

    /// <summary>Moves one step along the schedule.</summary>
    public void Step()
    {
        _step++;
        Apply();
    }

    private void Apply()
    {
        _optimizer.LearningRate = _lr(Progress);
        if (_momentum is not null) _optimizer.Momentum = _momentum(Progress);
    }
}
