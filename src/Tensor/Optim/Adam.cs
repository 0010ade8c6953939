namespace Tensors.Optim;

/// <summary>
/// Adam (Kingma and Ba) as PyTorch implements it: moments m and v of the gradient with bias correction,
/// p -= lr * m̂ / (sqrt(v̂) + eps). Weight decay here is an L2 term added to the gradient; see <see cref="AdamW"/>
/// for decoupled decay.
/// </summary>
public class Adam : Optimizer
{
    private int _step;

    /// <summary>Creates the optimizer.</summary>
    public Adam(IEnumerable<Tensor> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0)
        : this("Adam", parameters, lr, beta1, beta2, eps, weightDecay) { }

    /// <summary>For subclasses that name themselves in errors.</summary>
    protected Adam(string name, IEnumerable<Tensor> parameters, double lr, double beta1, double beta2, double eps, double weightDecay)
        : base(name, parameters, lr)
    {
        Beta1 = beta1;
        Beta2 = beta2;
        Eps = eps;
        WeightDecay = weightDecay;
    }

    /// <summary>Decay of the first moment.</summary>
    public double Beta1 { get; set; }

    /// <summary>Decay of the second moment.</summary>
    public double Beta2 { get; }

    /// <summary>Added to the denominator.</summary>
    public double Eps { get; }

    /// <summary>Weight decay.</summary>
    public double WeightDecay { get; }

    /// <inheritdoc />
    public override double? Momentum { get => Beta1; set { if (value is double b) Beta1 = b; } }

    /// <summary>Applies weight decay before the moment update; Adam adds it to the gradient.</summary>
    protected virtual Tensor Decay(Tensor p, Tensor grad) => WeightDecay != 0 ? grad + p * WeightDecay : grad.Contiguous();

    /// <inheritdoc />
    protected override void Update(Tensor p, Tensor grad)
    {
        int t = _step + 1;
        using var g = Decay(p, grad);
        var m = GetState(p, "exp_avg") ?? SetState(p, "exp_avg", Tensor.ZerosLike(p));
        var v = GetState(p, "exp_avg_sq") ?? SetState(p, "exp_avg_sq", Tensor.ZerosLike(p));
        using (var gm = g * (1 - Beta1)) m.Mul_(Beta1).Add_(gm);
        using (var g2 = g * g) using (var g2s = g2 * (1 - Beta2)) v.Mul_(Beta2).Add_(g2s);
        double c1 = 1 - Math.Pow(Beta1, t), c2 = 1 - Math.Pow(Beta2, t);
        using var vHat = v / c2;
        using var denom = vHat.Sqrt();
        using var denomEps = denom + Eps;
        using var mHat = m * (LearningRate / c1);
        using var update = mHat / denomEps;
        p.Sub_(update);
    }

    /// <inheritdoc />
    protected override void AfterStep() => _step++;
}
