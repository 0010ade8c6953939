using System.Globalization;

namespace Tensors.Optim;

/// <summary>
/// PyTorch's <c>ReduceLROnPlateau</c>: multiplies every group's learning rate by <see cref="Factor"/> (down to its
/// minimum) when the metric given to <see cref="Step"/> has not improved for more than <see cref="Patience"/> steps,
/// then waits <see cref="Cooldown"/> steps before counting again.
/// </summary>
public sealed class ReduceLROnPlateau
{
    private readonly double[] _minLrs;
    private double[] _lastLr;

    /// <summary>Creates the scheduler with one minimum learning rate for every group.</summary>
    /// <param name="optimizer">The optimizer whose groups' learning rates it lowers.</param>
    /// <param name="mode"><c>"min"</c> when the metric should go down (a loss), <c>"max"</c> when it should go up (an
    /// accuracy) (PyTorch's <c>mode</c>); default <c>"min"</c>.</param>
    /// <param name="factor">The factor a learning rate is multiplied by at a reduction, new_lr = lr * factor
    /// (<c>factor</c>), below 1; default 0.1.</param>
    /// <param name="patience">How many steps without improvement are tolerated before the rate is reduced
    /// (<c>patience</c>); default 10.</param>
    /// <param name="threshold">How much better a metric must be to count as an improvement (<c>threshold</c>), relative
    /// or absolute by <paramref name="thresholdMode"/>; default 1e-4.</param>
    /// <param name="thresholdMode"><c>"rel"</c>: better than best * (1 ∓ threshold); <c>"abs"</c>: better than best ∓
    /// threshold (<c>threshold_mode</c>); default <c>"rel"</c>.</param>
    /// <param name="cooldown">How many steps after a reduction pass before bad steps are counted again
    /// (<c>cooldown</c>); default 0.</param>
    /// <param name="minLr">The lower bound on every group's learning rate (PyTorch's <c>min_lr</c>); default 0.</param>
    /// <param name="eps">A reduction smaller than this is skipped (<c>eps</c>); default 1e-8.</param>
    /// <exception cref="ArgumentException"><paramref name="mode"/> or <paramref name="thresholdMode"/> is not one of
    /// its values.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="factor"/> is not below 1.</exception>
    public ReduceLROnPlateau(Optimizer optimizer, string mode = "min", double factor = 0.1, int patience = 10, double threshold = 1e-4,
        string thresholdMode = "rel", int cooldown = 0, double minLr = 0, double eps = 1e-8)
        : this(optimizer, Enumerable.Repeat(minLr, optimizer.ParamGroups.Count).ToArray(), mode, factor, patience, threshold, thresholdMode, cooldown, eps) { }

    /// <summary>Creates the scheduler with a minimum learning rate per group.</summary>
    /// <param name="optimizer">The optimizer whose groups' learning rates it lowers.</param>
    /// <param name="minLr">The lower bound on each group's learning rate, one per group in order (PyTorch's
    /// <c>min_lr</c> as a list).</param>
    /// <param name="mode"><c>"min"</c> when the metric should go down (a loss), <c>"max"</c> when it should go up (an
    /// accuracy) (PyTorch's <c>mode</c>); default <c>"min"</c>.</param>
    /// <param name="factor">The factor a learning rate is multiplied by at a reduction, new_lr = lr * factor
    /// (<c>factor</c>), below 1; default 0.1.</param>
    /// <param name="patience">How many steps without improvement are tolerated before the rate is reduced
    /// (<c>patience</c>); default 10.</param>
    /// <param name="threshold">How much better a metric must be to count as an improvement (<c>threshold</c>), relative
    /// or absolute by <paramref name="thresholdMode"/>; default 1e-4.</param>
    /// <param name="thresholdMode"><c>"rel"</c>: better than best * (1 ∓ threshold); <c>"abs"</c>: better than best ∓
    /// threshold (<c>threshold_mode</c>); default <c>"rel"</c>.</param>
    /// <param name="cooldown">How many steps after a reduction pass before bad steps are counted again
    /// (<c>cooldown</c>); default 0.</param>
    /// <param name="eps">A reduction smaller than this is skipped (<c>eps</c>); default 1e-8.</param>
    /// <exception cref="ArgumentException"><paramref name="mode"/> or <paramref name="thresholdMode"/> is not one of
    /// its values, or <paramref name="minLr"/> does not have one value per group.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="factor"/> is not below 1.</exception>
    public ReduceLROnPlateau(Optimizer optimizer, IReadOnlyList<double> minLr, string mode = "min", double factor = 0.1, int patience = 10,
        double threshold = 1e-4, string thresholdMode = "rel", int cooldown = 0, double eps = 1e-8)
    {
        if (!(factor < 1)) throw new ArgumentOutOfRangeException(nameof(factor), factor, "ReduceLROnPlateau: factor must be below 1.");
        if (mode is not ("min" or "max")) throw new ArgumentException($"ReduceLROnPlateau: mode must be \"min\" or \"max\", not \"{mode}\".", nameof(mode));
        if (thresholdMode is not ("rel" or "abs"))
            throw new ArgumentException($"ReduceLROnPlateau: thresholdMode must be \"rel\" or \"abs\", not \"{thresholdMode}\".", nameof(thresholdMode));
        if (minLr.Count != optimizer.ParamGroups.Count)
            throw new ArgumentException($"ReduceLROnPlateau: got {minLr.Count} minLr value(s) for {optimizer.ParamGroups.Count} parameter group(s).", nameof(minLr));
        Optimizer = optimizer;
        (Mode, Factor, Patience, Threshold, ThresholdMode, Cooldown, Eps) = (mode, factor, patience, threshold, thresholdMode, cooldown, eps);
        _minLrs = minLr.ToArray();
        Best = mode == "min" ? double.PositiveInfinity : double.NegativeInfinity;
        _lastLr = Optimizer.GroupLrs();
    }

    /// <summary>The optimizer whose learning rates this sets.</summary>
    public Optimizer Optimizer { get; }
    /// <summary>"min" or "max".</summary>
    public string Mode { get; }
    /// <summary>The factor applied at a reduction.</summary>
    public double Factor { get; }
    /// <summary>How many steps without improvement are tolerated.</summary>
    public int Patience { get; }
    /// <summary>How much better a metric must be to count as an improvement.</summary>
    public double Threshold { get; }
    /// <summary>"rel" or "abs".</summary>
    public string ThresholdMode { get; }
    /// <summary>Steps after a reduction during which bad steps are not counted.</summary>
    public int Cooldown { get; }
    /// <summary>A reduction smaller than this is skipped.</summary>
    public double Eps { get; }
    /// <summary>The best metric so far.</summary>
    public double Best { get; private set; }
    /// <summary>Steps since the last improvement (PyTorch's <c>num_bad_epochs</c>).</summary>
    public int NumBadEpochs { get; private set; }
    /// <summary>Steps of cooldown left.</summary>
    public int CooldownCounter { get; private set; }
    /// <summary>How many times <see cref="Step"/> ran.</summary>
    public int LastEpoch { get; private set; }

    /// <summary>Records the metric of one epoch and reduces the learning rates after too long a plateau.</summary>
    /// <param name="metric">The validation loss (mode "min") or score (mode "max").</param>
    public void Step(double metric)
    {
        LastEpoch++;
        if (IsBetter(metric))
        {
            Best = metric;
            NumBadEpochs = 0;
        }
        else NumBadEpochs++;
        if (CooldownCounter > 0)
        {
            CooldownCounter--;
            NumBadEpochs = 0;
        }
        if (NumBadEpochs > Patience)
        {
            for (int i = 0; i < Optimizer.ParamGroups.Count; i++)
            {
                var group = Optimizer.ParamGroups[i];
                double reduced = Math.Max(group.Lr * Factor, _minLrs[i]);
                if (group.Lr - reduced > Eps) group.Lr = reduced;
            }
            CooldownCounter = Cooldown;
            NumBadEpochs = 0;
        }
        _lastLr = Optimizer.GroupLrs();
    }

    /// <summary>The learning rate of each group after the last <see cref="Step"/>.</summary>
    public IReadOnlyList<double> GetLastLr() => _lastLr;

    private bool IsBetter(double metric) => (Mode, ThresholdMode) switch
    {
        ("min", "rel") => metric < Best * (1 - Threshold),
        ("min", _) => metric < Best - Threshold,
        (_, "rel") => metric > Best * (Threshold + 1),
        _ => metric > Best + Threshold,
    };

    /// <summary>The scheduler's state: the best metric, the counters and the last learning rates (the learning rates
    /// themselves live in the optimizer's state dict: restore both).</summary>
    public SavedState StateDict()
    {
        var state = SavedState.OfScheduler(nameof(ReduceLROnPlateau), _lastLr);
        state.SetDouble("best", Best);
        foreach (var (key, value) in new[] { ("num_bad_epochs", NumBadEpochs), ("cooldown_counter", CooldownCounter), ("last_epoch", LastEpoch) })
            state.Values[key] = value.ToString(CultureInfo.InvariantCulture);
        return state;
    }

    /// <summary>Restores a state from <see cref="StateDict"/>.</summary>
    /// <param name="state">The saved state.</param>
    /// <exception cref="ArgumentException">The state is another scheduler's or has another number of groups.</exception>
    public void LoadStateDict(SavedState state)
    {
        const string name = nameof(ReduceLROnPlateau);
        var lastLr = state.SchedulerLastLr(name, Optimizer.ParamGroups.Count);
        (Best, NumBadEpochs, CooldownCounter, LastEpoch, _lastLr) = (state.GetDouble("best", name), (int)state.GetLong("num_bad_epochs", name),
            (int)state.GetLong("cooldown_counter", name), (int)state.GetLong("last_epoch", name), lastLr);
    }
}
