namespace Tensors;

/// <summary>
/// PyTorch's result-type rule. Operands fall in three priority groups: tensors with dims, 0-d tensors, and plain
/// numbers (C# scalars). A lower group only changes the result when it is of a higher category
/// (bool &lt; integer &lt; floating), so <c>int32 tensor * 1.5</c> is float32 and <c>float32 tensor * 2.0</c> stays float32.
/// </summary>
internal static class TypePromotion
{
    public static DType ResultType(params ReadOnlySpan<Tensor> operands)
    {
        DType? dim = null, zero = null, wrapped = null;
        foreach (var t in operands)
        {
            if (t.IsWrappedNumber) wrapped = Promote(wrapped, DefaultFor(t.DType));
            else if (t.Rank == 0) zero = Promote(zero, t.DType);
            else dim = Promote(dim, t.DType);
        }
        return Combine(dim, Combine(zero, wrapped)) ?? DType.Float32;
    }

    // A plain number takes its category's default dtype: double -> float32, integer -> int64.
    private static DType DefaultFor(DType d) => d.IsFloatingPoint() ? DType.Float32 : d == DType.Bool ? DType.Bool : DType.Int64;

    private static DType? Promote(DType? a, DType b) => a is null ? b : DTypes.Promote(a.Value, b);

    private static DType? Combine(DType? higher, DType? lower)
    {
        if (higher is null) return lower;
        if (lower is null) return higher;
        if (higher.Value.IsFloatingPoint()) return higher;
        if (higher == DType.Bool || lower.Value.IsFloatingPoint()) return DTypes.Promote(higher.Value, lower.Value);
        return higher;
    }
}
