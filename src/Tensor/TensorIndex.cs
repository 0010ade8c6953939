namespace Tensors;

/// <summary>
/// One entry of a tensor indexer: an integer or <see cref="System.Index"/> (selects and removes a dim), a
/// <see cref="System.Range"/> (slices), <see cref="Ellipsis"/> (all remaining dims) or <see cref="NewAxis"/>
/// (inserts a size-1 dim), or a <see cref="Tensors.Tensor"/> (PyTorch's advanced indexing: an Int64/Int32 index
/// tensor selects along one dim, a Bool mask over one or more dims). Converts implicitly, so <c>t[1, 1..3]</c>,
/// <c>t[^1]</c>, <c>t[.., 0]</c>, <c>t[mask]</c> and <c>t[.., idx]</c> just work.
/// </summary>
public readonly struct TensorIndex
{
    internal enum Kind { Single, Range, Ellipsis, NewAxis, Tensor }

    internal Kind Type { get; }
    internal Index Index { get; }
    internal Range Range { get; }
    internal Tensor? Tensor { get; }

    private TensorIndex(Kind type, Index index = default, Range range = default, Tensor? tensor = null)
    {
        Type = type;
        Index = index;
        Range = range;
        Tensor = tensor;
    }

    /// <summary>All remaining dims, like Python's <c>...</c>.</summary>
    public static TensorIndex Ellipsis { get; } = new(Kind.Ellipsis);

    /// <summary>A new dim of size 1, like Python's <c>None</c>.</summary>
    public static TensorIndex NewAxis { get; } = new(Kind.NewAxis);

    /// <summary>Selects one position (negative counts from the end, as in Python).</summary>
    /// <param name="index">The position (negative counts from the end).</param>
    public static implicit operator TensorIndex(int index) =>
        new(Kind.Single, index >= 0 ? new Index(index) : new Index(-index, fromEnd: true));

    /// <summary>Selects one position.</summary>
    /// <param name="index">The position; <c>^1</c> is the last.</param>
    public static implicit operator TensorIndex(Index index) => new(Kind.Single, index);

    /// <summary>Slices a range of positions.</summary>
    /// <param name="range">The positions, as in <c>1..3</c> or <c>..^1</c> (clamped to the dim, as Python slices
    /// are).</param>
    public static implicit operator TensorIndex(Range range) => new(Kind.Range, range: range);

    /// <summary>Advanced indexing by a tensor: Int64 or Int32 indices (any shape; negative count from the end)
    /// select along one dim, a Bool mask selects the true places of as many dims as it has. One tensor entry per
    /// indexer.</summary>
    /// <param name="tensor">An Int64 or Int32 tensor of positions along one dim, or a Bool mask over as many dims as it
    /// has.</param>
    /// <exception cref="ArgumentNullException"><paramref name="tensor"/> is null.</exception>
    public static implicit operator TensorIndex(Tensor tensor) => new(Kind.Tensor, tensor: tensor ?? throw new ArgumentNullException(nameof(tensor)));
}

public sealed partial class Tensor
{
    /// <summary>
    /// A view selected by indices, one per leading dim (missing trailing dims are kept whole).
    /// Setting copies the value (broadcast) into that view, so it writes into this tensor.
    /// With a tensor entry (an index tensor or a Bool mask) reading copies the selected elements, as in PyTorch, and
    /// setting writes them (<see cref="IndexPut_(TensorIndex[], Tensor, bool)"/>).
    /// </summary>
    /// <param name="indices">One entry per leading dim: an <see cref="int"/> or <see cref="System.Index"/> selects (and
    /// drops) a position, a <see cref="System.Range"/> slices, <see cref="TensorIndex.Ellipsis"/> stands for the
    /// remaining dims, <see cref="TensorIndex.NewAxis"/> inserts a size-1 dim, and a tensor indexes (Int64/Int32
    /// positions or a Bool mask).</param>
    /// <exception cref="IndexOutOfRangeException">A position is out of range for its dim, or there are more entries
    /// than dims.</exception>
    /// <exception cref="ArgumentException">More than one <see cref="TensorIndex.Ellipsis"/>, or (when setting) a value
    /// that does not broadcast to the selection.</exception>
    [System.Runtime.CompilerServices.IndexerName("At")]
    public Tensor this[params TensorIndex[] indices]
    {
        get => HasTensorEntry(indices) ? AdvancedIndex(indices) : Index(indices);
        set
        {
            if (HasTensorEntry(indices))
            {
                IndexPut_(indices, value);
                return;
            }
            using var target = Index(indices);
            target.CopyFrom_(value);
        }
    }

    private Tensor Index(TensorIndex[] indices)
    {
        IndexLayout(Layout, indices); // validates against this shape, with its messages
        return ViewAs("Index", l => IndexLayout(l, indices));
    }

    private static Layout IndexLayout(Layout layout, TensorIndex[] indices)
    {
        int Rank = layout.Rank;
        var original = layout;
        if (HasTensorEntry(indices))
            throw new InvalidOperationException("Index: a tensor entry has no view; it is resolved before the layout is computed.");
        int consumed = indices.Count(i => i.Type is TensorIndex.Kind.Single or TensorIndex.Kind.Range);
        int ellipses = indices.Count(i => i.Type == TensorIndex.Kind.Ellipsis);
        if (ellipses > 1) throw new ArgumentException("Index: at most one Ellipsis is allowed.");
        if (consumed > Rank)
            throw new IndexOutOfRangeException($"Index: {consumed} indices given for a tensor of shape {Layout.Format(original.Shape)} ({Rank} dims).");
        int dim = 0;
        foreach (var ix in indices)
        {
            switch (ix.Type)
            {
                case TensorIndex.Kind.Single:
                {
                    int size = layout.Shape[dim];
                    int i = ix.Index.IsFromEnd ? size - ix.Index.Value : ix.Index.Value;
                    if (i < 0 || i >= size)
                        throw new IndexOutOfRangeException(
                            $"Index: index {(ix.Index.IsFromEnd ? "^" + ix.Index.Value : ix.Index.Value.ToString())} is out of range for dim {dim} " +
                            $"of size {size} (shape {Layout.Format(original.Shape)}); valid indices are 0..{size - 1} or ^{size}..^1.");
                    layout = layout.Select(dim, i);
                    break;
                }
                case TensorIndex.Kind.Range:
                {
                    int size = layout.Shape[dim];
                    int start = Math.Clamp(ix.Range.Start.IsFromEnd ? size - ix.Range.Start.Value : ix.Range.Start.Value, 0, size);
                    int end = Math.Clamp(ix.Range.End.IsFromEnd ? size - ix.Range.End.Value : ix.Range.End.Value, 0, size);
                    layout = layout.Slice(dim, start, Math.Max(0, end - start));
                    dim++;
                    break;
                }
                case TensorIndex.Kind.Ellipsis:
                    dim += Rank - consumed;
                    break;
                case TensorIndex.Kind.NewAxis:
                    layout = layout.Unsqueeze(dim);
                    dim++;
                    break;
            }
        }
        return layout;
    }
}
