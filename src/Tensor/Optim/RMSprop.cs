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
    /// <summary>Creates the optimizer over one group.</summary>
    /// <param name="parameters">The tensors to optimize.</param>
    /// <param name="lr">The learning rate.</param>
    /// <param name="alpha">Smoothing constant of the running averages.</param>
    /// <param name="eps">Added to the denominator.</param>
    /// <param name="weightDecay">L2 penalty added to the gradient.</param>
    /// <param name="momentum">The momentum factor; 0 keeps no buffer.</param>
    /// <param name="centered">Normalizes by an estimate of the gradient's variance instead of its second moment.</param>
    [OverloadResolutionPriority(1)]
    public RMSprop(IEnumerable<Tensor> parameters, double lr = 0.01, double alpha = 0.99, double eps = 1e-8, double weightDecay = 0, double momentum = 0, bool centered = false)
        : this([new ParamGroup(parameters)], lr, alpha, eps, weightDecay, momentum, centered) { }

    /// <summary>Creates the optimizer over parameter groups; the other arguments are the values of groups that do
    /// not set their own.</summary>
    /// <param name="paramGroups">The groups, each with its own options.</param>
    /// <param name="lr">The learning rate.</param>
    /// <param name="alpha">Smoothing constant of the running averages.</param>
    /// <param name="eps">Added to the denominator.</param>
    /// <param name="weightDecay">L2 penalty added to the gradient.</param>
    /// <param name="momentum">The momentum factor; 0 keeps no buffer.</param>
    /// <param name="centered">Normalizes by an estimate of the gradient's variance instead of its second moment.</param>
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
