namespace Tensors;

public sealed partial class Tensor
{
    /// <summary>
    /// The matrix product with PyTorch's rules: 1-D x 1-D is a dot product, 1-D operands gain a dim that is then
    /// removed, and for N-D operands the last two dims multiply while the batch dims broadcast.
    /// </summary>
    public Tensor MatMul(Tensor other)
    {
        const string op = "MatMul";
        var device = SameDevice(op, this, other);
        if (Rank == 0 || other.Rank == 0)
            throw new ArgumentException($"MatMul: both operands need at least 1 dim, got shapes {Layout.Format(Layout.Shape)} and {Layout.Format(other.Layout.Shape)}; use Mul for scalars.");
        if (DType == DType.Bool || other.DType == DType.Bool)
            throw new ArgumentException("MatMul: bool tensors are not supported; convert with To(DType.Float32) first.");
        var dtype = TypePromotion.ResultType(this, other);
        using var a = ViewAs(op, Rank == 1 ? Layout.Unsqueeze(0) : Layout);
        using var b = other.ViewAs(op, other.Rank == 1 ? other.Layout.Unsqueeze(1) : other.Layout);
        using var ac = a.To(dtype);
        using var bc = b.To(dtype);
        var la = ac.Layout; var lb = bc.Layout;
        int m = la.Shape[^2], k = la.Shape[^1], k2 = lb.Shape[^2], n = lb.Shape[^1];
        if (k != k2)
            throw new ArgumentException(
                $"MatMul: shapes {Layout.Format(Layout.Shape)} and {Layout.Format(other.Layout.Shape)} cannot be multiplied: " +
                $"the first has {k} columns but the second has {k2} rows; inner sizes must match.");
        var batch = Broadcasting.Shape(op, la.Shape[..^2], lb.Shape[..^2]);
        int[] outShape = [.. batch, m, n];
        var result = Allocate(outShape, dtype, device);
        result.Backend.MatMul(ac.StorageFor(op), la.BroadcastTo([.. batch, m, k]), bc.StorageFor(op), lb.BroadcastTo([.. batch, k, n]),
            result._storage, result.Layout);
        if (Rank > 1 && other.Rank > 1) return result;
        // Remove the dims that 1-D operands gained.
        var remove = new bool[outShape.Length];
        if (Rank == 1) remove[^2] = true;
        if (other.Rank == 1) remove[^1] = true;
        using (result) return result.ViewAs(op, result.Layout.RemoveDims(remove));
    }
}
