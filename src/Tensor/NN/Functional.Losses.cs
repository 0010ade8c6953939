namespace Tensors.NN;

// The losses, each with PyTorch's reduction argument: "mean" (the default; a weighted mean where there are class
// weights), "sum", or "none" (the elementwise or per-sample losses). All are composites except the binary
// cross-entropies, whose elementwise values carry PyTorch's own derivatives (Graph/LossBackward.cs).
public static partial class Functional
{
    private static readonly string[] Reductions = ["mean", "sum", "none"];

    private static void CheckReduction(string op, string reduction, bool batchMean = false)
    {
        if (Array.IndexOf(Reductions, reduction) < 0 && !(batchMean && reduction == "batchmean"))
            throw new ArgumentException(
                $"{op}: reduction '{reduction}' is not valid; use \"mean\", \"sum\" or \"none\"{(batchMean ? " or \"batchmean\"" : "")}.", nameof(reduction));
    }

    // Takes ownership of losses.
    private static Tensor Reduce(Tensor losses, string reduction)
    {
        if (reduction == "none") return losses;
        using (losses) return reduction == "sum" ? losses.Sum() : losses.Mean();
    }

    private static string TorchSize(ReadOnlySpan<int> shape) => $"torch.Size([{string.Join(", ", shape.ToArray())}])";

    // PyTorch's regression losses broadcast a target of another shape, with a warning: usually a bug ([N, 1] vs [N]).
    private static void BroadcastTarget(string op, Tensor input, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        if (input.Layout.Shape.SequenceEqual(target.Layout.Shape)) return;
        Broadcasting.Shape(op, input.Layout.Shape, target.Layout.Shape);
        Warnings.Once($"Using a target size ({TorchSize(target.Layout.Shape)}) that is different to the input size ({TorchSize(input.Layout.Shape)}). " +
                      "This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size.");
    }

    private static void SameShape(string op, Tensor input, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        if (!input.Layout.Shape.SequenceEqual(target.Layout.Shape))
            throw new ArgumentException(
                $"{op}: input shape {Layout.Format(input.Layout.Shape)} and target shape {Layout.Format(target.Layout.Shape)} differ; " +
                "they must match (reshape the target, e.g. target.Unsqueeze(1) or target.View(-1)).");
    }

    /// <summary>MseLoss with its default arguments (reduction "mean"): a method group that fits
    /// <c>Func&lt;Tensor, Tensor, Tensor&gt;</c>, e.g. a <c>Learner</c>'s loss.</summary>
    /// <param name="input">The predictions.</param>
    /// <param name="target">The targets.</param>
    public static Tensor MseLoss(Tensor input, Tensor target) => MseLoss(input, target, reduction: "mean");

    /// <summary>The squared error (input - target)², reduced (PyTorch's <c>F.mse_loss</c>). A target of another
    /// shape is broadcast, with PyTorch's warning (once, on standard error).</summary>
    /// <param name="input">The predictions.</param>
    /// <param name="target">The targets, of the same (or a broadcastable) shape.</param>
    /// <param name="reduction">"mean", "sum" or "none"; default <c>"mean"</c>.</param>
    public static Tensor MseLoss(Tensor input, Tensor target, string reduction = "mean")
    {
        CheckReduction("MseLoss", reduction);
        BroadcastTarget("MseLoss", input, target);
        using var d = input - target;
        return Reduce(d * d, reduction);
    }

    /// <summary>L1Loss with its default arguments (reduction "mean"): a method group that fits
    /// <c>Func&lt;Tensor, Tensor, Tensor&gt;</c>, e.g. a <c>Learner</c>'s loss.</summary>
    /// <param name="input">The predictions.</param>
    /// <param name="target">The targets.</param>
    public static Tensor L1Loss(Tensor input, Tensor target) => L1Loss(input, target, reduction: "mean");

    /// <summary>The absolute error |input - target|, reduced (PyTorch's <c>F.l1_loss</c>). A target of another
    /// shape is broadcast, with PyTorch's warning.</summary>
    /// <param name="input">The predictions.</param>
    /// <param name="target">The targets, of the same (or a broadcastable) shape.</param>
    /// <param name="reduction">"mean", "sum" or "none"; default <c>"mean"</c>.</param>
    public static Tensor L1Loss(Tensor input, Tensor target, string reduction = "mean")
    {
        CheckReduction("L1Loss", reduction);
        BroadcastTarget("L1Loss", input, target);
        using var d = input - target;
        return Reduce(d.Abs(), reduction);
    }

    /// <summary>HuberLoss with its default arguments (reduction "mean"): a method group that fits
    /// <c>Func&lt;Tensor, Tensor, Tensor&gt;</c>, e.g. a <c>Learner</c>'s loss.</summary>
    /// <param name="input">The predictions.</param>
    /// <param name="target">The targets.</param>
    public static Tensor HuberLoss(Tensor input, Tensor target) => HuberLoss(input, target, reduction: "mean");

    /// <summary>
    /// The Huber loss (PyTorch's <c>F.huber_loss</c>): 0.5 d² where |d| &lt; delta, else delta (|d| - 0.5 delta),
    /// for d = input - target; quadratic near zero, linear (robust to outliers) beyond.
    /// </summary>
    /// <param name="input">The predictions.</param>
    /// <param name="target">The targets, of the same (or a broadcastable) shape.</param>
    /// <param name="reduction">"mean", "sum" or "none"; default <c>"mean"</c>.</param>
    /// <param name="delta">Where the loss turns linear; positive; default 1.0.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delta"/> is not positive.</exception>
    public static Tensor HuberLoss(Tensor input, Tensor target, string reduction = "mean", double delta = 1.0)
    {
        CheckReduction("HuberLoss", reduction);
        if (!(delta > 0))
            throw new ArgumentOutOfRangeException(nameof(delta), delta, $"HuberLoss: huber_loss does not support non-positive values for delta, got {delta}.");
        BroadcastTarget("HuberLoss", input, target);
        using var scope = Tensor.NewDisposeScope();
        var d = input - target;
        var a = d.Abs();
        var losses = Tensor.Where(a.Lt(delta), 0.5 * d * d, delta * (a - 0.5 * delta));
        return scope.MoveToOuter(Reduce(losses, reduction));
    }

    /// <summary>SmoothL1Loss with its default arguments (reduction "mean"): a method group that fits
    /// <c>Func&lt;Tensor, Tensor, Tensor&gt;</c>, e.g. a <c>Learner</c>'s loss.</summary>
    /// <param name="input">The predictions.</param>
    /// <param name="target">The targets.</param>
    public static Tensor SmoothL1Loss(Tensor input, Tensor target) => SmoothL1Loss(input, target, reduction: "mean");

    /// <summary>
    /// The smooth L1 loss (PyTorch's <c>F.smooth_l1_loss</c>): 0.5 d² / beta where |d| &lt; beta, else
    /// |d| - 0.5 beta, for d = input - target; the L1 loss when beta is 0.
    /// </summary>
    /// <param name="input">The predictions.</param>
    /// <param name="target">The targets, of the same (or a broadcastable) shape.</param>
    /// <param name="reduction">"mean", "sum" or "none"; default <c>"mean"</c>.</param>
    /// <param name="beta">Where the loss turns linear; not negative; default 1.0.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="beta"/> is negative.</exception>
    public static Tensor SmoothL1Loss(Tensor input, Tensor target, string reduction = "mean", double beta = 1.0)
    {
        CheckReduction("SmoothL1Loss", reduction);
        if (!(beta >= 0))
            throw new ArgumentOutOfRangeException(nameof(beta), beta, $"SmoothL1Loss: smooth_l1_loss does not support negative values for beta, got {beta}.");
        if (beta == 0) return L1Loss(input, target, reduction); // the quadratic branch would divide by zero
        BroadcastTarget("SmoothL1Loss", input, target);
        using var scope = Tensor.NewDisposeScope();
        var d = input - target;
        var a = d.Abs();
        var losses = Tensor.Where(a.Lt(beta), 0.5 / beta * d * d, a - 0.5 * beta);
        return scope.MoveToOuter(Reduce(losses, reduction));
    }

    /// <summary>KlDivLoss with its default arguments (reduction "mean"): a method group that fits
    /// <c>Func&lt;Tensor, Tensor, Tensor&gt;</c>, e.g. a <c>Learner</c>'s loss.</summary>
    /// <param name="input">The predictions.</param>
    /// <param name="target">The targets.</param>
    public static Tensor KlDivLoss(Tensor input, Tensor target) => KlDivLoss(input, target, reduction: "mean");

    /// <summary>
    /// The Kullback-Leibler divergence of <paramref name="target"/> from the distribution whose log-probabilities
    /// are <paramref name="input"/> (PyTorch's <c>F.kl_div</c>): target (log target - input), taken as 0 where the
    /// target is 0. Use reduction "batchmean" for the true KL divergence per sample (the sum over the batch
    /// divided by its size); "mean" divides by the element count as PyTorch's does, with its warning.
    /// </summary>
    /// <param name="input">Log-probabilities (e.g. from <see cref="LogSoftmax"/>).</param>
    /// <param name="target">Probabilities, or log-probabilities when <paramref name="logTarget"/>.</param>
    /// <param name="reduction">"mean", "batchmean", "sum" or "none"; default <c>"mean"</c>.</param>
    /// <param name="logTarget">True when <paramref name="target"/> holds log-probabilities; default
    /// <c>false</c>.</param>
    public static Tensor KlDivLoss(Tensor input, Tensor target, string reduction = "mean", bool logTarget = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        CheckReduction("KlDivLoss", reduction, batchMean: true);
        Broadcasting.Shape("KlDivLoss", input.Layout.Shape, target.Layout.Shape);
        if (reduction == "mean")
            Warnings.Once("reduction: 'mean' divides the total loss by both the batch size and the support size." +
                          "'batchmean' divides only by the batch size, and aligns with the KL div math definition." +
                          "'mean' will be changed to behave the same as 'batchmean' in the next major release.");
        using var scope = Tensor.NewDisposeScope();
        Tensor losses;
        if (logTarget) losses = target.Exp() * (target - input);
        else
        {
            // xlogy(t, t) - t x: where t is 0 the log's argument becomes 1, so neither value nor gradient is NaN.
            var positive = target.Gt(0);
            var safe = Tensor.Where(positive, target, 1.0);
            losses = target * safe.Log() - target * input;
        }
        if (reduction != "batchmean") return scope.MoveToOuter(Reduce(losses, reduction));
        var sum = losses.Sum();
        return scope.MoveToOuter(input.Rank == 0 ? sum : sum / input.Layout.Shape[0]);
    }

    /// <summary>BinaryCrossEntropy with its default arguments (reduction "mean"): a method group that fits
    /// <c>Func&lt;Tensor, Tensor, Tensor&gt;</c>, e.g. a <c>Learner</c>'s loss.</summary>
    /// <param name="probabilities">The predictions.</param>
    /// <param name="target">The targets.</param>
    public static Tensor BinaryCrossEntropy(Tensor probabilities, Tensor target) => BinaryCrossEntropy(probabilities, target, reduction: "mean");

    /// <summary>
    /// Binary cross-entropy on probabilities p (PyTorch's <c>F.binary_cross_entropy</c>):
    /// -w (y log p + (1 - y) log(1 - p)), with the logs clamped at -100; the gradient is PyTorch's
    /// (p - y) / max(p (1 - p), 1e-12), finite at p = 0 and 1.
    /// </summary>
    /// <param name="probabilities">Probabilities in [0, 1].</param>
    /// <param name="target">Targets in [0, 1], of the same shape.</param>
    /// <param name="weight">Null, or a per-element weight broadcast to the input; default null.</param>
    /// <param name="reduction">"mean", "sum" or "none"; default <c>"mean"</c>.</param>
    public static Tensor BinaryCrossEntropy(Tensor probabilities, Tensor target, Tensor? weight = null, string reduction = "mean")
    {
        CheckReduction("BinaryCrossEntropy", reduction);
        SameShape("BinaryCrossEntropy", probabilities, target);
        return Weighted("BinaryCrossEntropy", BinaryCrossEntropyElements(probabilities, target, null, logits: false), weight, reduction);
    }

    /// <summary>BinaryCrossEntropyWithLogits with its default arguments (reduction "mean"): a method group that fits
    /// <c>Func&lt;Tensor, Tensor, Tensor&gt;</c>, e.g. a <c>Learner</c>'s loss.</summary>
    /// <param name="logits">The predictions.</param>
    /// <param name="target">The targets.</param>
    public static Tensor BinaryCrossEntropyWithLogits(Tensor logits, Tensor target) => BinaryCrossEntropyWithLogits(logits, target, reduction: "mean");

    /// <summary>
    /// Binary cross-entropy on logits x (PyTorch's <c>F.binary_cross_entropy_with_logits</c>), stable for any x:
    /// w ((1 - y) x + l (log(1 + e^-|x|) + max(-x, 0))) with l = 1 + (posWeight - 1) y; the gradient is
    /// PyTorch's (sigmoid(x) - y without a posWeight), right at x = 0 too.
    /// </summary>
    /// <param name="logits">Scores (any real numbers).</param>
    /// <param name="target">Targets in [0, 1], of the same shape.</param>
    /// <param name="weight">Null, or a per-element weight broadcast to the input; default null.</param>
    /// <param name="reduction">"mean", "sum" or "none"; default <c>"mean"</c>.</param>
    /// <param name="posWeight">Null, or the weight of positive examples per class (broadcast over the last dim), e.g.
    /// negatives / positives to balance a rare class. It is not differentiated. Default null.</param>
    public static Tensor BinaryCrossEntropyWithLogits(Tensor logits, Tensor target, Tensor? weight = null, string reduction = "mean", Tensor? posWeight = null)
    {
        CheckReduction("BinaryCrossEntropyWithLogits", reduction);
        SameShape("BinaryCrossEntropyWithLogits", logits, target);
        if (posWeight is not null)
            Broadcasting.Shape("BinaryCrossEntropyWithLogits", logits.Layout.Shape, posWeight.Layout.Shape);
        return Weighted("BinaryCrossEntropyWithLogits", BinaryCrossEntropyElements(logits, target, posWeight, logits: true), weight, reduction);
    }

    private static Tensor Weighted(string op, Tensor losses, Tensor? weight, string reduction)
    {
        if (weight is null) return Reduce(losses, reduction);
        Broadcasting.Shape(op, losses.Layout.Shape, weight.Layout.Shape);
        using (losses) return Reduce(losses * weight, reduction);
    }

    // The elementwise losses computed without recording, then one node with PyTorch's derivatives.
    private static Tensor BinaryCrossEntropyElements(Tensor input, Tensor target, Tensor? posWeight, bool logits)
    {
        bool record = Autograd.ShouldRecord(input, target);
        Tensor loss;
        using (Autograd.Suspend())
        using (var scope = Tensor.NewDisposeScope())
        {
            if (logits)
            {
                var softplus = ((-input.Abs()).Exp() + 1.0).Log() + (-input).Relu(); // log(1 + e^-x), stably
                var l = posWeight is null ? softplus : ((posWeight - 1.0) * target + 1.0) * softplus;
                loss = scope.MoveToOuter((1.0 - target) * input + l);
            }
            else
            {
                var log = input.Log().Clamp(min: -100);
                var log1m = (1.0 - input).Log().Clamp(min: -100);
                loss = scope.MoveToOuter(-(target * log + (1.0 - target) * log1m));
            }
        }
        return record ? loss.Record(new Graph.BinaryCrossEntropyBackward(input, target, posWeight, logits)) : loss;
    }
}
