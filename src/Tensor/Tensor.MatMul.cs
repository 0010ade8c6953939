namespace Tensors;

public sealed partial class Tensor
{
    /// <summary>
    /// The matrix product with PyTorch's rules: 1-D x 1-D is a dot product, 1-D operands gain a dim that is then
    /// removed, and for N-D operands the last two dims multiply while the batch dims broadcast.
    /// </summary>
    /// <param name="other">The right operand: a vector (1-D), a matrix, or a batch of matrices whose batch dims
    /// broadcast with this tensor's.</param>
    /// <exception cref="ArgumentException">Either operand is 0-d or Bool, the inner sizes differ (the message names
    /// both shapes), or the batch dims cannot be broadcast.</exception>
    /// <exception cref="InvalidOperationException">The operands are on different devices.</exception>
    public Tensor MatMul(Tensor other)
    {
        const string op = "MatMul";
        SameDevice(op, this, other);
        if (Rank == 0 || other.Rank == 0)
            throw new ArgumentException($"MatMul: both operands need at least 1 dim, got shapes {Layout.Format(Layout.Shape)} and {Layout.Format(other.Layout.Shape)}; use Mul for scalars.");
        if (DType == DType.Bool || other.DType == DType.Bool)
            throw new ArgumentException("MatMul: bool tensors are not supported; convert with To(DType.Float32) first.");
        int k = Layout.Shape[^1], k2 = other.Layout.Shape[other.Rank == 1 ? 0 : other.Rank - 2];
        if (k != k2)
            throw new ArgumentException(
                $"MatMul: shapes {Layout.Format(Layout.Shape)} and {Layout.Format(other.Layout.Shape)} cannot be multiplied: " +
                $"the first has {k} columns but the second has {k2} rows; inner sizes must match.");
        if (Rank > 1 && other.Rank > 1) return MatMulCore(other);
        // 1-D operands become matrices for the product, and the dims they gained are removed again (as views, so
        // autograd follows them).
        using var a = Rank == 1 ? Unsqueeze(0) : ViewAs(op);
        using var b = other.Rank == 1 ? other.Unsqueeze(1) : other.ViewAs(op);
        using var product = a.MatMulCore(b);
        if (Rank == 1 && other.Rank == 1) { using var row = product.Squeeze(-1); return row.Squeeze(-1); }
        return product.Squeeze(Rank == 1 ? -2 : -1);
    }

    // Both operands have at least 2 dims: batched, with broadcast batch dims.
    private Tensor MatMulCore(Tensor other)
    {
        const string op = "MatMul";
        bool record = Autograd.ShouldRecord(this, other);
        var dtype = TypePromotion.ResultType(this, other);
        var la = Layout; var lb = other.Layout;
        int m = la.Shape[^2], k = la.Shape[^1], n = lb.Shape[^1];
        var batch = Broadcasting.Shape(op, la.Shape[..^2], lb.Shape[..^2]);
        var result = Allocate([.. batch, m, n], dtype, Device);
        using (Autograd.Suspend())
        using (var ac = As(dtype))
        using (var bc = other.As(dtype))
            result.Backend.MatMul(ac.Tensor.StorageFor(op), ac.Tensor.Layout.BroadcastTo([.. batch, m, k]), bc.Tensor.StorageFor(op),
                bc.Tensor.Layout.BroadcastTo([.. batch, k, n]), result.Storage, result.Layout);
        return record ? result.Record(new Graph.MatMulBackward(this, other)) : result;
    }
}
