using System.Runtime.CompilerServices;

namespace Tensors.Optim;

/// <summary>Adam with decoupled weight decay (Loshchilov and Hutter): p *= 1 - lr * weightDecay before the Adam step.</summary>
public sealed class AdamW : Adam
{
    /// <summary>Creates the optimizer over one group of parameters, as PyTorch's <c>torch.optim.AdamW(params,
    /// ...)</c>.</summary>
    /// <param name="parameters">The tensors to optimize (PyTorch's <c>params</c>), usually <c>model.Parameters()</c>;
    /// each must require grad and appear once.</param>
    /// <param name="lr">The learning rate (PyTorch's <c>lr</c>), 0 or more; default 1e-3.</param>
    /// <param name="beta1">The decay rate of the running mean of the gradient, m (the first of PyTorch's <c>betas</c>);
    /// default 0.9.</param>
    /// <param name="beta2">The decay rate of the running mean of the squared gradient, v (the second of PyTorch's
    /// <c>betas</c>); default 0.999.</param>
    /// <param name="eps">Added to the denominator sqrt(v̂) for numerical stability (<c>eps</c>); default 1e-8.</param>
    /// <param name="weightDecay">Decoupled weight decay (<c>weight_decay</c>): each step first multiplies p by 1 - lr *
    /// weightDecay; default 0.01, as in PyTorch.</param>
    /// <exception cref="ArgumentException">There are no parameters, a parameter does not require grad or appears twice,
    /// or a group sets an option this optimizer does not have.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A learning rate is negative.</exception>
    [OverloadResolutionPriority(1)]
    public AdamW(IEnumerable<Tensor> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0.01)
        : base("AdamW", [new ParamGroup(parameters)], lr, beta1, beta2, eps, weightDecay) { }

    /// <summary>Creates the optimizer over parameter groups; the other arguments are the values of groups that do
    /// not set their own.</summary>
    /// <param name="paramGroups">The parameter groups (PyTorch's <c>params</c> as a list of dicts); a group's own
    /// options win over the arguments below.</param>
    /// <param name="lr">The learning rate (PyTorch's <c>lr</c>), 0 or more; default 1e-3.</param>
    /// <param name="beta1">The decay rate of the running mean of the gradient, m (the first of PyTorch's <c>betas</c>);
    /// default 0.9.</param>
    /// <param name="beta2">The decay rate of the running mean of the squared gradient, v (the second of PyTorch's
    /// <c>betas</c>); default 0.999.</param>
    /// <param name="eps">Added to the denominator sqrt(v̂) for numerical stability (<c>eps</c>); default 1e-8.</param>
    /// <param name="weightDecay">Decoupled weight decay (<c>weight_decay</c>): each step first multiplies p by 1 - lr *
    /// weightDecay; default 0.01, as in PyTorch.</param>
    /// <exception cref="ArgumentException">There are no parameters, a parameter does not require grad or appears twice,
    /// or a group sets an option this optimizer does not have.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A learning rate is negative.</exception>
    public AdamW(IEnumerable<ParamGroup> paramGroups, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0.01)
        : base("AdamW", paramGroups, lr, beta1, beta2, eps, weightDecay) { }

    /// <inheritdoc />
    protected override Tensor Decay(ParamGroup group, Tensor p, Tensor grad)
    {
        if (group.WeightDecay != 0) p.Mul_(1 - group.Lr * group.WeightDecay);
        return grad.Contiguous();
    }
}
