namespace Tensors.NN;

// The classification losses over a class dim: NllLoss and CrossEntropy (class indices or class probabilities).
public static partial class Functional
{
    /// <summary>NllLoss with its default arguments (reduction "mean"): a method group that fits
    /// <c>Func&lt;Tensor, Tensor, Tensor&gt;</c>, e.g. a <c>Learner</c>'s loss.</summary>
    /// <param name="input">The predictions.</param>
    /// <param name="target">The targets.</param>
    public static Tensor NllLoss(Tensor input, Tensor target) => NllLoss(input, target, reduction: "mean");

    /// <summary>
    /// The negative log-likelihood loss (PyTorch's <c>F.nll_loss</c>): -weight[t] input[t] for each sample's
    /// target class t. The mean is weighted: the sum divided by the summed weights of the counted targets.
    /// </summary>
    /// <param name="input">Log-probabilities, [C], [N, C] or [N, C, d1, ...] (classes on dim 1).</param>
    /// <param name="target">Integer class indices in [0, C), [], [N] or [N, d1, ...].</param>
    /// <param name="weight">Null, or a weight per class, [C]; default null.</param>
    /// <param name="ignoreIndex">A target value that contributes neither loss nor weight; default -100.</param>
    /// <param name="reduction">"mean", "sum" or "none" (the per-sample losses, 0 where ignored); default
    /// <c>"mean"</c>.</param>
    public static Tensor NllLoss(Tensor input, Tensor target, Tensor? weight = null, int ignoreIndex = -100, string reduction = "mean")
    {
        CheckReduction("NllLoss", reduction);
        CheckClassTargets("NllLoss", input, target, weight, ignoreIndex);
        return CheckedNllLoss(input, target, weight, ignoreIndex, reduction);
    }

    // NllLoss once its arguments are checked (CrossEntropy checks them itself: the targets are read on the host).
    private static Tensor CheckedNllLoss(Tensor input, Tensor target, Tensor? weight, int ignoreIndex, string reduction)
    {
        int classDim = input.Rank == 1 ? 0 : 1;
        using var scope = Tensor.NewDisposeScope();
        var (isTarget, w) = TargetWeights(input, target, weight, ignoreIndex, classDim);
        var picked = Tensor.Where(isTarget, input, 0.0).Sum(classDim);
        var losses = -(picked * w);
        var result = reduction switch
        {
            "none" => losses,
            "sum" => losses.Sum(),
            _ => losses.Sum() / w.Sum(),
        };
        return scope.MoveToOuter(result);
    }

    /// <summary>CrossEntropy with its default arguments (reduction "mean"): a method group that fits
    /// <c>Func&lt;Tensor, Tensor, Tensor&gt;</c>, e.g. a <c>Learner</c>'s loss.</summary>
    /// <param name="logits">The predictions.</param>
    /// <param name="target">The targets.</param>
    public static Tensor CrossEntropy(Tensor logits, Tensor target) => CrossEntropy(logits, target, reduction: "mean");

    /// <summary>
    /// Cross-entropy (PyTorch's <c>F.cross_entropy</c>): <see cref="LogSoftmax"/> over the class dim, then
    /// <see cref="NllLoss(Tensor, Tensor)"/> for integer class indices, or -sum(weight target log softmax) for class probabilities
    /// (a floating target of the input's shape). <paramref name="labelSmoothing"/> mixes the targets with the
    /// uniform distribution, as PyTorch does.
    /// </summary>
    /// <param name="logits">Scores, [C], [N, C] or [N, C, d1, ...] (classes on dim 1).</param>
    /// <param name="target">Integer class indices ([], [N] or [N, d1, ...]), or probabilities of the logits' shape.</param>
    /// <param name="weight">Null, or a weight per class, [C]; default null.</param>
    /// <param name="ignoreIndex">A class index that contributes neither loss nor weight (class-index targets only);
    /// default -100.</param>
    /// <param name="reduction">"mean", "sum" or "none"; default <c>"mean"</c>.</param>
    /// <param name="labelSmoothing">In [0, 1]: the share of the uniform distribution in the targets; default
    /// 0.0.</param>
    /// <exception cref="ArgumentException">The logits are 0-d, the target's shape or dtype does not fit them, the
    /// weight is not one value per class, or <paramref name="ignoreIndex"/> is set with class-probability
    /// targets.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="labelSmoothing"/> is outside [0, 1].</exception>
    /// <exception cref="IndexOutOfRangeException">A class-index target is outside 0..C-1 and is not <paramref
    /// name="ignoreIndex"/>.</exception>
    public static Tensor CrossEntropy(Tensor logits, Tensor target, Tensor? weight = null, int ignoreIndex = -100, string reduction = "mean", double labelSmoothing = 0.0)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(target);
        CheckReduction("CrossEntropy", reduction);
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1))
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), labelSmoothing, $"CrossEntropy: label_smoothing must be between 0.0 and 1.0, got {labelSmoothing}.");
        if (logits.Rank == 0)
            throw new ArgumentException("CrossEntropy: logits must have a class dim ([C], [N, C] or [N, C, d1, ...]), got a 0-d tensor.");
        bool probabilities = logits.Layout.Shape.SequenceEqual(target.Layout.Shape);
        if (probabilities)
            CheckProbabilityTargets(logits, target, weight, ignoreIndex);
        else
            CheckClassTargets("CrossEntropy", logits, target, weight, ignoreIndex);
        int classDim = logits.Rank == 1 ? 0 : 1, classes = logits.Layout.Shape[classDim];
        using var scope = Tensor.NewDisposeScope();
        var logP = LogSoftmax(logits, classDim);
        var classWeight = weight?.View(ClassShape(logits, classDim));
        if (probabilities)
        {
            var p = labelSmoothing > 0 ? target * (1 - labelSmoothing) + labelSmoothing / classes : target;
            var terms = classWeight is null ? logP * p : logP * p * classWeight;
            var result = reduction switch
            {
                "none" => -terms.Sum(classDim),
                "sum" => -terms.Sum(),
                _ => -terms.Sum() / (logits.Numel / Math.Max(classes, 1)),
            };
            return scope.MoveToOuter(result);
        }
        var nll = CheckedNllLoss(logP, target, weight, ignoreIndex, reduction);
        if (labelSmoothing == 0) return scope.MoveToOuter(nll);
        // PyTorch's smoothing term: -sum over classes of (weighted) log-probabilities, 0 where ignored; its mean
        // divides by the counted targets' weights (their number without weights), as NllLoss's does.
        var counted = target.Ne(ignoreIndex);
        var smooth = -(classWeight is null ? logP : logP * classWeight).Sum(classDim) * counted;
        var smoothReduced = reduction switch
        {
            "none" => smooth,
            "sum" => smooth.Sum(),
            _ => smooth.Sum() / TargetWeights(logits, target, weight, ignoreIndex, classDim).Weights.Sum(),
        };
        return scope.MoveToOuter((1 - labelSmoothing) * nll + labelSmoothing / classes * smoothReduced);
    }

    // Which class each sample's target is (a one-hot mask over the class dim), and each sample's weight: its
    // class's weight (1 without weights), 0 where the target is ignoreIndex.
    private static (Tensor IsTarget, Tensor Weights) TargetWeights(Tensor input, Tensor target, Tensor? weight, int ignoreIndex, int classDim)
    {
        var classShape = ClassShape(input, classDim);
        using var classIds = Tensor.Arange(0, input.Layout.Shape[classDim], device: input.Device);
        using var column = target.Unsqueeze(classDim);
        var isTarget = column.Eq(classIds.View(classShape));
        using var counted = target.Ne(ignoreIndex);
        if (weight is null) return (isTarget, counted.To(input.DType));
        using var perClass = weight.View(classShape);
        using var picked = Tensor.Where(isTarget, perClass, 0.0);
        using var targetWeight = picked.Sum(classDim);
        return (isTarget, targetWeight * counted);
    }

    // [1, C, 1, ...] (or [C] for a 1-D input): a per-class tensor broadcast against the input.
    private static int[] ClassShape(Tensor input, int classDim)
    {
        var shape = Enumerable.Repeat(1, input.Rank).ToArray();
        shape[classDim] = input.Layout.Shape[classDim];
        return shape;
    }

    private static void CheckClassWeight(string op, Tensor input, Tensor? weight, int classes)
    {
        if (weight is not null && (weight.Rank != 1 || weight.Layout.Shape[0] != classes))
            throw new ArgumentException($"{op}: weight must be a 1-D tensor of {classes} class weights, got {Layout.Format(weight.Layout.Shape)} (input {Layout.Format(input.Layout.Shape)}).");
    }

    // Shapes ([C] with [], [N, C, d...] with [N, d...]), an integer target, and every target a class or ignoreIndex.
    private static void CheckClassTargets(string op, Tensor input, Tensor target, Tensor? weight, int ignoreIndex)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        int rank = input.Rank;
        int[] expected = rank switch
        {
            0 => throw new ArgumentException($"{op}: input must have a class dim ([C], [N, C] or [N, C, d1, ...]), got a 0-d tensor."),
            1 => [],
            _ => [input.Layout.Shape[0], .. input.Layout.Shape[2..]],
        };
        if (!target.Layout.Shape.SequenceEqual(expected))
            throw new ArgumentException(
                $"{op}: input of shape {Layout.Format(input.Layout.Shape)} needs class-index targets of shape {Layout.Format(expected)} " +
                $"(or, for CrossEntropy, probabilities of the input's shape), got {Layout.Format(target.Layout.Shape)}.");
        if (!target.DType.IsInteger())
            throw new ArgumentException($"{op}: targets must be integer class indices, got {target.DType.Name()}; use To(DType.Int64).");
        int classes = input.Layout.Shape[rank == 1 ? 0 : 1];
        CheckClassWeight(op, input, weight, classes);
        if (target.Numel == 0) return;
        using var longs = target.To(DType.Int64);
        foreach (var t in longs.ToArray<long>())
            if ((t < 0 || t >= classes) && t != ignoreIndex)
                throw new IndexOutOfRangeException($"{op}: target {t} is out of range for {classes} classes (0..{classes - 1}, or ignoreIndex {ignoreIndex}).");
    }

    private static void CheckProbabilityTargets(Tensor logits, Tensor target, Tensor? weight, int ignoreIndex)
    {
        if (!target.DType.IsFloatingPoint())
            throw new ArgumentException(
                $"CrossEntropy: a target of the logits' shape {Layout.Format(logits.Layout.Shape)} holds class probabilities and must be floating, got {target.DType.Name()}.");
        if (ignoreIndex >= 0)
            throw new ArgumentException($"CrossEntropy: ignoreIndex ({ignoreIndex}) is not supported for class-probability targets.");
        CheckClassWeight("CrossEntropy", logits, weight, logits.Layout.Shape[logits.Rank == 1 ? 0 : 1]);
    }
}
