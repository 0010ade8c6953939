namespace Tensors.Graph;

/// <summary>The one helper that sums a gradient back over broadcast dims to an input's shape.</summary>
internal static class Gradients
{
    public static Tensor SumToShape(Tensor g, ReadOnlySpan<int> shape)
    {
        if (g.Layout.Shape.SequenceEqual(shape)) return g;
        int lead = g.Rank - shape.Length;
        var dims = new List<int>();
        for (int d = 0; d < g.Rank; d++)
            if (d < lead || (shape[d - lead] == 1 && g.Layout.Shape[d] != 1)) dims.Add(d);
        using var summed = dims.Count > 0 ? g.Sum(dims.ToArray(), keepDim: true) : g.Contiguous();
        return summed.Reshape(shape.ToArray());
    }

    /// <summary>A gradient brought back to an input's shape and dtype.</summary>
    public static Tensor? For(Tensor? g, Tensor input, bool needed)
    {
        if (g is null || !needed) return null;
        var s = SumToShape(g, input.Layout.Shape);
        return s.DType == input.DType ? s : s.To(input.DType);
    }
}
