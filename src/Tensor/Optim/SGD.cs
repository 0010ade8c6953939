namespace Tensors.Optim;

/// <summary>
/// Stochastic gradient descent with PyTorch's options: p -= lr * d, where d is the gradient plus
/// <c>weightDecay * p</c>, through a momentum buffer b = momentum * b + (1 - dampening) * d when momentum is set
/// (Nesterov uses d + momentum * b).
/// </summary>
public sealed class SGD : Optimizer
{
    private double _momentum;

    /// <summary>Creates the optimizer.</summary>
    public SGD(IEnumerable<Tensor> parameters, double lr, double momentum = 0, double dampening = 0, double weightDecay = 0, bool nesterov = false)
        : base("SGD", parameters, lr)
    {
        if (nesterov && (momentum <= 0 || dampening != 0))
            throw new ArgumentException("SGD: Nesterov momentum requires a positive momentum and zero dampening.");
        _momentum = momentum;
        Dampening = dampening;
        WeightDecay = weightDecay;
        Nesterov = nesterov;
        UsesMomentum = momentum > 0;
    }

    /// <summary>Whether this optimizer keeps a momentum buffer (fixed at construction, as in fastai).</summary>
    public bool UsesMomentum { get; }

    /// <inheritdoc />
    public override double? Momentum
    {
        get => UsesMomentum ? _momentum : null;
        set { if (UsesMomentum && value is double m) _momentum = m; }
    }

    /// <summary>Dampening of the momentum buffer.</summary>
    public double Dampening { get; }

    /// <summary>L2 penalty added to the gradient.</summary>
    public double WeightDecay { get; }

    /// <summary>Nesterov momentum.</summary>
    public bool Nesterov { get; }

    /// <inheritdoc />
    protected override void Update(Tensor p, Tensor grad)
    {
        using var d = WeightDecay != 0 ? grad + p * WeightDecay : grad.Contiguous();
        if (!UsesMomentum)
        {
            using var step = d * LearningRate;
            p.Sub_(step);
            return;
        }
        var buf = GetState(p, "momentum_buffer");
        if (buf is null) buf = SetState(p, "momentum_buffer", d.Clone());
        else
        {
            using var scaled = d * (1 - Dampening);
            buf.Mul_(_momentum).Add_(scaled);
        }
        using var direction = Nesterov ? d + buf * _momentum : buf.Contiguous();
        using var update = direction * LearningRate;
        p.Sub_(update);
    }
}
