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
    /// <param name="optimizer">The optimizer whose groups it sets.</param>
    /// <param name="maxLr">The peak learning rate.</param>
    /// <param name="totalSteps">The number of steps; or give <paramref name="epochs"/> and <paramref name="stepsPerEpoch"/>.</param>
    /// <param name="epochs">The number of epochs, with <paramref name="stepsPerEpoch"/>.</param>
    /// <param name="stepsPerEpoch">The number of steps per epoch, with <paramref name="epochs"/>.</param>
    /// <param name="pctStart">The fraction of the steps spent raising the learning rate.</param>
    /// <param name="annealStrategy">"cos" or "linear".</param>
    /// <param name="cycleMomentum">Whether to cycle the momentum inversely to the learning rate.</param>
    /// <param name="baseMomentum">The momentum at the peak learning rate.</param>
    /// <param name="maxMomentum">The momentum at the ends.</param>
    /// <param name="divFactor">maxLr over the initial learning rate.</param>
    /// <param name="finalDivFactor">The initial learning rate over the final one.</param>
    /// <param name="threePhase">Whether to come back to the initial rate before annealing to the final one.</param>
    public OneCycleLR(Optimizer optimizer, double maxLr, int? totalSteps = null, int? epochs = null, int? stepsPerEpoch = null,
        double pctStart = 0.3, string annealStrategy = "cos", bool cycleMomentum = true, double baseMomentum = 0.85,
        double maxMomentum = 0.95, double divFactor = 25, double finalDivFactor = 1e4, bool threePhase = false)
        : this(optimizer, Enumerable.Repeat(maxLr, optimizer.ParamGroups.Count).ToArray(), totalSteps, epochs, stepsPerEpoch,
            pctStart, annealStrategy, cycleMomentum, baseMomentum, maxMomentum, divFactor, finalDivFactor, threePhase) { }

    /// <summary>Creates the scheduler with a peak learning rate per group; it sets the groups' learning rates (and
    /// momenta) to their starting values.</summary>
    /// <param name="optimizer">The optimizer whose groups it sets.</param>
    /// <param name="maxLr">The peak learning rate of each group.</param>
    /// <param name="totalSteps">The number of steps; or give <paramref name="epochs"/> and <paramref name="stepsPerEpoch"/>.</param>
    /// <param name="epochs">The number of epochs, with <paramref name="stepsPerEpoch"/>.</param>
    /// <param name="stepsPerEpoch">The number of steps per epoch, with <paramref name="epochs"/>.</param>
    /// <param name="pctStart">The fraction of the steps spent raising the learning rate.</param>
    /// <param name="annealStrategy">"cos" or "linear".</param>
    /// <param name="cycleMomentum">Whether to cycle the momentum inversely to the learning rate.</param>
    /// <param name="baseMomentum">The momentum at the peak learning rate.</param>
    /// <param name="maxMomentum">The momentum at the ends.</param>
    /// <param name="divFactor">maxLr over the initial learning rate.</param>
    /// <param name="finalDivFactor">The initial learning rate over the final one.</param>
    /// <param name="threePhase">Whether to come back to the initial rate before annealing to the final one.</param>
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
