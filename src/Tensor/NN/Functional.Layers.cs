namespace Tensors.NN;

// Dropout and LayerNorm as functions, composed from differentiable primitives.
public static partial class Functional
{
    /// <summary>
    /// Zeroes each element with probability <paramref name="p"/> and scales the others by 1 / (1 - p), so the
    /// expected value is unchanged (PyTorch's <c>F.dropout</c>); the identity when <paramref name="training"/> is
    /// false. The gradient flows through the kept elements with the same scale.
    /// </summary>
    /// <param name="input">A floating tensor.</param>
    /// <param name="p">The probability of zeroing an element, in [0, 1]; default 0.5.</param>
    /// <param name="training">False returns the input unchanged (as a new tensor object); default <c>true</c>.</param>
    /// <param name="generator">The random stream (default: <see cref="Generator.Default"/>), for reproducible masks.</param>
    /// <exception cref="ArgumentException">The input is not floating point.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is outside [0, 1].</exception>
    public static Tensor Dropout(Tensor input, double p = 0.5, bool training = true, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckProbability("Dropout", p);
        if (!input.DType.IsFloatingPoint())
            throw new ArgumentException($"Dropout: input must be floating point, got {input.DType.Name()} (shape {Layout.Format(input.Layout.Shape)}).");
        if (!training || p == 0) return input.ViewAs("Dropout");
        if (p == 1) return input * 0.0; // PyTorch's result for p = 1: zeros, and zero gradient
        using var u = Tensor.Rand(input.Shape, generator, input.DType, input.Device);
        using var keep = u.Lt(1 - p);
        using var kept = input * keep;
        return kept * (1 / (1 - p));
    }

    internal static void CheckProbability(string op, double p)
    {
        if (!(p >= 0 && p <= 1))
            throw new ArgumentOutOfRangeException(nameof(p), p, $"{op}: dropout probability has to be between 0 and 1, but got {p}.");
    }

    /// <summary>
    /// Normalises over the last dims given by <paramref name="normalizedShape"/> to zero mean and unit (biased)
    /// variance, then scales by <paramref name="weight"/> and shifts by <paramref name="bias"/> (PyTorch's
    /// <c>F.layer_norm</c>): (x - mean) / sqrt(var + eps) * weight + bias.
    /// </summary>
    /// <param name="input">A floating tensor whose trailing dims are <paramref name="normalizedShape"/>.</param>
    /// <param name="normalizedShape">The trailing dims to normalise over, e.g. <c>[hidden]</c>.</param>
    /// <param name="weight">Null, or a tensor of shape <paramref name="normalizedShape"/>; default null.</param>
    /// <param name="bias">Null, or a tensor of shape <paramref name="normalizedShape"/>; default null.</param>
    /// <param name="eps">Added to the variance for stability; default 1e-5.</param>
    /// <exception cref="ArgumentException">The input is not floating point, its trailing dims are not <paramref
    /// name="normalizedShape"/>, or the weight or bias does not have that shape.</exception>
    public static Tensor LayerNorm(Tensor input, int[] normalizedShape, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(normalizedShape);
        int k = normalizedShape.Length, rank = input.Rank;
        if (k == 0 || k > rank || !input.Layout.Shape[(rank - k)..].SequenceEqual(normalizedShape))
            throw new ArgumentException(
                $"LayerNorm: normalized_shape {Layout.Format(normalizedShape)} must be non-empty and match the last dims of the input, " +
                $"got input of shape {Layout.Format(input.Layout.Shape)} (expected input of shape [*, {string.Join(", ", normalizedShape)}]).");
        foreach (var (name, t) in new[] { ("weight", weight), ("bias", bias) })
            if (t is not null && !t.Layout.Shape.SequenceEqual(normalizedShape))
                throw new ArgumentException($"LayerNorm: {name} has shape {Layout.Format(t.Layout.Shape)}, but normalized_shape is {Layout.Format(normalizedShape)}.");
        if (!input.DType.IsFloatingPoint())
            throw new ArgumentException($"LayerNorm: input must be floating point, got {input.DType.Name()}.");
        var dims = Enumerable.Range(rank - k, k).ToArray();
        using var scope = Tensor.NewDisposeScope();
        var mean = input.Mean(dims, keepDim: true);
        var centered = input - mean;
        var variance = (centered * centered).Mean(dims, keepDim: true);
        var y = centered / (variance + eps).Sqrt();
        if (weight is not null) y = y * weight;
        if (bias is not null) y = y + bias;
        return scope.MoveToOuter(y);
    }

    /// <summary>
    /// The rows of <paramref name="weight"/> at <paramref name="input"/>'s indices (PyTorch's <c>F.embedding</c>):
    /// shape input.Shape + [embeddingDim]. The gradient adds into the looked-up rows, except the
    /// <paramref name="paddingIdx"/> row, which gets none.
    /// </summary>
    /// <param name="input">Integer indices in [0, numEmbeddings), any shape.</param>
    /// <param name="weight">The table, [numEmbeddings, embeddingDim].</param>
    /// <param name="paddingIdx">Null, or the row (negative counts from the end) that receives no gradient; default
    /// null.</param>
    /// <exception cref="ArgumentException">The weight is not 2-D, or the indices are not an integer tensor.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="paddingIdx"/> is out of range for the number of
    /// rows.</exception>
    public static Tensor Embedding(Tensor input, Tensor weight, int? paddingIdx = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        if (weight.Rank != 2)
            throw new ArgumentException($"Embedding: weight must be 2-D [numEmbeddings, embeddingDim], got {Layout.Format(weight.Layout.Shape)}.");
        if (!input.DType.IsInteger())
            throw new ArgumentException($"Embedding: indices must be an integer tensor, got {input.DType.Name()} (shape {Layout.Format(input.Layout.Shape)}); use To(DType.Int64).");
        int rows = weight.Layout.Shape[0];
        int? pad = paddingIdx is int pi ? PaddingIndex(pi, rows) : null;
        // One Gather of whole rows, with the indices left on their device (their range check is one sync on CUDA).
        using var scope = Tensor.NewDisposeScope();
        var idx = weight.IndexArgument("Embedding", input.Reshape(-1), rows, 0, int64Only: false, wrapNegative: false);
        var looked = weight.IndexSelectCore("Embedding", 0, idx).Reshape([.. input.Shape, weight.Layout.Shape[1]]);
        if (pad is int p && looked.RequiresGrad)
        {
            // The padding row's value, without its gradient (PyTorch masks it out of embedding_backward).
            var isPad = input.Eq(p).Unsqueeze(-1);
            looked = Tensor.Where(isPad, looked.Detach(), looked);
        }
        return scope.MoveToOuter(looked);
    }

    internal static int PaddingIndex(int paddingIdx, int numEmbeddings)
    {
        if (paddingIdx < -numEmbeddings || paddingIdx >= numEmbeddings)
            throw new ArgumentOutOfRangeException(nameof(paddingIdx), paddingIdx, $"Embedding: padding_idx must be within num_embeddings ({-numEmbeddings}..{numEmbeddings - 1}), got {paddingIdx}.");
        return paddingIdx < 0 ? paddingIdx + numEmbeddings : paddingIdx;
    }
}
