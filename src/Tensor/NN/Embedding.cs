namespace Tensors.NN;

/// <summary>
/// A lookup table of <see cref="NumEmbeddings"/> vectors of size <see cref="EmbeddingDim"/> (PyTorch's
/// <c>nn.Embedding</c>): integer indices of any shape in, their rows out, shape input.Shape + [embeddingDim].
/// The weight starts standard normal, with the padding row (if any) at zero; that row gets no gradient.
/// </summary>
public sealed class Embedding : Module
{
    /// <summary>Creates the table.</summary>
    /// <param name="numEmbeddings">The number of rows (the vocabulary size).</param>
    /// <param name="embeddingDim">The size of each vector.</param>
    /// <param name="paddingIdx">Null, or the row (negative counts from the end) that starts at zero and is not trained;
    /// default null.</param>
    /// <param name="generator">The random stream for the initial weights; default null, <see
    /// cref="Generator.Default"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive, or <paramref name="paddingIdx"/> is
    /// outside -numEmbeddings..numEmbeddings-1.</exception>
    public Embedding(int numEmbeddings, int embeddingDim, int? paddingIdx = null, Generator? generator = null)
        : this(Init(numEmbeddings, embeddingDim, paddingIdx, generator), paddingIdx) { }

    private Embedding(Tensor weight, int? paddingIdx)
    {
        NumEmbeddings = weight.Layout.Shape[0];
        EmbeddingDim = weight.Layout.Shape[1];
        PaddingIdx = paddingIdx is int p ? Functional.PaddingIndex(p, NumEmbeddings) : null;
        Weight = Parameter("weight", weight);
    }

    private static Tensor Init(int numEmbeddings, int embeddingDim, int? paddingIdx, Generator? generator)
    {
        if (numEmbeddings <= 0 || embeddingDim <= 0)
            throw new ArgumentOutOfRangeException(nameof(numEmbeddings), $"Embedding: sizes must be positive, got {numEmbeddings} x {embeddingDim}.");
        var w = Tensor.Randn([numEmbeddings, embeddingDim], generator);
        if (paddingIdx is int p)
            using (var row = w.Select(0, Functional.PaddingIndex(p, numEmbeddings))) row.Zero_();
        return w;
    }

    /// <summary>
    /// A table holding a copy of <paramref name="embeddings"/> (PyTorch's <c>Embedding.from_pretrained</c>).
    /// </summary>
    /// <param name="embeddings">The rows, [numEmbeddings, embeddingDim], floating.</param>
    /// <param name="freeze">True (the default) makes the weight not require grad, so it is not trained.</param>
    /// <param name="paddingIdx">Null, or the row that gets no gradient; default null.</param>
    /// <exception cref="ArgumentException"><paramref name="embeddings"/> is not a 2-D floating-point
    /// tensor.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="paddingIdx"/> is out of range for the number of
    /// rows.</exception>
    public static Embedding FromPretrained(Tensor embeddings, bool freeze = true, int? paddingIdx = null)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        if (embeddings.Rank != 2 || !embeddings.DType.IsFloatingPoint())
            throw new ArgumentException($"Embedding.FromPretrained: embeddings must be a 2-D floating tensor, got {Layout.Format(embeddings.Layout.Shape)} {embeddings.DType.Name()}.", nameof(embeddings));
        Tensor copy;
        using (Autograd.NoGrad()) copy = embeddings.Clone();
        var e = new Embedding(copy, paddingIdx);
        e.Weight.RequiresGrad = !freeze;
        return e;
    }

    /// <summary>The number of rows.</summary>
    public int NumEmbeddings { get; }

    /// <summary>The size of each vector.</summary>
    public int EmbeddingDim { get; }

    /// <summary>The row that gets no gradient (non-negative), or null.</summary>
    public int? PaddingIdx { get; }

    /// <summary>[NumEmbeddings, EmbeddingDim].</summary>
    public Tensor Weight { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Functional.Embedding(input, Weight, PaddingIdx);
}
