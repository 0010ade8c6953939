namespace Tensors.Optim;

/// <summary>
/// PyTorch's <c>OneCycleLR</c> (Smith's 1cycle policy), stepped once per batch: each group's learning rate rises
/// from maxLr/divFactor to maxLr over the first <c>pctStart</c> of the steps, then anneals to
/// maxLr/(divFactor*finalDivFactor); the momentum (or Adam's beta1) moves the opposite way between maxMomentum and
/// baseMomentum. <c>threePhase</c> goes back down to the initial rate before the final annealing, as in fastai's
/// paper version. fastai's own variant is <see cref="Scheduler.OneCycle"/>.
/// </summary>
public sealed class OneCycleLR : LRScheduler
{
    // One stretch of the schedule: up to EndStep, anneal each value from Start to End (indices into a group's
    // [initial, max, min] learning rates and [max, base] momenta).
    private readonly record struct Phase(double EndStep, int StartLr, int EndLr, int StartMomentum, int EndMomentum);

    private const int Initial = 0, Max = 1, Min = 2, MaxMomentum = 0, BaseMomentum = 1;
    private readonly Phase[] _phases;
    private readonly double[][] _lrs, _momenta;
    private readonly Func<double, double, double, double> _anneal;

    /// <summary>Creates the scheduler with one peak learning rate for every group; it sets the groups' learning
    /// rates (and momenta) to their starting values.</summary>
    /// <param name="optimizer">The optimizer whose groups' learning rates (and momenta) it sets; it overwrites them at
    /// construction.</param>
    /// <param name="maxLr">The peak learning rate of every group (PyTorch's <c>max_lr</c>).</param>
    /// <param name="totalSteps">The number of steps in the cycle (PyTorch's <c>total_steps</c>); default null: give
    /// <paramref name="epochs"/> and <paramref name="stepsPerEpoch"/> instead.</param>
    /// <param name="epochs">The number of epochs (<c>epochs</c>), used with <paramref name="stepsPerEpoch"/> when
    /// <paramref name="totalSteps"/> is null; default null.</param>
    /// <param name="stepsPerEpoch">The number of steps per epoch (<c>steps_per_epoch</c>); default null.</param>
    /// <param name="pctStart">The fraction of the cycle spent raising the learning rate (<c>pct_start</c>), between 0
    /// and 1; default 0.3.</param>
    /// <param name="annealStrategy"><c>"cos"</c> (cosine annealing, the default) or <c>"linear"</c>
    /// (<c>anneal_strategy</c>).</param>
    /// <param name="cycleMomentum">Cycle the momentum (or Adam's beta1) inversely to the learning rate
    /// (<c>cycle_momentum</c>); default <c>true</c>. SGD needs a positive momentum for it.</param>
    /// <param name="baseMomentum">The momentum at the peak learning rate (<c>base_momentum</c>); default 0.85.</param>
    /// <param name="maxMomentum">The momentum at the start and end of the cycle (<c>max_momentum</c>); default
    /// 0.95.</param>
    /// <param name="divFactor">The initial learning rate is maxLr / divFactor (<c>div_factor</c>); default 25.</param>
    /// <param name="finalDivFactor">The final learning rate is the initial one / finalDivFactor
    /// (<c>final_div_factor</c>); default 1e4.</param>
    /// <param name="threePhase">Come back down to the initial learning rate before annealing to the final one
    /// (<c>three_phase</c>); default <c>false</c>.</param>
    /// <exception cref="ArgumentException">Neither <paramref name="totalSteps"/> nor both <paramref name="epochs"/> and
    /// <paramref name="stepsPerEpoch"/> are given, <paramref name="annealStrategy"/> is unknown, <paramref
    /// name="maxLr"/> has not one value per group, or the optimizer has no momentum to cycle.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A step count is not positive, or <paramref name="pctStart"/> is
    /// outside 0..1.</exception>
    public OneCycleLR(Optimizer optimizer, double maxLr, int? totalSteps = null, int? epochs = null, int? stepsPerEpoch = null,
        double pctStart = 0.3, string annealStrategy = "cos", bool cycleMomentum = true, double baseMomentum = 0.85,
        double maxMomentum = 0.95, double divFactor = 25, double finalDivFactor = 1e4, bool threePhase = false)
        : this(optimizer, Enumerable.Repeat(maxLr, optimizer.ParamGroups.Count).ToArray(), totalSteps, epochs, stepsPerEpoch,
            pctStart, annealStrategy, cycleMomentum, baseMomentum, maxMomentum, divFactor, finalDivFactor, threePhase) { }

    /// <summary>Creates the scheduler with a peak learning rate per group; it sets the groups' learning rates (and
    /// momenta) to their starting values.</summary>
    /// <param name="optimizer">The optimizer whose groups' learning rates (and momenta) it sets; it overwrites them at
    /// construction.</param>
    /// <param name="maxLr">The peak learning rate of each group, one per group in order (PyTorch's <c>max_lr</c> as a
    /// list).</param>
    /// <param name="totalSteps">The number of steps in the cycle (PyTorch's <c>total_steps</c>); default null: give
    /// <paramref name="epochs"/> and <paramref name="stepsPerEpoch"/> instead.</param>
    /// <param name="epochs">The number of epochs (<c>epochs</c>), used with <paramref name="stepsPerEpoch"/> when
    /// <paramref name="totalSteps"/> is null; default null.</param>
    /// <param name="stepsPerEpoch">The number of steps per epoch (<c>steps_per_epoch</c>); default null.</param>
    /// <param name="pctStart">The fraction of the cycle spent raising the learning rate (<c>pct_start</c>), between 0
    /// and 1; default 0.3.</param>
    /// <param name="annealStrategy"><c>"cos"</c> (cosine annealing, the default) or <c>"linear"</c>
    /// (<c>anneal_strategy</c>).</param>
    /// <param name="cycleMomentum">Cycle the momentum (or Adam's beta1) inversely to the learning rate
    /// (<c>cycle_momentum</c>); default <c>true</c>. SGD needs a positive momentum for it.</param>
    /// <param name="baseMomentum">The momentum at the peak learning rate (<c>base_momentum</c>); default 0.85.</param>
    /// <param name="maxMomentum">The momentum at the start and end of the cycle (<c>max_momentum</c>); default
    /// 0.95.</param>
    /// <param name="divFactor">The initial learning rate is maxLr / divFactor (<c>div_factor</c>); default 25.</param>
    /// <param name="finalDivFactor">The final learning rate is the initial one / finalDivFactor
    /// (<c>final_div_factor</c>); default 1e4.</param>
    /// <param name="threePhase">Come back down to the initial learning rate before annealing to the final one
    /// (<c>three_phase</c>); default <c>false</c>.</param>
    /// <exception cref="ArgumentException">Neither <paramref name="totalSteps"/> nor both <paramref name="epochs"/> and
    /// <paramref name="stepsPerEpoch"/> are given, <paramref name="annealStrategy"/> is unknown, <paramref
    /// name="maxLr"/> has not one value per group, or the optimizer has no momentum to cycle.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A step count is not positive, or <paramref name="pctStart"/> is
    /// outside 0..1.</exception>
    public OneCycleLR(Optimizer optimizer, IReadOnlyList<double> maxLr, int? totalSteps = null, int? epochs = null, int? stepsPerEpoch = null,
        double pctStart = 0.3, string annealStrategy = "cos", bool cycleMomentum = true, double baseMomentum = 0.85,
        double maxMomentum = 0.95, double divFactor = 25, double finalDivFactor = 1e4, bool threePhase = false)
        : base(optimizer)
    {
        TotalSteps = (totalSteps, epochs, stepsPerEpoch) switch
        {
            ({ } t, _, _) when t > 0 => t,
            ({ } t, _, _) => throw new ArgumentOutOfRangeException(nameof(totalSteps), t, "OneCycleLR: totalSteps must be positive."),
            (null, { } e, { } s) when e > 0 && s > 0 => checked(e * s),
            (null, { } e, { } s) => throw new ArgumentOutOfRangeException(e > 0 ? nameof(stepsPerEpoch) : nameof(epochs), e > 0 ? s : e,
                "OneCycleLR: epochs and stepsPerEpoch must be positive."),
            _ => throw new ArgumentException("OneCycleLR: give either totalSteps or both epochs and stepsPerEpoch."),
        };
        if (pctStart is < 0 or > 1 || double.IsNaN(pctStart))
            throw new ArgumentOutOfRangeException(nameof(pctStart), pctStart, "OneCycleLR: pctStart must be between 0 and 1.");
        _anneal = annealStrategy switch
        {
            "cos" => Schedules.AnnealCos,
            "linear" => Schedules.AnnealLinear,
            _ => throw new ArgumentException($"OneCycleLR: annealStrategy must be \"cos\" or \"linear\", not \"{annealStrategy}\".", nameof(annealStrategy)),
        };
        var groups = optimizer.ParamGroups;
        if (maxLr.Count != groups.Count)
            throw new ArgumentException($"OneCycleLR: got {maxLr.Count} maxLr value(s) for {groups.Count} parameter group(s).", nameof(maxLr));
        if (cycleMomentum && optimizer.GetMomentum(groups[0]) is null)
            throw new ArgumentException($"OneCycleLR: {optimizer.Name} has no momentum to cycle (SGD needs a positive momentum); pass cycleMomentum: false.", nameof(cycleMomentum));
        CycleMomentum = cycleMomentum;
        double steps = TotalSteps;
        _phases = threePhase
            ? [new(pctStart * steps - 1, Initial, Max, MaxMomentum, BaseMomentum),
               new(2 * pctStart * steps - 2, Max, Initial, BaseMomentum, MaxMomentum),
               new(steps - 1, Initial, Min, MaxMomentum, MaxMomentum)]
            : [new(pctStart * steps - 1, Initial, Max, MaxMomentum, BaseMomentum),
               new(steps - 1, Max, Min, BaseMomentum, MaxMomentum)];
        _lrs = maxLr.Select(m => new[] { m / divFactor, m, m / divFactor / finalDivFactor }).ToArray();
        _momenta = groups.Select(_ => new[] { maxMomentum, baseMomentum }).ToArray();
        for (int i = 0; i < groups.Count; i++) groups[i].InitialLr = _lrs[i][Initial];
        Apply();
    }

    /// <summary>The number of steps of the cycle.</summary>
    public int TotalSteps { get; }

    /// <summary>Whether the momentum cycles too.</summary>
    public bool CycleMomentum { get; }

    /// <inheritdoc />
    protected override double[] ComputeLrs()
    {
        if (LastEpoch > TotalSteps)
            throw new InvalidOperationException($"OneCycleLR: Step was called {LastEpoch} times but the schedule has {TotalSteps} steps; make totalSteps (or epochs) larger.");
        var groups = Optimizer.ParamGroups;
        var result = new double[groups.Count];
        // The phase holding this step (the last one also takes the step past its end, as in PyTorch).
        int i = 0;
        double start = 0;
        for (; i < _phases.Length - 1 && LastEpoch > _phases[i].EndStep; i++) start = _phases[i].EndStep;
        var phase = _phases[i];
        double pct = (LastEpoch - start) / (phase.EndStep - start);
        for (int g = 0; g < groups.Count; g++)
        {
            result[g] = _anneal(_lrs[g][phase.StartLr], _lrs[g][phase.EndLr], pct);
            if (CycleMomentum) Optimizer.SetMomentum(groups[g], _anneal(_momenta[g][phase.StartMomentum], _momenta[g][phase.EndMomentum], pct));
        }
        return result;
    }
}
