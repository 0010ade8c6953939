namespace Tensors.Optim;

/// <summary>Hyper-parameter schedules as functions of training progress in [0, 1] (fastai's style), and the
/// annealing functions that PyTorch's <see cref="OneCycleLR"/> shares with them.</summary>
public static class Schedules
{
    /// <summary>Cosine annealing from <paramref name="start"/> to <paramref name="end"/> (fastai's SchedCos).</summary>
    /// <param name="start">The value at 0.</param>
    /// <param name="end">The value at 1.</param>
    public static Func<double, double> Cosine(double start, double end) =>
        pct => AnnealCos(start, end, Math.Clamp(pct, 0, 1));

    /// <summary>Linear annealing from <paramref name="start"/> to <paramref name="end"/> (fastai's SchedLin).</summary>
    /// <param name="start">The value at 0.</param>
    /// <param name="end">The value at 1.</param>
    public static Func<double, double> Linear(double start, double end) =>
        pct => AnnealLinear(start, end, Math.Clamp(pct, 0, 1));

    /// <summary>Two schedules joined at <paramref name="split"/>: <paramref name="first"/> over [0, split], <paramref name="second"/> after.</summary>
    /// <param name="split">Where the second schedule starts.</param>
    /// <param name="first">The schedule over [0, split], given its own progress.</param>
    /// <param name="second">The schedule over [split, 1], given its own progress.</param>
    public static Func<double, double> Combine(double split, Func<double, double> first, Func<double, double> second) =>
        pct => pct < split ? first(pct / split) : second(split >= 1 ? 1 : (pct - split) / (1 - split));

    /// <summary>fastai's one-cycle learning rate: cosine warm-up from maxLr/div to maxLr over the first
    /// <paramref name="pctStart"/>, then cosine annealing down to maxLr/divFinal.</summary>
    /// <param name="maxLr">The peak learning rate.</param>
    /// <param name="div">maxLr over the starting rate; default 25.</param>
    /// <param name="divFinal">maxLr over the final rate; default 1e5.</param>
    /// <param name="pctStart">The fraction spent warming up; default 0.25.</param>
    public static Func<double, double> OneCycle(double maxLr, double div = 25, double divFinal = 1e5, double pctStart = 0.25) =>
        Combine(pctStart, Cosine(maxLr / div, maxLr), Cosine(maxLr, maxLr / divFinal));

    /// <summary>fastai's one-cycle momentum: 0.95 down to 0.85 while the learning rate rises, then back up.</summary>
    /// <param name="high">The momentum at the ends; default 0.95.</param>
    /// <param name="low">The momentum at the peak learning rate; default 0.85.</param>
    /// <param name="pctStart">The fraction spent warming up; default 0.25.</param>
    public static Func<double, double> OneCycleMomentum(double high = 0.95, double low = 0.85, double pctStart = 0.25) =>
        Combine(pctStart, Cosine(high, low), Cosine(low, high));

    /// <summary>Cosine from <paramref name="start"/> at 0 to <paramref name="end"/> at 1, unclamped (PyTorch's
    /// <c>_annealing_cos</c>, which may run slightly past 1 on OneCycleLR's last step).</summary>
    /// <param name="start">The value at 0.</param>
    /// <param name="end">The value at 1.</param>
    /// <param name="pct">The progress.</param>
    public static double AnnealCos(double start, double end, double pct) => end + (start - end) / 2.0 * (Math.Cos(Math.PI * pct) + 1);

    /// <summary>The straight line from <paramref name="start"/> at 0 to <paramref name="end"/> at 1, unclamped
    /// (PyTorch's <c>_annealing_linear</c>).</summary>
    /// <param name="start">The value at 0.</param>
    /// <param name="end">The value at 1.</param>
    /// <param name="pct">The progress.</param>
    public static double AnnealLinear(double start, double end, double pct) => (end - start) * pct + start;
}
