namespace Tensors;

// Views: each returns a new tensor over the same storage with another layout. Nothing here copies except
// Reshape/Flatten when the layout does not allow a view, and Contiguous on a non-contiguous tensor.
public sealed partial class Tensor
{
    /// <summary>The same data read as <paramref name="shape"/> (one size may be -1, inferred). Never copies:
    /// throws when the strides do not allow it; use <see cref="Reshape"/> to copy in that case.</summary>
    /// <param name="shape">The new sizes, whose product is this tensor's element count; one of them may be -1, inferred
    /// from the others.</param>
    /// <exception cref="ArgumentException">The sizes do not match the element count, a size is negative, or -1 appears
    /// twice.</exception>
    /// <exception cref="InvalidOperationException">The strides do not allow a view of that shape (use Reshape, which
    /// copies).</exception>
    public Tensor View(params int[] shape)
    {
        var target = InferShape("View", shape);
        _ = Layout.TryView(target)
            ?? throw new InvalidOperationException(
                $"View: shape {Layout.Format(target)} is not compatible with the input's layout ({Layout}): the new shape " +
                "would merge or split dims that are not contiguous in memory. Call Reshape(...) (which copies) or Contiguous().View(...).");
        return ViewAs("View", l => l.TryView(target)!);
    }

    /// <summary>The same data as <paramref name="shape"/> (one size may be -1): a view when the layout allows it,
    /// otherwise a contiguous copy.</summary>
    /// <param name="shape">The new sizes, whose product is this tensor's element count; one of them may be -1, inferred
    /// from the others.</param>
    /// <exception cref="ArgumentException">The sizes do not match the element count, a size is negative, or -1 appears
    /// twice.</exception>
    public Tensor Reshape(params int[] shape)
    {
        var target = InferShape("Reshape", shape);
        if (Layout.TryView(target) is not null) return ViewAs("Reshape", l => l.TryView(target)!);
        using var c = Contiguous();
        return c.ViewAs("Reshape", l => l.TryView(target)!);
    }

    private int[] InferShape(string op, int[] shape)
    {
        var result = shape.ToArray();
        int infer = Array.IndexOf(result, -1);
        if (infer >= 0 && Array.IndexOf(result, -1, infer + 1) >= 0)
            throw new ArgumentException($"{op}: only one size may be -1, got {Layout.Format(shape)}.");
        if (infer >= 0) result[infer] = 1;
        foreach (var size in result)
            if (size < 0) throw new ArgumentException($"{op}: invalid size {size} in {Layout.Format(shape)}; sizes are 0 or more, or -1 once to infer.");
        // 64-bit products: a shape whose element count overflows can never match this tensor's.
        bool fits = Layout.TryShapeNumel(result, out int known);
        if (infer >= 0)
        {
            if (!fits || known == 0 || Numel % known != 0)
                throw new ArgumentException($"{op}: shape {Layout.Format(shape)} is invalid for input of {Numel} elements (shape {Layout.Format(Layout.Shape)}).");
            result[infer] = Numel / known;
        }
        else if (!fits || known != Numel)
            throw new ArgumentException($"{op}: shape {Layout.Format(shape)} is invalid for input of {Numel} elements (shape {Layout.Format(Layout.Shape)}).");
        return result;
    }

    /// <summary>Reorders the dims: result dim i is input dim <paramref name="dims"/>[i].</summary>
    /// <param name="dims">A permutation of this tensor's dims (negative count from the end): result dim i is input dim
    /// dims[i].</param>
    /// <exception cref="ArgumentException"><paramref name="dims"/> does not name each dim exactly once.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A dim is out of range for this tensor's rank.</exception>
    public Tensor Permute(params int[] dims)
    {
        if (dims.Length != Rank)
            throw new ArgumentException($"Permute: got {dims.Length} dims {Layout.Format(dims)} for a tensor of shape {Layout.Format(Layout.Shape)}; give each of its {Rank} dims once.");
        var norm = dims.Select(d => NormalizeDim("Permute", d)).ToArray();
        if (norm.Distinct().Count() != Rank)
            throw new ArgumentException($"Permute: dims {Layout.Format(dims)} repeat a dim; give a permutation of 0..{Rank - 1}.");
        return ViewAs("Permute", l => l.Permute(norm));
    }

    /// <summary>Swaps two dims.</summary>
    /// <param name="dim0">The first dim to swap (negative counts from the end).</param>
    /// <param name="dim1">The second dim to swap.</param>
    /// <exception cref="ArgumentOutOfRangeException">A dim is out of range for this tensor's rank.</exception>
    public Tensor Transpose(int dim0, int dim1)
    {
        if (Rank == 0)
        {
            NormalizeDimOrScalar("Transpose", dim0);
            NormalizeDimOrScalar("Transpose", dim1);
            return ViewAs("Transpose");
        }
        int a = NormalizeDim("Transpose", dim0), b = NormalizeDim("Transpose", dim1);
        var perm = Enumerable.Range(0, Rank).ToArray();
        (perm[a], perm[b]) = (perm[b], perm[a]);
        return ViewAs("Transpose", l => l.Permute(perm));
    }

    /// <summary>All dims reversed (the transpose of a matrix), like PyTorch's <c>.T</c>.</summary>
    public Tensor T => ViewAs("T", l => l.Permute(Enumerable.Range(0, l.Rank).Reverse().ToArray()));

    /// <summary><paramref name="length"/> elements of dim <paramref name="dim"/> from <paramref name="start"/>.</summary>
    /// <param name="dim">The dim to narrow (negative counts from the end).</param>
    /// <param name="start">The first position kept (negative counts from the end of the dim).</param>
    /// <param name="length">How many positions to keep, 0 or more.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dim"/> is out of range, or <paramref
    /// name="start"/> and <paramref name="length"/> do not fit the dim.</exception>
    public Tensor Narrow(int dim, int start, int length)
    {
        int d = NormalizeDim("Narrow", dim);
        int size = Layout.Shape[d];
        if (start < 0) start += size;
        if (start < 0 || length < 0 || (long)start + length > size)
            throw new ArgumentOutOfRangeException(nameof(start),
                $"Narrow: start {start} with length {length} does not fit dim {dim} of size {size} (shape {Layout.Format(Layout.Shape)}).");
        return ViewAs("Narrow", l => l.Slice(d, start, length));
    }

    /// <summary>Elements <paramref name="start"/>, start+step, ... below <paramref name="end"/> of a dim (Python's
    /// <c>t[start:end:step]</c>); start and end are clamped like Python's.</summary>
    /// <param name="dim">The dim to slice (negative counts from the end).</param>
    /// <param name="start">The first position (negative counts from the end; clamped to the dim, as in Python).</param>
    /// <param name="end">The position to stop before (negative counts from the end; clamped to the dim).</param>
    /// <param name="step">The stride between kept positions; default 1, must be positive.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dim"/> is out of range, or <paramref name="step"/>
    /// is not positive.</exception>
    public Tensor Slice(int dim, int start, int end, int step = 1)
    {
        int d = NormalizeDim("Slice", dim);
        if (step <= 0) throw new ArgumentOutOfRangeException(nameof(step), step, "Slice: step must be positive.");
        int size = Layout.Shape[d];
        start = Math.Clamp(start < 0 ? start + size : start, 0, size);
        end = Math.Clamp(end < 0 ? end + size : end, 0, size);
        int length = end > start ? (int)(((long)end - start + step - 1) / step) : 0;
        return ViewAs("Slice", l => l.Slice(d, start, length, step));
    }

    /// <summary>The sub-tensor at <paramref name="index"/> of dim <paramref name="dim"/>, without that dim.</summary>
    /// <param name="dim">The dim to select from, which the result drops (negative counts from the end).</param>
    /// <param name="index">The position along that dim (negative counts from the end).</param>
    /// <exception cref="ArgumentOutOfRangeException">A dim is out of range for this tensor's rank.</exception>
    /// <exception cref="IndexOutOfRangeException"><paramref name="index"/> is out of range for the dim's
    /// size.</exception>
    public Tensor Select(int dim, int index)
    {
        int d = NormalizeDim("Select", dim);
        int size = Layout.Shape[d];
        int i = index < 0 ? index + size : index;
        if (i < 0 || i >= size)
            throw new IndexOutOfRangeException(
                $"Select: index {index} is out of range for dim {dim} of size {size} (shape {Layout.Format(Layout.Shape)}); valid indices are {-size}..{size - 1}.");
        return ViewAs("Select", l => l.Select(d, i));
    }

    /// <summary>Removes every dim of size 1.</summary>
    public Tensor Squeeze()
    {
        var remove = Layout.Shape.ToArray().Select(s => s == 1).ToArray();
        return ViewAs("Squeeze", l => l.RemoveDims(remove));
    }

    /// <summary>Removes dim <paramref name="dim"/> if its size is 1 (otherwise returns the same shape, as PyTorch does).</summary>
    /// <param name="dim">The dim to remove if its size is 1 (negative counts from the end; a 0-d tensor takes 0 or
    /// -1).</param>
    /// <exception cref="ArgumentOutOfRangeException">A dim is out of range for this tensor's rank.</exception>
    public Tensor Squeeze(int dim)
    {
        if (NormalizeDimOrScalar("Squeeze", dim) is not int d) return ViewAs("Squeeze");
        var remove = new bool[Rank];
        remove[d] = Layout.Shape[d] == 1;
        return ViewAs("Squeeze", l => l.RemoveDims(remove));
    }

    /// <summary>Inserts a dim of size 1 at <paramref name="dim"/> (-Rank-1..Rank).</summary>
    /// <param name="dim">Where the new dim goes in the result, -Rank-1..Rank (negative counts from the end: -1
    /// appends).</param>
    /// <exception cref="ArgumentOutOfRangeException">A dim is out of range for this tensor's rank.</exception>
    public Tensor Unsqueeze(int dim)
    {
        int d = NormalizeDim("Unsqueeze", dim, Rank + 1);
        return ViewAs("Unsqueeze", l => l.Unsqueeze(d));
    }

    /// <summary>A view with size-1 dims repeated to <paramref name="sizes"/> (-1 keeps a size), by stride 0.
    /// Writing into the result in place is refused, since its elements alias.</summary>
    /// <param name="sizes">The result's sizes, at least as many as this tensor's dims; -1 keeps a dim's size, new
    /// leading dims go in front.</param>
    /// <exception cref="ArgumentException">Fewer sizes than dims, a negative size other than -1, -1 for a new leading
    /// dim, or a dim of size other than 1 asked to change.</exception>
    public Tensor Expand(params int[] sizes)
    {
        if (sizes.Length < Rank)
            throw new ArgumentException($"Expand: {Layout.Format(sizes)} has fewer dims than the tensor's shape {Layout.Format(Layout.Shape)}.");
        var target = sizes.ToArray();
        int lead = sizes.Length - Rank;
        for (int i = 0; i < target.Length; i++)
            if (target[i] == -1)
            {
                if (i < lead) throw new ArgumentException($"Expand: -1 is not allowed for new leading dims, got {Layout.Format(sizes)}.");
                target[i] = Layout.Shape[i - lead];
            }
            else if (target[i] < 0)
                throw new ArgumentException($"Expand: invalid size {target[i]} in {Layout.Format(sizes)}; sizes are 0 or more, or -1 to keep a dim.");
        return BroadcastTo(target);
    }

    /// <summary>A stride-0 view of this tensor as <paramref name="shape"/>, by NumPy's broadcasting rule.</summary>
    /// <param name="shape">The target shape; this tensor's shape must broadcast to it (size-1 dims stretch, new dims go
    /// in front).</param>
    /// <exception cref="ArgumentException">A size is negative, or this tensor's shape does not broadcast to <paramref
    /// name="shape"/>.</exception>
    public Tensor BroadcastTo(params int[] shape)
    {
        foreach (var size in shape)
            if (size < 0) throw new ArgumentException($"BroadcastTo: invalid size {size} in {Layout.Format(shape)}; sizes are 0 or more.");
        var result = Broadcasting.Shape("BroadcastTo", Layout.Shape, shape);
        if (!result.AsSpan().SequenceEqual(shape))
            throw new ArgumentException($"BroadcastTo: shape {Layout.Format(Layout.Shape)} cannot be expanded to {Layout.Format(shape)}; only size-1 dims stretch.");
        var view = MarkView(new Tensor(StorageFor("BroadcastTo"), Layout.BroadcastTo(shape)));
        return Autograd.ShouldRecord(this) ? view.Record(new Graph.ExpandBackward(this)) : view;
    }

    /// <summary>Merges dims <paramref name="startDim"/>..<paramref name="endDim"/> into one (a view when possible).</summary>
    /// <param name="startDim">The first dim to merge; default 0.</param>
    /// <param name="endDim">The last dim to merge, included; default -1, the last.</param>
    /// <exception cref="ArgumentException"><paramref name="startDim"/> comes after <paramref
    /// name="endDim"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A dim is out of range for this tensor's rank.</exception>
    public Tensor Flatten(int startDim = 0, int endDim = -1)
    {
        if (Rank == 0) return Reshape(1);
        int s = NormalizeDim("Flatten", startDim), e = NormalizeDim("Flatten", endDim);
        if (s > e) throw new ArgumentException($"Flatten: startDim {startDim} comes after endDim {endDim} (shape {Layout.Format(Layout.Shape)}).");
        var shape = Layout.Shape;
        int merged = 1;
        for (int i = s; i <= e; i++) merged *= shape[i];
        return Reshape([.. shape[..s], merged, .. shape[(e + 1)..]]);
    }

    /// <summary>This data in row-major order: a view when already contiguous, otherwise a copy.</summary>
    public Tensor Contiguous()
    {
        return IsContiguous ? ViewAs("Contiguous") : Clone();
    }

    /// <summary>A contiguous copy with its own storage.</summary>
    public Tensor Clone()
    {
        var result = Allocate(Layout.Shape, DType, Device);
        Backend.Copy(StorageFor("Clone"), Layout, result.Storage, result.Layout);
        return Autograd.ShouldRecord(this) ? result.Record(new Graph.ViewBackward("Clone", this, null)) : result;
    }
}
