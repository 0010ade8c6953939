namespace Tensors;

// Reordering and repeating entries. Each result is a copy (as in PyTorch) made by IndexSelect with indices computed
// on the host, or by Expand and a copy, so the gradients are those of the ops composed.
public sealed partial class Tensor
{
    /// <summary>A copy with the order of entries reversed along each of <paramref name="dims"/> (PyTorch's <c>flip</c>).</summary>
    /// <param name="dims">The dims to reverse, distinct (negative counts from the end).</param>
    /// <exception cref="ArgumentException">A dim appears twice.</exception>
    public Tensor Flip(params int[] dims)
    {
        const string op = "Flip";
        ArgumentNullException.ThrowIfNull(dims);
        // A 0-d tensor accepts dim 0 and -1, as in PyTorch, and has nothing to reverse.
        var norm = dims.Select(d => NormalizeDimOrScalar(op, d)).OfType<int>().ToArray();
        if (norm.Distinct().Count() != norm.Length)
            throw new ArgumentException($"{op}: dims {Layout.Format(dims)} repeat a dim; each dim may be flipped once.");
        return Reindex(norm, (_, n) => Enumerable.Range(0, n).Reverse().ToArray());
    }

    /// <summary>A copy with the entries shifted by <paramref name="shifts"/> along <paramref name="dim"/>, those that
    /// fall off the end coming back at the start (PyTorch's <c>roll</c>); without a dim the tensor is rolled as if
    /// flattened, and keeps its shape.</summary>
    /// <param name="shifts">Positions to shift by (negative shifts toward the start).</param>
    /// <param name="dim">The dim to roll, or null for the flattened tensor; default null.</param>
    public Tensor Roll(int shifts, int? dim = null) => dim is int d ? Roll([shifts], [d]) : Roll([shifts], []);

    /// <summary>A copy rolled by <paramref name="shifts"/>[i] along <paramref name="dims"/>[i] (PyTorch's <c>roll</c>);
    /// with no dims, one shift applies to the flattened tensor, which keeps its shape.</summary>
    /// <param name="shifts">Positions to shift by, one per dim (one alone when no dims are given).</param>
    /// <param name="dims">The dims to roll (negative counts from the end), or empty for the flattened tensor.</param>
    /// <exception cref="ArgumentException"><paramref name="shifts"/> and <paramref name="dims"/> differ in length (or,
    /// with no dims, there is not exactly one shift).</exception>
    public Tensor Roll(int[] shifts, int[] dims)
    {
        const string op = "Roll";
        ArgumentNullException.ThrowIfNull(shifts);
        ArgumentNullException.ThrowIfNull(dims);
        if (dims.Length == 0)
        {
            if (shifts.Length != 1)
                throw new ArgumentException($"{op}: without dims exactly one shift applies to the flattened tensor, got shifts {Layout.Format(shifts)}.");
            using var flat = Reshape(-1);
            using var rolled = flat.Roll(shifts, [0]);
            return rolled.Reshape(Shape);
        }
        if (shifts.Length != dims.Length)
            throw new ArgumentException($"{op}: shifts {Layout.Format(shifts)} and dims {Layout.Format(dims)} must have the same length.");
        // A dim named twice rolls by the sum of its shifts, as in PyTorch.
        var shiftOf = new Dictionary<int, long>();
        for (int i = 0; i < dims.Length; i++)
        {
            int d = NormalizeDim(op, dims[i]);
            shiftOf[d] = shiftOf.GetValueOrDefault(d) + shifts[i];
        }
        // Entry i of the result is entry (i - shift) mod n of the input.
        return Reindex([.. shiftOf.Keys], (d, n) =>
            Enumerable.Range(0, n).Select(i => (int)(((i - shiftOf[d]) % n + n) % n)).ToArray());
    }

    /// <summary>A copy with this tensor repeated <paramref name="sizes"/>[i] times along dim i (PyTorch's
    /// <c>repeat</c>); extra leading sizes add new dims.</summary>
    /// <param name="sizes">Repetitions per dim, each 0 or more, at least as many as the tensor has dims.</param>
    /// <exception cref="ArgumentException">Fewer counts than dims, or a negative count.</exception>
    public Tensor Repeat(params int[] sizes)
    {
        const string op = "Repeat";
        ArgumentNullException.ThrowIfNull(sizes);
        if (sizes.Length < Rank)
            throw new ArgumentException($"{op}: {Layout.Format(sizes)} has fewer entries than the tensor's {Rank} dims (shape {Layout.Format(Layout.Shape)}); give one repetition count per dim (Tile pads with ones).");
        if (sizes.Any(s => s < 0))
            throw new ArgumentException($"{op}: repetitions {Layout.Format(sizes)} must be 0 or more.");
        var shape = Enumerable.Repeat(1, sizes.Length - Rank).Concat(Shape).ToArray();
        // [s0, s1, ...] viewed as [1, s0, 1, s1, ...], expanded to [r0, s0, r1, s1, ...], copied, merged pairwise.
        var spread = shape.SelectMany(s => new[] { 1, s }).ToArray();
        var expanded = sizes.Zip(shape, (r, s) => new[] { r, s }).SelectMany(p => p).ToArray();
        var final = sizes.Zip(shape, (r, s) => checked(r * s)).ToArray();
        using var view = Reshape(spread);
        using var wide = view.Expand(expanded);
        using var copy = wide.Clone();
        return copy.View(final);
    }

    /// <summary>PyTorch's <c>tile</c>: <see cref="Repeat"/> after padding <paramref name="dims"/> with leading ones to
    /// the tensor's rank.</summary>
    /// <param name="dims">Repetitions per dim (the last ones when fewer than the tensor's dims), each 0 or more.</param>
    public Tensor Tile(params int[] dims)
    {
        ArgumentNullException.ThrowIfNull(dims);
        return Repeat([.. Enumerable.Repeat(1, Math.Max(0, Rank - dims.Length)), .. dims]);
    }

    /// <summary>A copy with each entry along <paramref name="dim"/> repeated <paramref name="repeats"/> times in place
    /// (PyTorch's <c>repeat_interleave</c>); without a dim the flattened tensor is repeated.</summary>
    /// <param name="repeats">Repetitions of every entry, 0 or more.</param>
    /// <param name="dim">The dim, or null for the flattened tensor (the result is then 1-D); default null.</param>
    /// <exception cref="ArgumentException"><paramref name="repeats"/> is negative.</exception>
    public Tensor RepeatInterleave(int repeats, int? dim = null)
    {
        if (repeats < 0) throw new ArgumentException($"RepeatInterleave: repeats must be 0 or more, got {repeats}.");
        return RepeatEntries(dim, n => Enumerable.Repeat((long)repeats, n).ToArray());
    }

    /// <summary>A copy with entry i along <paramref name="dim"/> repeated <paramref name="repeats"/>[i] times (PyTorch's
    /// <c>repeat_interleave</c> with a tensor of repeats); without a dim the flattened tensor is repeated.</summary>
    /// <param name="repeats">An integer tensor, 0-d or 1-D with one count per entry (or one count for all), each 0 or more; read on the host.</param>
    /// <param name="dim">The dim, or null for the flattened tensor (the result is then 1-D); default null.</param>
    /// <exception cref="ArgumentException"><paramref name="repeats"/> is not a 0-d or 1-D integer tensor, holds a
    /// negative count, has neither one count nor one per entry, or the result would be too large.</exception>
    public Tensor RepeatInterleave(Tensor repeats, int? dim = null)
    {
        const string op = "RepeatInterleave";
        ArgumentNullException.ThrowIfNull(repeats);
        if (repeats.DType.IsFloatingPoint() || repeats.DType == DType.Bool || repeats.Rank > 1)
            throw new ArgumentException($"{op}: repeats must be a 0-d or 1-D integer tensor, got {repeats.DType.Name()} of shape {Layout.Format(repeats.Layout.Shape)}.");
        long[] counts;
        using (Autograd.Suspend())
        using (var asLong = repeats.To(DType.Int64))
            counts = asLong.ToArray<long>();
        if (counts.Any(c => c < 0))
            throw new ArgumentException($"{op}: repeats must be 0 or more, got {string.Join(", ", counts)}.");
        return RepeatEntries(dim, n => counts.Length == 1 ? Enumerable.Repeat(counts[0], n).ToArray()
            : counts.Length == n ? counts
            : throw new ArgumentException($"{op}: {counts.Length} repeats for a dim of size {n} (shape {Layout.Format(Layout.Shape)}); give one count per entry, or one for all."));
    }

    private Tensor RepeatEntries(int? dim, Func<int, long[]> countsFor)
    {
        const string op = "RepeatInterleave";
        if (dim is null)
        {
            using var flat = Reshape(-1);
            return flat.RepeatEntries(0, countsFor);
        }
        int d = NormalizeDim(op, dim.Value);
        var counts = countsFor(Layout.Shape[d]);
        long total = counts.Sum();
        if (total > Layout.MaxElements)
            throw new ArgumentException($"{op}: the result would have {total} entries along dim {dim}; a tensor holds at most {Layout.MaxElements:N0} elements.");
        var indices = new int[total];
        for (int i = 0, at = 0; i < counts.Length; i++)
            for (long k = 0; k < counts[i]; k++) indices[at++] = i;
        return IndexSelect(d, indices);
    }

    /// <summary>IndexSelect along each of <paramref name="dims"/> in turn, with the indices
    /// <paramref name="indices"/>(dim, size) gives; a copy even when no dims are given.</summary>
    private Tensor Reindex(int[] dims, Func<int, int, int[]> indices)
    {
        if (dims.Length == 0) return Clone();
        Tensor? current = null;
        foreach (var d in dims)
        {
            var source = current ?? this;
            var next = source.IndexSelect(d, indices(d, Layout.Shape[d]));
            current?.Dispose();
            current = next;
        }
        return current!;
    }
}
