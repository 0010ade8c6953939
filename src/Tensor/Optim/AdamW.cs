using System.Runtime.CompilerServices;

namespace Tensors.Optim;

/// <summary>Adam with decoupled weight decay (Loshchilov and Hutter): p *= 1 - lr * weightDecay before the Adam step.</summary>
public sealed class AdamW : Adam
{
    /// <summary>Creates the optimizer over one group (PyTorch's default weight decay is 0.01).</summary>
    /// <param name="parameters">The tensors to optimize.</param>
    /// <param name="lr">The learning rate.</param>
    /// <param name="beta1">Decay of the first moment.</param>
    /// <param name="beta2">Decay of the second moment.</param>
    /// <param name="eps">Added to the denominator.</param>
    /// <param name="weightDecay">Decoupled weight decay.</param>
    [OverloadResolutionPriority(1)]
    public AdamW(IEnumerable<Tensor> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0.01)
        : base("AdamW", [new ParamGroup(parameters)], lr, beta1, beta2, eps, weightDecay) { }

    /// <summary>Creates the optimizer over parameter groups; the other arguments are the values of groups that do
    /// not set their own.</summary>
    /// <param name="paramGroups">The groups, each with its own options.</param>
    /// <param name="lr">The learning rate.</param>
    /// <param name="beta1">Decay of the first moment.</param>
    /// <param name="beta2">Decay of the second moment.</param>
    /// <param name="eps">Added to the denominator.</param>
    /// <param name="weightDecay">Decoupled weight decay.</param>
    public AdamW(IEnumerable<ParamGroup> paramGroups, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0.01)
        : base("AdamW", paramGroups, lr, beta1, beta2, eps, weightDecay) { }

    /// <inheritdoc />
    protected override Tensor Decay(ParamGroup group, Tensor p, Tensor grad)
    {
        if (group.WeightDecay != 0) p.Mul_(1 - group.Lr * group.WeightDecay);
        return grad.Contiguous();
    }
}
