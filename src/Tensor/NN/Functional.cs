namespace Tensors.NN;

/// <summary>Layers and losses as functions (PyTorch's <c>torch.nn.functional</c>), all composed from the
/// differentiable primitives, so autograd needs nothing new for them.</summary>
public static partial class Functional
{
    /// <summary>x Wᵀ + b.</summary>
    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias = null)
    {
        using var wt = weight.T;
        if (bias is null) return input.MatMul(wt);
        using var xw = input.MatMul(wt);
        return xw + bias;
    }

    /// <summary>max(x, 0).</summary>
    public static Tensor Relu(Tensor x) => x.Relu();

    /// <summary>log(softmax(x)) along <paramref name="dim"/>, computed stably as (x - m) - log(sum(exp(x - m))).</summary>
    public static Tensor LogSoftmax(Tensor x, int dim)
    {
        using var m = MaxDetached(x, dim);
        using var shifted = x - m;
        using var e = shifted.Exp();
        using var s = e.Sum(dim, keepDim: true);
        using var logSum = s.Log();
        return shifted - logSum;
    }

    /// <summary>exp(x) / sum(exp(x)) along <paramref name="dim"/>.</summary>
    public static Tensor Softmax(Tensor x, int dim)
    {
        using var m = MaxDetached(x, dim);
        using var shifted = x - m;
        using var e = shifted.Exp();
        using var s = e.Sum(dim, keepDim: true);
        return e / s;
    }

    // The shift only guards exp against overflow; it cancels mathematically, so no gradient flows through it.
    // Over a size-0 dim there is nothing to shift (and Max has no identity): the sum of nothing gives the shape.
    private static Tensor MaxDetached(Tensor x, int dim)
    {
        using var _ = Autograd.Suspend();
        return x.Numel == 0 ? x.Sum(dim, keepDim: true) : x.Max(dim, keepDim: true);
    }

    private static void SameShape(string op, Tensor input, Tensor target)
    {
        if (!input.Layout.Shape.SequenceEqual(target.Layout.Shape))
            throw new ArgumentException(
                $"{op}: input shape {Layout.Format(input.Layout.Shape)} and target shape {Layout.Format(target.Layout.Shape)} differ; " +
                "they must match (reshape the target, e.g. target.Unsqueeze(1) or target.View(-1)).");
    }

    /// <summary>mean((input - target)²).</summary>
    public static Tensor MseLoss(Tensor input, Tensor target)
    {
        SameShape("MseLoss", input, target);
        using var d = input - target;
        using var sq = d * d;
        return sq.Mean();
    }

    /// <summary>mean(|input - target|).</summary>
    public static Tensor L1Loss(Tensor input, Tensor target)
    {
        SameShape("L1Loss", input, target);
        using var d = input - target;
        using var a = d.Abs();
        return a.Mean();
    }

    /// <summary>-mean(y log p + (1 - y) log(1 - p)) for probabilities p; logs are clamped at -100, and the gradient
    /// is PyTorch's (p - y) / max(p (1 - p), 1e-12), finite at p = 0 and 1.</summary>
    public static Tensor BinaryCrossEntropy(Tensor probabilities, Tensor target)
    {
        SameShape("BinaryCrossEntropy", probabilities, target);
        return WithLossGradient(probabilities, target, logits: false, () =>
        {
            using var scope = Tensor.NewDisposeScope();
            var log = probabilities.Log().Clamp(min: -100);
            var log1m = (1.0 - probabilities).Log().Clamp(min: -100);
            return scope.MoveToOuter(-(target * log + (1.0 - target) * log1m).Mean());
        });
    }

    /// <summary>Binary cross-entropy on logits x, stable for any x: mean(max(x, 0) - x y + log(1 + e^-|x|)); the
    /// gradient is PyTorch's sigmoid(x) - y (over the element count), right at x = 0 too.</summary>
    public static Tensor BinaryCrossEntropyWithLogits(Tensor logits, Tensor target)
    {
        SameShape("BinaryCrossEntropyWithLogits", logits, target);
        return WithLossGradient(logits, target, logits: true, () =>
        {
            using var scope = Tensor.NewDisposeScope();
            var softplus = ((-logits.Abs()).Exp() + 1.0).Log();
            return scope.MoveToOuter((logits.Relu() - logits * target + softplus).Mean());
        });
    }

    // The value computed without recording, then one node with the loss's own derivative.
    private static Tensor WithLossGradient(Tensor input, Tensor target, bool logits, Func<Tensor> value)
    {
        bool record = Autograd.ShouldRecord(input, target);
        Tensor loss;
        using (Autograd.Suspend()) loss = value();
        return record ? loss.Record(new Graph.BinaryCrossEntropyBackward(input, target, logits)) : loss;
    }

    /// <summary>
    /// Cross-entropy over classes: logits [N, C] and integer class indices [N]; the mean of -log softmax at each
    /// target class.
    /// </summary>
    public static Tensor CrossEntropy(Tensor logits, Tensor target)
    {
        if (logits.Rank != 2 || target.Rank != 1 || target.Layout.Shape[0] != logits.Layout.Shape[0])
            throw new ArgumentException(
                $"CrossEntropy: expects logits [N, C] and targets [N], got {Layout.Format(logits.Layout.Shape)} and {Layout.Format(target.Layout.Shape)}.");
        if (!target.DType.IsInteger())
            throw new ArgumentException($"CrossEntropy: targets must be integer class indices, got {target.DType.Name()}; use To(DType.Int64).");
        int classes = logits.Layout.Shape[1];
        if (target.Numel > 0)
        {
            long lo = target.Min().Item<long>(), hi = target.Max().Item<long>();
            if (lo < 0 || hi >= classes)
                throw new ArgumentException($"CrossEntropy: target class {(lo < 0 ? lo : hi)} is out of range for {classes} classes (0..{classes - 1}).");
        }
        using var logP = LogSoftmax(logits, 1);
        using var classIds = Tensor.Arange(0, classes, device: logits.Device);
        using var column = target.To(DType.Int64).Unsqueeze(1);
        using var oneHot = column.Eq(classIds);
        using var picked = Tensor.Where(oneHot, logP, 0.0);
        using var perSample = picked.Sum(1);
        using var mean = perSample.Mean();
        return -mean;
    }
}
