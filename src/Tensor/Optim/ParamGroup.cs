namespace Tensors.Optim;

/// <summary>
/// A group of parameters with its own hyperparameters, as an entry of PyTorch's <c>optimizer.param_groups</c>:
/// <c>new SGD([new ParamGroup(body.Parameters(), lr: 1e-4), new ParamGroup(head.Parameters())], lr: 1e-2)</c>.
/// Options left unset take the optimizer's values when the group joins it; schedulers then change <see cref="Lr"/>
/// (and <see cref="Momentum"/> or <see cref="Betas"/>) of every group between steps.
/// </summary>
public sealed class ParamGroup
{
    // The options under PyTorch's keys ("lr", "weight_decay", "momentum", "beta1", "beta2", "initial_lr"): one
    // dictionary, so that state dicts save and restore every group's hyperparameters the same way.
    private readonly Dictionary<string, double> _options = new(StringComparer.Ordinal);

    /// <summary>Creates a group; a null option takes the optimizer's value.</summary>
    /// <param name="parameters">The tensors of this group, each requiring grad.</param>
    /// <param name="lr">This group's learning rate; default null.</param>
    /// <param name="weightDecay">This group's weight decay; default null.</param>
    /// <param name="momentum">This group's momentum (SGD, RMSprop); default null.</param>
    /// <param name="betas">This group's moment decays (Adam, AdamW); default null.</param>
    public ParamGroup(IEnumerable<Tensor> parameters, double? lr = null, double? weightDecay = null, double? momentum = null,
        (double Beta1, double Beta2)? betas = null)
    {
        Parameters = parameters.ToList();
        if (lr is double l) _options["lr"] = l;
        if (weightDecay is double w) _options["weight_decay"] = w;
        if (momentum is double m) _options["momentum"] = m;
        if (betas is var (b1, b2)) (_options["beta1"], _options["beta2"]) = (b1, b2);
    }

    /// <summary>The tensors this group updates.</summary>
    public IReadOnlyList<Tensor> Parameters { get; }

    /// <summary>The learning rate (PyTorch's <c>group['lr']</c>).</summary>
    public double Lr { get => Get("lr"); set => _options["lr"] = value; }

    /// <summary>The weight decay (PyTorch's <c>group['weight_decay']</c>).</summary>
    public double WeightDecay { get => Get("weight_decay"); set => _options["weight_decay"] = value; }

    /// <summary>The momentum of optimizers that have one (SGD, RMSprop); null for the others.</summary>
    public double? Momentum
    {
        get => _options.TryGetValue("momentum", out var m) ? m : null;
        set => Set("momentum", value);
    }

    /// <summary>Adam's moment decays (PyTorch's <c>group['betas']</c>); null for optimizers without them.</summary>
    public (double Beta1, double Beta2)? Betas
    {
        get => _options.TryGetValue("beta1", out var b1) ? (b1, Get("beta2")) : null;
        set
        {
            Set("beta1", value?.Beta1);
            Set("beta2", value?.Beta2);
        }
    }

    /// <summary>The learning rate the first scheduler found (PyTorch's <c>group['initial_lr']</c>); null before.</summary>
    public double? InitialLr
    {
        get => _options.TryGetValue("initial_lr", out var l) ? l : null;
        set => Set("initial_lr", value);
    }

    /// <summary>This group's learning rate over the first group's when the optimizer was made: setting
    /// <see cref="Optimizer.LearningRate"/> keeps it (fastai's discriminative learning rates).</summary>
    internal double LrRatio { get; set; } = 1;

    /// <summary>Every option set, under PyTorch's keys.</summary>
    internal IReadOnlyDictionary<string, double> Options => _options;

    /// <summary>Sets an option the group did not set itself.</summary>
    internal void SetDefault(string key, double value) => _options.TryAdd(key, value);

    /// <summary>Replaces every option (a loaded state dict).</summary>
    internal void ReplaceOptions(IEnumerable<KeyValuePair<string, double>> options)
    {
        _options.Clear();
        foreach (var (k, v) in options) _options[k] = v;
    }

    /// <summary>An option that the owning optimizer guarantees.</summary>
    internal double this[string key] => Get(key);

    private double Get(string key) =>
        _options.TryGetValue(key, out var v) ? v
            : throw new InvalidOperationException($"ParamGroup: '{key}' is not set; a group gets its optimizer's values when the optimizer is created, and only optimizers that have '{key}' set it.");

    private void Set(string key, double? value)
    {
        if (value is double v) _options[key] = v;
        else _options.Remove(key);
    }
}
