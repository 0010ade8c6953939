namespace Tensors.Optim;

/// <summary>Adam with decoupled weight decay (Loshchilov and Hutter): p *= 1 - lr * weightDecay before the Adam step.</summary>
public sealed class AdamW : Adam
{
    /// <summary>Creates the optimizer (PyTorch's default weight decay is 0.01).</summary>
    public AdamW(IEnumerable<Tensor> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0.01)
        : base("AdamW", parameters, lr, beta1, beta2, eps, weightDecay) { }

    /// <inheritdoc />
    protected override Tensor Decay(Tensor p, Tensor grad)
    {
        if (WeightDecay != 0) p.Mul_(1 - LearningRate * WeightDecay);
        return grad.Contiguous();
    }
}
