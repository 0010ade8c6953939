namespace Tensors.NN;

/// <summary>Layers and losses (Functional.Losses.cs) as functions (PyTorch's <c>torch.nn.functional</c>), all composed from the
/// differentiable primitives, so autograd needs nothing new for them.</summary>
public static partial class Functional
{
    /// <summary>x Wᵀ + b.</summary>
    /// <param name="input">The input, [..., in_features].</param>
    /// <param name="weight">The weights, [out_features, in_features].</param>
    /// <param name="bias">The bias, [out_features]; default null, none.</param>
    /// <exception cref="ArgumentException">The feature sizes do not match.</exception>
    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias = null)
    {
        using var wt = weight.T;
        if (bias is null) return input.MatMul(wt);
        using var xw = input.MatMul(wt);
        return xw + bias;
    }

    /// <summary>PyTorch's <c>F.pad</c>: see <see cref="Tensor.Pad"/>.</summary>
    /// <param name="input">The tensor to pad.</param>
    /// <param name="pad">(before, after) pairs, last dim first.</param>
    /// <param name="mode">"constant", "reflect" or "replicate"; default <c>"constant"</c>.</param>
    /// <param name="value">The fill value for "constant" mode; default 0.</param>
    public static Tensor Pad(Tensor input, int[] pad, string mode = "constant", double value = 0) => input.Pad(pad, mode, value);

    /// <summary>max(x, 0).</summary>
    /// <param name="x">The input.</param>
    public static Tensor Relu(Tensor x) => x.Relu();

    /// <summary>log(softmax(x)) along <paramref name="dim"/>, computed stably as (x - m) - log(sum(exp(x - m))).</summary>
    /// <param name="x">The input (logits).</param>
    /// <param name="dim">The dim along which the probabilities sum to 1 (negative counts from the end).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dim"/> is out of range.</exception>
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
    /// <param name="x">The input (logits).</param>
    /// <param name="dim">The dim along which the result sums to 1 (negative counts from the end).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dim"/> is out of range.</exception>
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
}
