namespace Tensors.Backends;

/// <summary>The layout trick every backend's Gather and Scatter share: the indexed operand seen over the index's
/// shape with <c>dim</c>'s stride set to 0, so that one elementwise walk over (operand, index, other operand) finds
/// each position's base offset, and the indexed element is that base plus index[p] times the dim's stride.</summary>
internal static class IndexedLayout
{
    /// <summary>The operand over <paramref name="indexShape"/> with dim <paramref name="dim"/>'s stride 0.</summary>
    public static Layout Base(Layout operand, int dim, ReadOnlySpan<int> indexShape)
    {
        var strides = operand.Strides.ToArray();
        strides[dim] = 0;
        return new Layout(indexShape, strides, operand.Offset);
    }
}
