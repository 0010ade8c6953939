namespace Tensors.Optim;

/// <summary>
/// Updates parameters from their gradients, group by group (<see cref="ParamGroups"/>, PyTorch's
/// <c>param_groups</c>). <see cref="Step"/> runs without recording a graph; parameters whose gradient is null are
/// skipped. State tensors (momentum buffers, moments) belong to the optimizer, never to a <see cref="DisposeScope"/>;
/// <see cref="StateDict"/> and <see cref="LoadStateDict"/> save and restore them with every group's hyperparameters.
/// </summary>
public abstract partial class Optimizer : IDisposable
{
    private readonly Dictionary<(Tensor, string), Tensor> _state = new();
    private readonly Dictionary<Tensor, long> _steps = new(ReferenceEqualityComparer.Instance);
    private readonly IReadOnlyDictionary<string, double> _defaults;

    /// <summary>Checks and keeps the parameters as one group with learning rate <paramref name="learningRate"/>.</summary>
    /// <param name="name">The optimizer's name, for errors.</param>
    /// <param name="parameters">The tensors to optimize.</param>
    /// <param name="learningRate">The step size.</param>
    protected Optimizer(string name, IEnumerable<Tensor> parameters, double learningRate)
        : this(name, [new ParamGroup(parameters)], new Dictionary<string, double> { ["lr"] = learningRate }) { }

    /// <summary>Checks and keeps the groups, giving each the options of <paramref name="defaults"/> it does not
    /// set itself.</summary>
    /// <param name="name">The optimizer's name, for errors.</param>
    /// <param name="groups">The parameter groups.</param>
    /// <param name="defaults">Every option this optimizer has, under PyTorch's keys ("lr", "weight_decay",
    /// "momentum", "beta1", "beta2"), with its value for groups that do not set it.</param>
    /// <exception cref="ArgumentException">There are no parameters, a parameter does not require grad or appears twice,
    /// or a group sets an option not in <paramref name="defaults"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A group's learning rate is negative.</exception>
    protected Optimizer(string name, IEnumerable<ParamGroup> groups, IReadOnlyDictionary<string, double> defaults)
    {
        Name = name;
        _defaults = defaults;
        ParamGroups = groups.ToList();
        Parameters = ParamGroups.SelectMany(g => g.Parameters).ToList();
        if (Parameters.Count == 0)
            throw new ArgumentException($"{name}: got no parameters to optimize; pass model.Parameters() of a model that has some.");
        if (Parameters.FirstOrDefault(p => !p.RequiresGrad) is { } frozen)
            throw new ArgumentException($"{name}: parameter of shape {Layout.Format(frozen.Layout.Shape)} does not require grad; call RequiresGrad_() on it.");
        if (Parameters.Distinct(ReferenceEqualityComparer.Instance).Count() != Parameters.Count)
            throw new ArgumentException($"{name}: a parameter appears more than once (in one group or in several); give each parameter to one group only.");
        for (int i = 0; i < ParamGroups.Count; i++)
        {
            var group = ParamGroups[i];
            if (group.Options.Keys.FirstOrDefault(k => !defaults.ContainsKey(k)) is { } unknown)
                throw new ArgumentException($"{name}: parameter group {i} sets '{unknown}', which {name} does not have; its options are {string.Join(", ", defaults.Keys)}.");
            foreach (var (key, value) in defaults) group.SetDefault(key, value);
            if (group.Lr < 0) throw new ArgumentOutOfRangeException("lr", group.Lr, $"{name}: the learning rate of parameter group {i} must not be negative.");
        }
        double first = ParamGroups[0].Lr;
        foreach (var g in ParamGroups) g.LrRatio = first == 0 ? 1 : g.Lr / first;
    }

    /// <summary>The optimizer's name (its class), written into its state dict.</summary>
    public string Name { get; }

    /// <summary>The parameter groups, each with its own hyperparameters.</summary>
    public IReadOnlyList<ParamGroup> ParamGroups { get; }

    /// <summary>The parameters being optimized: every group's, in order.</summary>
    public IReadOnlyList<Tensor> Parameters { get; }

    /// <summary>The first group's learning rate. Setting it sets the first group's to the value and every other
    /// group's in the ratio the groups were created with (fastai's discriminative learning rates); with one group,
    /// it is that group's rate. Schedulers and the Learner set it between steps.</summary>
    public double LearningRate
    {
        get => ParamGroups[0].Lr;
        set
        {
            foreach (var g in ParamGroups) g.Lr = value * g.LrRatio;
        }
    }

    /// <summary>Every group's learning rate, in order.</summary>
    internal double[] GroupLrs() => ParamGroups.Select(g => g.Lr).ToArray();

    /// <summary>Momentum (SGD, RMSprop) or beta1 (Adam) of the first group, for schedulers that cycle it; null when
    /// the optimizer has none. Setting it sets every group's.</summary>
    public double? Momentum
    {
        get => GetMomentum(ParamGroups[0]);
        set
        {
            if (value is double m)
                foreach (var g in ParamGroups) SetMomentum(g, m);
        }
    }

    /// <summary>The value a momentum schedule cycles in <paramref name="group"/> (momentum, or Adam's beta1); null
    /// when the optimizer has none.</summary>
    /// <param name="group">One of <see cref="ParamGroups"/>.</param>
    public virtual double? GetMomentum(ParamGroup group) => null;

    /// <summary>Sets what <see cref="GetMomentum"/> reads; ignored when the optimizer has no momentum.</summary>
    /// <param name="group">One of <see cref="ParamGroups"/>.</param>
    /// <param name="value">The new momentum.</param>
    public virtual void SetMomentum(ParamGroup group, double value) { }

    /// <summary>Applies one update to every parameter that has a gradient.</summary>
    public void Step()
    {
        using var _ = Autograd.NoGrad();
        foreach (var group in ParamGroups)
            foreach (var p in group.Parameters)
                if (p.Grad is { } g) Update(group, p, g);
        AfterStep();
    }

    /// <summary>Updates one parameter in place (gradients are not recorded here).</summary>
    /// <param name="group">The parameter's group, whose hyperparameters apply.</param>
    /// <param name="parameter">The tensor to update.</param>
    /// <param name="grad">Its gradient.</param>
    protected abstract void Update(ParamGroup group, Tensor parameter, Tensor grad);

    /// <summary>Runs once after all parameters were updated.</summary>
    protected virtual void AfterStep() { }

    /// <summary>Sets every gradient to null, as fastai's BasicOptim and PyTorch's zero_grad(set_to_none) do.</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters)
        {
            p.Grad?.Dispose();
            p.Grad = null;
        }
    }

    /// <summary>The named state tensor of a parameter; null until <see cref="SetState"/>.</summary>
    /// <param name="parameter">The parameter.</param>
    /// <param name="name">PyTorch's name of the state ("momentum_buffer", "exp_avg"...).</param>
    protected Tensor? GetState(Tensor parameter, string name) => _state.GetValueOrDefault((parameter, name));

    /// <summary>Stores a state tensor, owned by the optimizer.</summary>
    /// <param name="parameter">The parameter.</param>
    /// <param name="name">PyTorch's name of the state.</param>
    /// <param name="value">The tensor, which the optimizer now owns.</param>
    protected Tensor SetState(Tensor parameter, string name, Tensor value)
    {
        if (_state.Remove((parameter, name), out var old) && !ReferenceEquals(old, value)) old.Dispose();
        _state[(parameter, name)] = value.DetachFromDisposeScope();
        return value;
    }

    /// <summary>Counts one more update of <paramref name="parameter"/> and returns the count, from 1 (PyTorch's
    /// per-parameter <c>state['step']</c>).</summary>
    /// <param name="parameter">The parameter being updated.</param>
    protected long IncrementStep(Tensor parameter) => _steps[parameter] = _steps.GetValueOrDefault(parameter) + 1;

    /// <summary>Releases the state tensors.</summary>
    public void Dispose()
    {
        foreach (var t in _state.Values) t.Dispose();
        _state.Clear();
        _steps.Clear();
        GC.SuppressFinalize(this);
    }
}
