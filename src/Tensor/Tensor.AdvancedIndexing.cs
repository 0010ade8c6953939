using Tensors.Backends;

namespace Tensors;

// Indexers with a tensor entry (PyTorch's advanced indexing, one index tensor or mask per indexer): the other
// entries make a view as usual, and the tensor entry becomes an IndexSelect (reading) or a Scatter (writing,
// PyTorch's index_put_) along the dim it stands for; a Bool mask over k dims is first turned into positions in
// those k dims flattened, on the host.
public sealed partial class Tensor
{
    /// <summary>
    /// PyTorch's <c>index_put_</c>: writes <paramref name="values"/> (broadcast to the selection's shape, converted
    /// to this dtype) at the elements that <paramref name="indices"/> select, or adds them there when
    /// <paramref name="accumulate"/> (repeated indices then accumulate; without it one of the values wins).
    /// <c>t[idx] = v</c> and <c>t[mask] = v</c> call this. Returns this tensor.
    /// </summary>
    /// <param name="indices">Indexer entries with at most one tensor (Int64/Int32 indices or a Bool mask).</param>
    /// <param name="values">The values, broadcastable to the selection's shape.</param>
    /// <param name="accumulate">Add instead of assign; default <c>false</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="values"/> does not broadcast to the selection's
    /// shape.</exception>
    public Tensor IndexPut_(TensorIndex[] indices, Tensor values, bool accumulate = false)
    {
        const string op = "IndexPut_";
        SameDevice(op, this, values);
        if (!HasTensorEntry(indices))
        {
            using var view = Index(indices);
            if (accumulate) view.Add_(values);
            else view.CopyFrom_(values);
            return this;
        }
        var (basic, dim, entry) = SplitAdvanced(op, indices);
        using var ownedView = basic;
        // Only the tensor entry: write into this tensor itself, so autograd can rebase its history.
        var target = basic ?? this;
        var (positions, shape, flatShape) = Positions(op, target, dim, entry);
        using var ownedPositions = positions;
        var destinationShape = flatShape.ToArray();
        destinationShape[dim] = positions.Numel;
        var broadcast = Broadcasting.Shape(op, values.Layout.Shape, shape);
        if (!broadcast.AsSpan().SequenceEqual(shape))
            throw new ArgumentException($"{op}: values of shape {Layout.Format(values.Layout.Shape)} do not broadcast to the selection's shape {Layout.Format(shape)}.");
        using var converted = values.DType == DType ? null : values.To(DType);
        using var expanded = (converted ?? values).BroadcastTo(shape);
        using var source = expanded.Reshape(destinationShape);
        var mode = accumulate ? ScatterMode.Add : ScatterMode.Assign;
        var indexLayout = AlongDim(positions, dim, destinationShape);
        if (basic is null)
        {
            CheckWritable(op, source);
            // Under autograd: the scatter out of place over this tensor's flattened form, then this tensor's history rebased.
            if (RecordInPlace(op, source, x =>
                {
                    using var flatX = x.Reshape(flatShape);
                    using var scattered = flatX.ScatterCore(op, mode, dim, positions, indexLayout, source);
                    return scattered.View(x.Shape);
                }, keepsOldValue: false))
                return this;
        }
        using var flat = target.Reshape(flatShape);
        flat.CheckWritable(op, source);
        flat.ScatterInto(op, mode, dim, positions, indexLayout, source);
        // A mask over dims that could not be flattened as a view was written into a copy: copy it back.
        if (!flat.SharesStorageWith(target))
        {
            using var back = flat.View(target.Shape);
            target.CopyFrom_(back);
        }
        return this;
    }

    /// <summary><see cref="IndexPut_(TensorIndex[], Tensor, bool)"/> with one index tensor or mask for the leading
    /// dims (PyTorch's <c>t.index_put_((idx,), values, accumulate)</c>). Returns this tensor.</summary>
    /// <param name="index">Int64/Int32 indices along dim 0, or a Bool mask over the leading dims.</param>
    /// <param name="values">The values, broadcastable to the selection's shape.</param>
    /// <param name="accumulate">Add instead of assign; default <c>false</c>.</param>
    public Tensor IndexPut_(Tensor index, Tensor values, bool accumulate = false) => IndexPut_([index], values, accumulate);

    private static bool HasTensorEntry(TensorIndex[] indices) => indices.Any(i => i.Type == TensorIndex.Kind.Tensor);

    private Tensor AdvancedIndex(TensorIndex[] indices)
    {
        const string op = "Index";
        var (basic, dim, entry) = SplitAdvanced(op, indices);
        using var ownedView = basic;
        var view = basic ?? this;
        var (positions, shape, flatShape) = Positions(op, view, dim, entry);
        using var ownedPositions = positions;
        using var flat = view.Reshape(flatShape);
        var picked = flat.IndexSelect(dim, positions);
        if (picked.Layout.Shape.SequenceEqual(shape)) return picked;
        using (picked) return picked.Reshape(shape);
    }

    /// <summary>The view made by every entry but the tensor one (which becomes whole-dim ranges; null when the
    /// tensor entry is the only one: this tensor itself), the dim of that view where the tensor entry acts, and the
    /// tensor entry.</summary>
    private (Tensor? View, int Dim, Tensor Entry) SplitAdvanced(string op, TensorIndex[] indices)
    {
        int at = -1;
        for (int i = 0; i < indices.Length; i++)
            if (indices[i].Type == TensorIndex.Kind.Tensor)
            {
                if (at >= 0)
                    throw new NotSupportedException(
                        $"{op}: only one index tensor or mask per indexer is supported (PyTorch's combined advanced indexing is not); " +
                        "index one dim at a time, or Gather with a broadcast index.");
                at = i;
            }
        var entry = indices[at].Tensor!;
        entry.StorageFor(op);
        if (entry.DType == DType.Bool && entry.Rank == 0)
            throw new ArgumentException($"{op}: a 0-d Bool mask is not supported; use a mask with the shape of the dims it selects.");
        if (indices.Length == 1) return (null, 0, entry);
        int covers = entry.DType == DType.Bool ? entry.Rank : 1;
        var basic = new List<TensorIndex>();
        for (int i = 0; i < indices.Length; i++)
            if (i == at) basic.AddRange(Enumerable.Repeat((TensorIndex)System.Range.All, covers));
            else basic.Add(indices[i]);
        int consumed = basic.Count(i => i.Type is TensorIndex.Kind.Single or TensorIndex.Kind.Range), dim = 0;
        for (int i = 0; i < at; i++)
            dim += indices[i].Type switch
            {
                TensorIndex.Kind.Range or TensorIndex.Kind.NewAxis => 1,
                TensorIndex.Kind.Ellipsis => Rank - consumed,
                _ => 0,
            };
        return (Index([.. basic]), dim, entry);
    }

    /// <summary>For the tensor entry acting at <paramref name="dim"/> of <paramref name="view"/>: the 1-d Int64
    /// positions along dim of the view with the entry's dims flattened, the shape of the selection, and that
    /// flattened shape (the view's own for an index tensor; a mask's dims merged into one).</summary>
    private static (Tensor Positions, int[] Shape, int[] FlatShape) Positions(string op, Tensor view, int dim, Tensor entry)
    {
        var outer = view.Shape[..dim];
        if (entry.DType != DType.Bool)
        {
            if (dim >= view.Rank)
                throw new IndexOutOfRangeException($"{op}: too many indices for a tensor of shape {Layout.Format(view.Layout.Shape)}.");
            using var idx = view.IndexArgument(op, entry, view.Layout.Shape[dim], dim, int64Only: false, wrapNegative: true);
            int[] shape = [.. outer, .. entry.Layout.Shape, .. view.Shape[(dim + 1)..]];
            return (idx.Reshape(-1), shape, view.Shape);
        }
        int k = entry.Rank;
        if (entry.Device != view.Device)
            throw new InvalidOperationException($"{op}: the mask is on {entry.Device} but the tensor is on {view.Device}; move it with To(device).");
        if (dim + k > view.Rank || !view.Layout.Shape.Slice(dim, k).SequenceEqual(entry.Layout.Shape))
            throw new IndexOutOfRangeException(
                $"{op}: the mask's shape {Layout.Format(entry.Layout.Shape)} does not match the shape of the indexed tensor {Layout.Format(view.Layout.Shape)} " +
                $"at dims {dim}..{dim + k - 1}.");
        var positions = view.MaskPositions(entry, entry.Shape);
        var rest = view.Shape[(dim + k)..];
        return (positions, [.. outer, positions.Numel, .. rest], [.. outer, Layout.ShapeNumel(entry.Layout.Shape), .. rest]);
    }
}
