using System.Runtime.CompilerServices;

namespace Tensors.Optim;

/// <summary>
/// Adam (Kingma and Ba) as PyTorch implements it: moments m and v of the gradient with bias correction,
/// p -= lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps), t counted per parameter. Weight decay here is
/// an L2 term added to the gradient; see <see cref="AdamW"/> for decoupled decay. Each <see cref="ParamGroup"/> may
/// set its own lr, weight decay and betas.
/// </summary>
public class Adam : Optimizer
{
    /// <summary>Creates the optimizer over one group of parameters, as PyTorch's <c>torch.optim.Adam(params,
    /// ...)</c>.</summary>
    /// <param name="parameters">The tensors to optimize (PyTorch's <c>params</c>), usually <c>model.Parameters()</c>;
    /// each must require grad and appear once.</param>
    /// <param name="lr">The learning rate (PyTorch's <c>lr</c>), 0 or more; default 1e-3.</param>
    /// <param name="beta1">The decay rate of the running mean of the gradient, m (the first of PyTorch's <c>betas</c>);
    /// default 0.9.</param>
    /// <param name="beta2">The decay rate of the running mean of the squared gradient, v (the second of PyTorch's
    /// <c>betas</c>); default 0.999.</param>
    /// <param name="eps">Added to the denominator sqrt(v̂) for numerical stability (<c>eps</c>); default 1e-8.</param>
    /// <param name="weightDecay">Weight decay, an L2 penalty: weightDecay * p is added to the gradient
    /// (<c>weight_decay</c>); default 0. For decoupled decay use <see cref="AdamW"/>.</param>
    /// <exception cref="ArgumentException">There are no parameters, a parameter does not require grad or appears twice,
    /// or a group sets an option this optimizer does not have.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A learning rate is negative.</exception>
    [OverloadResolutionPriority(1)]
    public Adam(IEnumerable<Tensor> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0)
        : this("Adam", [new ParamGroup(parameters)], lr, beta1, beta2, eps, weightDecay) { }

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
    /// <param name="weightDecay">Weight decay, an L2 penalty: weightDecay * p is added to the gradient
    /// (<c>weight_decay</c>); default 0. For decoupled decay use <see cref="AdamW"/>.</param>
    /// <exception cref="ArgumentException">There are no parameters, a parameter does not require grad or appears twice,
    /// or a group sets an option this optimizer does not have.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A learning rate is negative.</exception>
    public Adam(IEnumerable<ParamGroup> paramGroups, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0)
        : this("Adam", paramGroups, lr, beta1, beta2, eps, weightDecay) { }

    /// <summary>For subclasses that name themselves in errors and state dicts.</summary>
    /// <param name="name">The optimizer's name, for error messages and the state dict.</param>
    /// <param name="paramGroups">The parameter groups (PyTorch's <c>params</c> as a list of dicts); a group's own
    /// options win over the arguments below.</param>
    /// <param name="lr">The learning rate (PyTorch's <c>lr</c>), 0 or more; default 1e-3.</param>
    /// <param name="beta1">The decay rate of the running mean of the gradient, m (the first of PyTorch's <c>betas</c>);
    /// default 0.9.</param>
    /// <param name="beta2">The decay rate of the running mean of the squared gradient, v (the second of PyTorch's
    /// <c>betas</c>); default 0.999.</param>
    /// <param name="eps">Added to the denominator sqrt(v̂) for numerical stability (<c>eps</c>); default 1e-8.</param>
    /// <param name="weightDecay">Weight decay, an L2 penalty: weightDecay * p is added to the gradient
    /// (<c>weight_decay</c>); default 0. For decoupled decay use <see cref="AdamW"/>.</param>
    /// <exception cref="ArgumentException">There are no parameters, a parameter does not require grad or appears twice,
    /// or a group sets an option this optimizer does not have.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A learning rate is negative.</exception>
    protected Adam(string name, IEnumerable<ParamGroup> paramGroups, double lr, double beta1, double beta2, double eps, double weightDecay)
        : base(name, paramGroups, new Dictionary<string, double>
        {
            ["lr"] = lr, ["beta1"] = beta1, ["beta2"] = beta2, ["weight_decay"] = weightDecay,
        })
    {
        Eps = eps;
    }

    /// <summary>The first group's decay of the first moment; setting it sets every group's.</summary>
    public double Beta1 { get => ParamGroups[0]["beta1"]; set => Momentum = value; }

    /// <summary>The first group's decay of the second moment.</summary>
    public double Beta2 => ParamGroups[0]["beta2"];

    /// <summary>Added to the denominator.</summary>
    public double Eps { get; }

    /// <summary>The first group's weight decay.</summary>
    public double WeightDecay => ParamGroups[0].WeightDecay;

    /// <inheritdoc />
    public override double? GetMomentum(ParamGroup group) => group["beta1"];

    /// <inheritdoc />
    public override void SetMomentum(ParamGroup group, double value) => group.Betas = (value, group["beta2"]);

    /// <summary>Applies weight decay before the moment update; Adam adds it to the gradient.</summary>
    /// <param name="group">The parameter's group.</param>
    /// <param name="p">The parameter.</param>
    /// <param name="grad">Its gradient.</param>
    /// <returns>The gradient the moments see, a new tensor.</returns>
    protected virtual Tensor Decay(ParamGroup group, Tensor p, Tensor grad) =>
        group.WeightDecay != 0 ? grad + p * group.WeightDecay : grad.Contiguous();

    /// <inheritdoc />
    protected override void Update(ParamGroup group, Tensor p, Tensor grad)
    {
        long t = IncrementStep(p);
        double beta1 = group["beta1"], beta2 = group["beta2"];
        using var g = Decay(group, p, grad);
        var m = GetState(p, "exp_avg") ?? SetState(p, "exp_avg", Tensor.ZerosLike(p));
        var v = GetState(p, "exp_avg_sq") ?? SetState(p, "exp_avg_sq", Tensor.ZerosLike(p));
        using (var gm = g * (1 - beta1)) m.Mul_(beta1).Add_(gm);
        using (var gs = g * (1 - beta2)) using (var g2 = gs * g) v.Mul_(beta2).Add_(g2);
        double c1 = 1 - Math.Pow(beta1, t), c2 = 1 - Math.Pow(beta2, t);
        using var root = v.Sqrt();
        using var denom = root / Math.Sqrt(c2);
        using var denomEps = denom + Eps;
        using var mHat = m * (group.Lr / c1);
        using var update = mHat / denomEps;
        p.Sub_(update);
    }
}
