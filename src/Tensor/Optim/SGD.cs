using System.Runtime.CompilerServices;

namespace Tensors.Optim;

/// <summary>
/// Stochastic gradient descent with PyTorch's options: p -= lr * d, where d is the gradient plus
/// <c>weightDecay * p</c>, through a momentum buffer b = momentum * b + (1 - dampening) * d when momentum is set
/// (Nesterov uses d + momentum * b). Each <see cref="ParamGroup"/> may set its own lr, weight decay and momentum.
/// </summary>
public sealed class SGD : Optimizer
{
    // The groups created with a positive momentum: only they keep a buffer (fixed at construction, as in fastai, so
    // that a momentum schedule never switches momentum on for plain SGD).
    private readonly HashSet<ParamGroup> _withMomentum;

    /// <summary>Creates the optimizer over one group of parameters, as PyTorch's <c>torch.optim.SGD(params,
    /// ...)</c>.</summary>
    /// <param name="parameters">The tensors to optimize (PyTorch's <c>params</c>), usually <c>model.Parameters()</c>;
    /// each must require grad and appear once.</param>
    /// <param name="lr">The learning rate (PyTorch's <c>lr</c>), 0 or more; required.</param>
    /// <param name="momentum">The momentum factor (<c>momentum</c>); default 0, plain SGD with no buffer.</param>
    /// <param name="dampening">Dampening for momentum (<c>dampening</c>): the gradient enters the buffer scaled by 1 -
    /// dampening; default 0.</param>
    /// <param name="weightDecay">Weight decay, an L2 penalty: weightDecay * p is added to the gradient
    /// (<c>weight_decay</c>); default 0.</param>
    /// <param name="nesterov">Use Nesterov momentum (<c>nesterov</c>): step along d + momentum * b instead of b;
    /// default <c>false</c>. Needs a positive momentum and zero dampening.</param>
    /// <exception cref="ArgumentException">There are no parameters, a parameter does not require grad or appears twice,
    /// or a group sets an option this optimizer does not have, or <paramref name="nesterov"/> is set without a positive
    /// momentum (in every group) and zero dampening.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A learning rate is negative.</exception>
    [OverloadResolutionPriority(1)]
    public SGD(IEnumerable<Tensor> parameters, double lr, double momentum = 0, double dampening = 0, double weightDecay = 0, bool nesterov = false)
        : this([new ParamGroup(parameters)], lr, momentum, dampening, weightDecay, nesterov) { }

    /// <summary>Creates the optimizer over parameter groups; the other arguments are the values of groups that do
    /// not set their own.</summary>
    /// <param name="paramGroups">The parameter groups (PyTorch's <c>params</c> as a list of dicts); a group's own
    /// options win over the arguments below.</param>
    /// <param name="lr">The learning rate (PyTorch's <c>lr</c>), 0 or more; required.</param>
    /// <param name="momentum">The momentum factor (<c>momentum</c>); default 0, plain SGD with no buffer.</param>
    /// <param name="dampening">Dampening for momentum (<c>dampening</c>): the gradient enters the buffer scaled by 1 -
    /// dampening; default 0.</param>
    /// <param name="weightDecay">Weight decay, an L2 penalty: weightDecay * p is added to the gradient
    /// (<c>weight_decay</c>); default 0.</param>
    /// <param name="nesterov">Use Nesterov momentum (<c>nesterov</c>): step along d + momentum * b instead of b;
    /// default <c>false</c>. Needs a positive momentum and zero dampening.</param>
    /// <exception cref="ArgumentException">There are no parameters, a parameter does not require grad or appears twice,
    /// or a group sets an option this optimizer does not have, or <paramref name="nesterov"/> is set without a positive
    /// momentum (in every group) and zero dampening.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A learning rate is negative.</exception>
    public SGD(IEnumerable<ParamGroup> paramGroups, double lr, double momentum = 0, double dampening = 0, double weightDecay = 0, bool nesterov = false)
        : base("SGD", paramGroups, new Dictionary<string, double> { ["lr"] = lr, ["momentum"] = momentum, ["weight_decay"] = weightDecay })
    {
        if (nesterov && (ParamGroups.Any(g => g["momentum"] <= 0) || dampening != 0))
            throw new ArgumentException("SGD: Nesterov momentum requires a positive momentum (in every group) and zero dampening.");
        Dampening = dampening;
        Nesterov = nesterov;
        _withMomentum = ParamGroups.Where(g => g["momentum"] > 0).ToHashSet();
    }

    /// <summary>Whether this optimizer keeps momentum buffers (fixed at construction, as in fastai).</summary>
    public bool UsesMomentum => _withMomentum.Count > 0;

    /// <inheritdoc />
    public override double? GetMomentum(ParamGroup group) => _withMomentum.Contains(group) ? group["momentum"] : null;

    /// <inheritdoc />
    public override void SetMomentum(ParamGroup group, double value)
    {
        if (_withMomentum.Contains(group)) group.Momentum = value;
    }

    /// <summary>Dampening of the momentum buffer.</summary>
    public double Dampening { get; }

    /// <summary>The first group's weight decay.</summary>
    public double WeightDecay => ParamGroups[0].WeightDecay;

    /// <summary>Nesterov momentum.</summary>
    public bool Nesterov { get; }

    /// <inheritdoc />
    protected override void Update(ParamGroup group, Tensor p, Tensor grad)
    {
        double lr = group.Lr, weightDecay = group.WeightDecay, momentum = group["momentum"];
        using var d = weightDecay != 0 ? grad + p * weightDecay : grad.Contiguous();
        if (!_withMomentum.Contains(group))
        {
            using var step = d * lr;
            p.Sub_(step);
            return;
        }
        var buf = GetState(p, "momentum_buffer");
        if (buf is null) buf = SetState(p, "momentum_buffer", d.Clone());
        else
        {
            using var scaled = d * (1 - Dampening);
            buf.Mul_(momentum).Add_(scaled);
        }
        using var direction = Nesterov ? d + buf * momentum : buf.Contiguous();
        using var update = direction * lr;
        p.Sub_(update);
    }
}
