namespace Tensors;

// Splitting a tensor into pieces and moving dims: every result is a view of this tensor (as in PyTorch), so the
// pieces share its memory and their gradients flow back through the views.
public sealed partial class Tensor
{
    /// <summary>Pieces of <paramref name="splitSize"/> entries along <paramref name="dim"/>, the last one smaller
    /// when the size does not divide (PyTorch's <c>split(int)</c>); views of this tensor.</summary>
    /// <param name="splitSize">Entries per piece, at least 1 (0 is allowed only for an empty dim).</param>
    /// <param name="dim">The dim to split (negative counts from the end); default 0.</param>
    /// <exception cref="ArgumentException"><paramref name="splitSize"/> is not positive (0 is allowed only for an empty
    /// dim).</exception>
    public Tensor[] Split(int splitSize, int dim = 0)
    {
        const string op = "Split";
        int d = NormalizeDim(op, dim);
        int size = Layout.Shape[d];
        if (splitSize < 0 || (splitSize == 0 && size != 0))
            throw new ArgumentException($"{op}: splitSize must be positive (0 only for an empty dim), got {splitSize} for dim {dim} of size {size} (shape {Layout.Format(Layout.Shape)}).");
        int count = size == 0 ? 1 : (size + splitSize - 1) / splitSize;
        var pieces = new Tensor[count];
        for (int i = 0; i < count; i++)
        {
            int start = i * splitSize;
            pieces[i] = Narrow(d, start, Math.Min(splitSize, size - start));
        }
        return pieces;
    }

    /// <summary>Pieces of the given sizes along <paramref name="dim"/> (PyTorch's <c>split(list)</c>); the sizes
    /// must add up to the dim's size. Views of this tensor.</summary>
    /// <param name="sections">The size of each piece, each 0 or more.</param>
    /// <param name="dim">The dim to split (negative counts from the end); default 0.</param>
    /// <exception cref="ArgumentException">A section is negative, or the sections do not add up to the dim's
    /// size.</exception>
    public Tensor[] Split(int[] sections, int dim = 0)
    {
        const string op = "Split";
        ArgumentNullException.ThrowIfNull(sections);
        int d = NormalizeDim(op, dim);
        int size = Layout.Shape[d];
        if (sections.Any(s => s < 0) || sections.Sum(s => (long)s) != size)
            throw new ArgumentException($"{op}: sections {Layout.Format(sections)} must be non-negative and add up to {size}, the size of dim {dim} (shape {Layout.Format(Layout.Shape)}).");
        var pieces = new Tensor[sections.Length];
        for (int i = 0, start = 0; i < sections.Length; start += sections[i], i++)
            pieces[i] = Narrow(d, start, sections[i]);
        return pieces;
    }

    /// <summary>At most <paramref name="chunks"/> pieces along <paramref name="dim"/>, each of ceil(size / chunks)
    /// entries but the last (PyTorch's <c>chunk</c>: it may return fewer pieces). Views of this tensor.</summary>
    /// <param name="chunks">The number of pieces wanted, at least 1.</param>
    /// <param name="dim">The dim to split (negative counts from the end); default 0.</param>
    /// <exception cref="ArgumentException"><paramref name="chunks"/> is below 1.</exception>
    public Tensor[] Chunk(int chunks, int dim = 0)
    {
        if (chunks <= 0)
            throw new ArgumentException($"Chunk: chunks must be at least 1, got {chunks}.");
        int d = NormalizeDim("Chunk", dim);
        int size = Layout.Shape[d];
        // An empty dim gives `chunks` empty pieces, as in PyTorch.
        if (size == 0) return Enumerable.Range(0, chunks).Select(_ => Narrow(d, 0, 0)).ToArray();
        return Split((size + chunks - 1) / chunks, d);
    }

    /// <summary>Each entry of <paramref name="dim"/> as a tensor without that dim (PyTorch's <c>unbind</c>); views of
    /// this tensor.</summary>
    /// <param name="dim">The dim to take apart (negative counts from the end); default 0.</param>
    public Tensor[] Unbind(int dim = 0)
    {
        int d = NormalizeDim("Unbind", dim);
        var pieces = new Tensor[Layout.Shape[d]];
        for (int i = 0; i < pieces.Length; i++) pieces[i] = Select(d, i);
        return pieces;
    }

    /// <summary>A view with dim <paramref name="source"/> moved to position <paramref name="destination"/>, the other
    /// dims keeping their order (PyTorch's <c>movedim</c>).</summary>
    /// <param name="source">The dim to move (negative counts from the end).</param>
    /// <param name="destination">Where it goes in the result (negative counts from the end).</param>
    public Tensor Movedim(int source, int destination) => Movedim([source], [destination]);

    /// <summary>A view with dims <paramref name="source"/>[i] moved to positions <paramref name="destination"/>[i],
    /// the other dims keeping their order (PyTorch's <c>movedim</c>).</summary>
    /// <param name="source">The dims to move, distinct (negative counts from the end).</param>
    /// <param name="destination">Their positions in the result, distinct, as many as <paramref name="source"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="source"/> and <paramref name="destination"/> differ in
    /// length, or either repeats a dim.</exception>
    public Tensor Movedim(int[] source, int[] destination)
    {
        const string op = "Movedim";
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        if (source.Length != destination.Length)
            throw new ArgumentException($"{op}: source {Layout.Format(source)} and destination {Layout.Format(destination)} must name as many dims.");
        if (Rank == 0)
        {
            foreach (var dim in source.Concat(destination)) NormalizeDimOrScalar(op, dim);
            return ViewAs(op);
        }
        var src = source.Select(s => NormalizeDim(op, s)).ToArray();
        var dst = destination.Select(s => NormalizeDim(op, s)).ToArray();
        if (src.Distinct().Count() != src.Length || dst.Distinct().Count() != dst.Length)
            throw new ArgumentException($"{op}: repeated dim in source {Layout.Format(source)} or destination {Layout.Format(destination)}; each dim may move once.");
        var perm = new int[Rank];
        Array.Fill(perm, -1);
        for (int i = 0; i < src.Length; i++) perm[dst[i]] = src[i];
        using var rest = Enumerable.Range(0, Rank).Except(src).GetEnumerator();
        for (int i = 0; i < Rank; i++)
            if (perm[i] < 0) { rest.MoveNext(); perm[i] = rest.Current; }
        return Permute(perm);
    }
}
