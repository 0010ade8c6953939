using System.Runtime.CompilerServices;

namespace Tensors.Optim;

/// <summary>
/// RMSprop (Hinton) as PyTorch implements it: a running average s = alpha * s + (1 - alpha) * g² of the squared
/// gradient, p -= lr * g / (sqrt(s) + eps); centered subtracts the squared running mean of g inside the root, and a
/// positive momentum accumulates g / (sqrt(s) + eps) in a buffer b = momentum * b + ... before p -= lr * b.
/// Each <see cref="ParamGroup"/> may set its own lr, weight decay and momentum.
/// </summary>
public sealed class RMSprop : Optimizer
{
    /// <summary>Creates the optimizer over one group of parameters, as PyTorch's <c>torch.optim.RMSprop(params,
    /// ...)</c>.</summary>
    /// <param name="parameters">The tensors to optimize (PyTorch's <c>params</c>), usually <c>model.Parameters()</c>;
    /// each must require grad and appear once.</param>
    /// <param name="lr">The learning rate (PyTorch's <c>lr</c>), 0 or more; default 0.01.</param>
    /// <param name="alpha">The smoothing constant of the running average of the squared gradient (<c>alpha</c>), 0 or
    /// more; default 0.99.</param>
    /// <param name="eps">Added to the denominator sqrt(s) for numerical stability (<c>eps</c>), 0 or more; default
    /// 1e-8.</param>
    /// <param name="weightDecay">Weight decay, an L2 penalty: weightDecay * p is added to the gradient
    /// (<c>weight_decay</c>); default 0.</param>
    /// <param name="momentum">The momentum factor (<c>momentum</c>), 0 or more; default 0, no buffer.</param>
    /// <param name="centered">Compute the centered RMSprop (<c>centered</c>): normalize by an estimate of the
    /// gradient's variance, s - mean(g)², instead of its second moment; default <c>false</c>.</param>
    /// <exception cref="ArgumentException">There are no parameters, a parameter does not require grad or appears twice,
    /// or a group sets an option this optimizer does not have.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A learning rate, <paramref name="alpha"/>, <paramref name="eps"/>
    /// or a momentum is negative.</exception>
    [OverloadResolutionPriority(1)]
    public RMSprop(IEnumerable<Tensor> parameters, double lr = 0.01, double alpha = 0.99, double eps = 1e-8, double weightDecay = 0, double momentum = 0, bool centered = false)
        : this([new ParamGroup(parameters)], lr, alpha, eps, weightDecay, momentum, centered) { }

    /// <summary>Creates the optimizer over parameter groups; the other arguments are the values of groups that do
    /// not set their own.</summary>
    /// <param name="paramGroups">The parameter groups (PyTorch's <c>params</c> as a list of dicts); a group's own
    /// options win over the arguments below.</param>
    /// <param name="lr">The learning rate (PyTorch's <c>lr</c>), 0 or more; default 0.01.</param>
    /// <param name="alpha">The smoothing constant of the running average of the squared gradient (<c>alpha</c>), 0 or
    /// more; default 0.99.</param>
    /// <param name="eps">Added to the denominator sqrt(s) for numerical stability (<c>eps</c>), 0 or more; default
    /// 1e-8.</param>
    /// <param name="weightDecay">Weight decay, an L2 penalty: weightDecay * p is added to the gradient
    /// (<c>weight_decay</c>); default 0.</param>
    /// <param name="momentum">The momentum factor (<c>momentum</c>), 0 or more; default 0, no buffer.</param>
    /// <param name="centered">Compute the centered RMSprop (<c>centered</c>): normalize by an estimate of the
    /// gradient's variance, s - mean(g)², instead of its second moment; default <c>false</c>.</param>
    /// <exception cref="ArgumentException">There are no parameters, a parameter does not require grad or appears twice,
    /// or a group sets an option this optimizer does not have.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A learning rate, <paramref name="alpha"/>, <paramref name="eps"/>
    /// or a momentum is negative.</exception>
    public RMSprop(IEnumerable<ParamGroup> paramGroups, double lr = 0.01, double alpha = 0.99, double eps = 1e-8, double weightDecay = 0, double momentum = 0, bool centered = false)
        : base("RMSprop", paramGroups, new Dictionary<string, double> { ["lr"] = lr, ["momentum"] = momentum, ["weight_decay"] = weightDecay })
    {
        if (alpha < 0) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "RMSprop: alpha must not be negative.");
        if (eps < 0) throw new ArgumentOutOfRangeException(nameof(eps), eps, "RMSprop: eps must not be negative.");
        if (ParamGroups.FirstOrDefault(g => g["momentum"] < 0) is { } bad)
            throw new ArgumentOutOfRangeException(nameof(momentum), bad["momentum"], "RMSprop: momentum must not be negative.");
        (Alpha, Eps, Centered) = (alpha, eps, centered);
    }

    /// <summary>Smoothing constant of the running averages.</summary>
    public double Alpha { get; }

    /// <summary>Added to the denominator.</summary>
    public double Eps { get; }

    /// <summary>Whether the second moment is centered.</summary>
    public bool Centered { get; }

    /// <inheritdoc />
    public override double? GetMomentum(ParamGroup group) => group["momentum"];

    /// <inheritdoc />
    public override void SetMomentum(ParamGroup group, double value) => group.Momentum = value;

    /// <inheritdoc />
    protected override void Update(ParamGroup group, Tensor p, Tensor grad)
    {
        IncrementStep(p);
        double lr = group.Lr, weightDecay = group.WeightDecay, momentum = group["momentum"];
        using var g = weightDecay != 0 ? grad + p * weightDecay : grad.Contiguous();
        var squareAvg = GetState(p, "square_avg") ?? SetState(p, "square_avg", Tensor.ZerosLike(p));
        using (var gs = g * (1 - Alpha)) using (var g2 = gs * g) squareAvg.Mul_(Alpha).Add_(g2);
        using var avg = Centered ? CenteredRoot(p, g, squareAvg) : squareAvg.Sqrt();
        avg.Add_(Eps);
        if (momentum > 0)
        {
            var buf = GetState(p, "momentum_buffer") ?? SetState(p, "momentum_buffer", Tensor.ZerosLike(p));
            using (var ratio = g / avg) buf.Mul_(momentum).Add_(ratio);
            using var step = buf * lr;
            p.Sub_(step);
        }
        else
        {
            using var scaled = g * lr; // PyTorch's addcdiv order: (lr * g) / avg
            using var step = scaled / avg;
            p.Sub_(step);
        }
    }

    // sqrt(s - mean(g)²) with the running mean of g kept as "grad_avg".
    private Tensor CenteredRoot(Tensor p, Tensor g, Tensor squareAvg)
    {
        var gradAvg = GetState(p, "grad_avg") ?? SetState(p, "grad_avg", Tensor.ZerosLike(p));
        using (var ga = g * (1 - Alpha)) gradAvg.Mul_(Alpha).Add_(ga);
        using var mean2 = gradAvg * gradAvg;
        using var variance = squareAvg - mean2;
        return variance.Sqrt();
    }
}
