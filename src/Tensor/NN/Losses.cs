namespace Tensors.NN;

/// <summary>
/// A loss as a module (PyTorch's <c>nn._Loss</c>): <see cref="Forward(Tensor, Tensor)"/> takes the input and the
/// target. Class weights are buffers, so <see cref="Module.To(Device)"/> moves them with the model.
/// </summary>
/// <param name="reduction">"mean", "sum" or "none".</param>
public abstract class Loss(string reduction) : Module
{
    /// <summary>"mean", "sum" or "none" (and "batchmean" for <see cref="KLDivLoss"/>).</summary>
    public string Reduction { get; } = reduction ?? throw new ArgumentNullException(nameof(reduction));

    /// <summary>The loss of <paramref name="input"/> against <paramref name="target"/>.</summary>
    /// <param name="input">The predictions.</param>
    /// <param name="target">The targets.</param>
    public abstract Tensor Forward(Tensor input, Tensor target);

    /// <summary>Always throws: a loss needs a target; call <see cref="Forward(Tensor, Tensor)"/>.</summary>
    /// <param name="input">Unused.</param>
    /// <exception cref="InvalidOperationException">Always: a loss needs a target.</exception>
    public sealed override Tensor Forward(Tensor input) =>
        throw new InvalidOperationException($"{GetType().Name}: a loss takes an input and a target; call Forward(input, target).");

    /// <summary>Registers an optional buffer (PyTorch registers None, which is not saved).</summary>
    private protected Tensor? OptionalBuffer(string name, Tensor? tensor) => tensor is null ? null : RegisterBuffer(name, tensor);
}

/// <summary>The mean squared error (PyTorch's <c>nn.MSELoss</c>); see <see cref="Functional.MseLoss(Tensor, Tensor)"/>.</summary>
/// <param name="reduction">"mean", "sum" or "none"; default <c>"mean"</c>.</param>
public sealed class MSELoss(string reduction = "mean") : Loss(reduction)
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input, Tensor target) => Functional.MseLoss(input, target, Reduction);
}

/// <summary>The mean absolute error (PyTorch's <c>nn.L1Loss</c>); see <see cref="Functional.L1Loss(Tensor, Tensor)"/>.</summary>
/// <param name="reduction">"mean", "sum" or "none"; default <c>"mean"</c>.</param>
public sealed class L1Loss(string reduction = "mean") : Loss(reduction)
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input, Tensor target) => Functional.L1Loss(input, target, Reduction);
}

/// <summary>The Huber loss (PyTorch's <c>nn.HuberLoss</c>); see <see cref="Functional.HuberLoss(Tensor, Tensor)"/>.</summary>
/// <param name="reduction">"mean", "sum" or "none"; default <c>"mean"</c>.</param>
/// <param name="delta">Where the loss turns linear; positive; default 1.0.</param>
public sealed class HuberLoss(string reduction = "mean", double delta = 1.0) : Loss(reduction)
{
    /// <summary>Where the loss turns linear.</summary>
    public double Delta { get; } = delta;

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, Tensor target) => Functional.HuberLoss(input, target, Reduction, Delta);
}

/// <summary>The smooth L1 loss (PyTorch's <c>nn.SmoothL1Loss</c>); see <see cref="Functional.SmoothL1Loss(Tensor, Tensor)"/>.</summary>
/// <param name="reduction">"mean", "sum" or "none"; default <c>"mean"</c>.</param>
/// <param name="beta">Where the loss turns linear; not negative; default 1.0.</param>
public sealed class SmoothL1Loss(string reduction = "mean", double beta = 1.0) : Loss(reduction)
{
    /// <summary>Where the loss turns linear.</summary>
    public double Beta { get; } = beta;

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, Tensor target) => Functional.SmoothL1Loss(input, target, Reduction, Beta);
}

/// <summary>The Kullback-Leibler divergence (PyTorch's <c>nn.KLDivLoss</c>); see <see cref="Functional.KlDivLoss(Tensor, Tensor)"/>.</summary>
/// <param name="reduction">"mean", "batchmean", "sum" or "none"; default <c>"mean"</c>.</param>
/// <param name="logTarget">True when targets are log-probabilities; default <c>false</c>.</param>
public sealed class KLDivLoss(string reduction = "mean", bool logTarget = false) : Loss(reduction)
{
    /// <summary>True when targets are log-probabilities.</summary>
    public bool LogTarget { get; } = logTarget;

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, Tensor target) => Functional.KlDivLoss(input, target, Reduction, LogTarget);
}

/// <summary>Binary cross-entropy on probabilities (PyTorch's <c>nn.BCELoss</c>); see
/// <see cref="Functional.BinaryCrossEntropy(Tensor, Tensor)"/>.</summary>
public sealed class BCELoss : Loss
{
    /// <summary>Creates the loss.</summary>
    /// <param name="weight">Null, or a per-element weight (a buffer); default null.</param>
    /// <param name="reduction">"mean", "sum" or "none"; default <c>"mean"</c>.</param>
    public BCELoss(Tensor? weight = null, string reduction = "mean") : base(reduction) => Weight = OptionalBuffer("weight", weight);

    /// <summary>The per-element weight, or null.</summary>
    public Tensor? Weight { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, Tensor target) => Functional.BinaryCrossEntropy(input, target, Weight, Reduction);
}

/// <summary>Binary cross-entropy on logits (PyTorch's <c>nn.BCEWithLogitsLoss</c>); see
/// <see cref="Functional.BinaryCrossEntropyWithLogits(Tensor, Tensor)"/>.</summary>
public sealed class BCEWithLogitsLoss : Loss
{
    /// <summary>Creates the loss.</summary>
    /// <param name="weight">Null, or a per-element weight (a buffer); default null.</param>
    /// <param name="reduction">"mean", "sum" or "none"; default <c>"mean"</c>.</param>
    /// <param name="posWeight">Null, or the weight of positive examples per class (a buffer); default null.</param>
    public BCEWithLogitsLoss(Tensor? weight = null, string reduction = "mean", Tensor? posWeight = null) : base(reduction)
    {
        Weight = OptionalBuffer("weight", weight);
        PosWeight = OptionalBuffer("pos_weight", posWeight);
    }

    /// <summary>The per-element weight, or null.</summary>
    public Tensor? Weight { get; }

    /// <summary>The positive examples' weight, or null.</summary>
    public Tensor? PosWeight { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, Tensor target) =>
        Functional.BinaryCrossEntropyWithLogits(input, target, Weight, Reduction, PosWeight);
}

/// <summary>The negative log-likelihood loss (PyTorch's <c>nn.NLLLoss</c>); see <see cref="Functional.NllLoss(Tensor, Tensor)"/>.</summary>
public sealed class NLLLoss : Loss
{
    /// <summary>Creates the loss.</summary>
    /// <param name="weight">Null, or a weight per class (a buffer); default null.</param>
    /// <param name="ignoreIndex">A target value that contributes nothing; default -100.</param>
    /// <param name="reduction">"mean", "sum" or "none"; default <c>"mean"</c>.</param>
    public NLLLoss(Tensor? weight = null, int ignoreIndex = -100, string reduction = "mean") : base(reduction)
    {
        Weight = OptionalBuffer("weight", weight);
        IgnoreIndex = ignoreIndex;
    }

    /// <summary>The class weights, or null.</summary>
    public Tensor? Weight { get; }

    /// <summary>The target value that contributes nothing.</summary>
    public int IgnoreIndex { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, Tensor target) => Functional.NllLoss(input, target, Weight, IgnoreIndex, Reduction);
}

/// <summary>Cross-entropy over logits (PyTorch's <c>nn.CrossEntropyLoss</c>); see <see cref="Functional.CrossEntropy(Tensor, Tensor)"/>.</summary>
public sealed class CrossEntropyLoss : Loss
{
    /// <summary>Creates the loss.</summary>
    /// <param name="weight">Null, or a weight per class (a buffer); default null.</param>
    /// <param name="ignoreIndex">A target class that contributes nothing; default -100.</param>
    /// <param name="reduction">"mean", "sum" or "none"; default <c>"mean"</c>.</param>
    /// <param name="labelSmoothing">In [0, 1]: the share of the uniform distribution in the targets; default
    /// 0.0.</param>
    public CrossEntropyLoss(Tensor? weight = null, int ignoreIndex = -100, string reduction = "mean", double labelSmoothing = 0.0) : base(reduction)
    {
        Weight = OptionalBuffer("weight", weight);
        IgnoreIndex = ignoreIndex;
        LabelSmoothing = labelSmoothing;
    }

    /// <summary>The class weights, or null.</summary>
    public Tensor? Weight { get; }

    /// <summary>The target class that contributes nothing.</summary>
    public int IgnoreIndex { get; }

    /// <summary>The share of the uniform distribution in the targets.</summary>
    public double LabelSmoothing { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, Tensor target) =>
        Functional.CrossEntropy(input, target, Weight, IgnoreIndex, Reduction, LabelSmoothing);
}
