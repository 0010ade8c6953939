namespace Tensors.Optim;

/// <summary>
/// Updates parameters from their gradients. <see cref="Step"/> runs without recording a graph; parameters whose
/// gradient is null are skipped. State tensors (momentum buffers, moments) belong to the optimizer, never to a
/// <see cref="DisposeScope"/>.
/// </summary>
public abstract class Optimizer : IDisposable
{
    private readonly Dictionary<(Tensor, string), Tensor> _state = new();

    /// <summary>Checks and keeps the parameters.</summary>
    protected Optimizer(string name, IEnumerable<Tensor> parameters, double learningRate)
    {
        Parameters = parameters.ToList();
        if (Parameters.Count == 0)
            throw new ArgumentException($"{name}: got no parameters to optimize; pass model.Parameters() of a model that has some.");
        if (Parameters.FirstOrDefault(p => !p.RequiresGrad) is { } frozen)
            throw new ArgumentException($"{name}: parameter of shape {Layout.Format(frozen.Layout.Shape)} does not require grad; call RequiresGrad_() on it.");
        if (learningRate < 0) throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, $"{name}: the learning rate must not be negative.");
        LearningRate = learningRate;
    }

    /// <summary>The parameters being optimized.</summary>
    public IReadOnlyList<Tensor> Parameters { get; }

    /// <summary>The step size; schedulers change it between steps.</summary>
    public double LearningRate { get; set; }

    /// <summary>Momentum (SGD) or beta1 (Adam), for schedulers that cycle it; null when the optimizer has none.</summary>
    public virtual double? Momentum { get => null; set { } }

    /// <summary>Applies one update to every parameter that has a gradient.</summary>
    public void Step()
    {
        using var _ = Autograd.NoGrad();
        foreach (var p in Parameters)
            if (p.Grad is { } g) Update(p, g);
        AfterStep();
    }

    /// <summary>Updates one parameter in place (gradients are not recorded here).</summary>
    protected abstract void Update(Tensor parameter, Tensor grad);

    /// <summary>Runs once after all parameters were updated (step counters).</summary>
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
    protected Tensor? GetState(Tensor parameter, string name) => _state.GetValueOrDefault((parameter, name));

    /// <summary>Stores a state tensor, owned by the optimizer.</summary>
    protected Tensor SetState(Tensor parameter, string name, Tensor value)
    {
        if (_state.Remove((parameter, name), out var old) && !ReferenceEquals(old, value)) old.Dispose();
        _state[(parameter, name)] = value.DetachFromDisposeScope();
        return value;
    }

    /// <summary>Releases the state tensors.</summary>
    public void Dispose()
    {
        foreach (var t in _state.Values) t.Dispose();
        _state.Clear();
        GC.SuppressFinalize(this);
    }
}
