namespace Tensors;

/// <summary>
/// PyTorch's rule for in-place writes whose destination shares memory with an input: the very same elements are
/// fine (<c>x.Add_(x)</c>), a partial overlap between dense layouts is refused, and layouts too irregular to judge
/// are made safe by copying the input first, so the result never depends on the order a kernel visits elements.
/// </summary>
internal static class MemoryOverlap
{
    /// <summary>The input to read for an in-place write into <paramref name="destination"/>: the input itself, or a
    /// copy when the two share memory in a way a kernel cannot read safely. Throws on a partial dense overlap.</summary>
    public static Tensor SafeInput(string op, Tensor destination, Tensor input, out bool copied)
    {
        copied = false;
        var d = destination.Layout;
        var s = input.Layout;
        if (!destination.SharesStorageWith(input) || d.Numel == 0 || s.Numel == 0) return input;
        if (d.Offset >= s.End || s.Offset >= d.End) return input;
        if (SameElements(d, s)) return input;
        if (IsNonOverlappingAndDense(d) && IsNonOverlappingAndDense(s))
            throw new InvalidOperationException(
                $"{op}: the input (shape {Layout.Format(s.Shape)}) and the written-to tensor (shape {Layout.Format(d.Shape)}) partially " +
                "overlap in memory: unsupported operation: some elements of the input tensor and the written-to tensor refer to a " +
                "single memory location. Please Clone() the input first.");
        copied = true;
        using (Autograd.Suspend()) return input.Clone();
    }

    // Element i of one is element i of the other (a size-1 dim's stride never moves, so it may differ).
    private static bool SameElements(Layout a, Layout b)
    {
        if (a.Offset != b.Offset || !a.Shape.SequenceEqual(b.Shape)) return false;
        for (int i = 0; i < a.Rank; i++)
            if (a.Shape[i] > 1 && a.Strides[i] != b.Strides[i]) return false;
        return true;
    }

    /// <summary>True when the layout covers exactly Numel consecutive elements in some dim order (PyTorch's
    /// <c>is_non_overlapping_and_dense</c>).</summary>
    public static bool IsNonOverlappingAndDense(Layout layout)
    {
        var dims = Enumerable.Range(0, layout.Rank).Where(i => layout.Shape[i] != 1).OrderBy(i => layout.Strides[i]).ToArray();
        long expected = 1;
        foreach (var i in dims)
        {
            if (layout.Strides[i] != expected) return false;
            expected *= layout.Shape[i];
        }
        return true;
    }
}
