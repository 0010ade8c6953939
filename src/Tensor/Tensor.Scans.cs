using Tensors.Backends;

namespace Tensors;

// Inclusive scans along a dim (PyTorch's cumsum and cumprod).
public sealed partial class Tensor
{
    /// <summary>The running sum along <paramref name="dim"/>: element k is the sum of elements 0..k (PyTorch's
    /// <c>cumsum</c>; integers and Bool give Int64).</summary>
    /// <param name="dim">The dim to scan along (negative counts from the end; a 0-d tensor takes 0 or -1).</param>
    /// <returns>A tensor of this shape.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A dim is out of range for this tensor's rank.</exception>
    public Tensor CumSum(int dim) => Scan(ScanOp.Sum, "CumSum", dim);

    /// <summary>The running product along <paramref name="dim"/> (PyTorch's <c>cumprod</c>; integers and Bool give
    /// Int64). Its gradient is exact where elements are zero.</summary>
    /// <param name="dim">The dim to scan along (negative counts from the end; a 0-d tensor takes 0 or -1).</param>
    /// <returns>A tensor of this shape.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A dim is out of range for this tensor's rank.</exception>
    public Tensor CumProd(int dim) => Scan(ScanOp.Prod, "CumProd", dim);

    private Tensor Scan(ScanOp op, string name, int dim)
    {
        if (NormalizeDimOrScalar(name, dim) is not int d)
        {
            // A 0-d tensor scans as one element.
            using var one = Reshape(1);
            using var scanned = one.Scan(op, name, 0);
            return scanned.Reshape([]);
        }
        var dtype = DType.IsFloatingPoint() ? DType : DType.Int64;
        Tensor result;
        using (Autograd.Suspend())
        {
            using var source = To(dtype);
            result = Allocate(Layout.Shape, dtype, Device);
            Backend.Scan(op, source.StorageFor(name), source.Layout, d, result.Storage, result.Layout);
        }
        if (!Autograd.ShouldRecord(this)) return result;
        return result.Record(op == ScanOp.Sum ? new Graph.CumSumBackward(this, d) : new Graph.CumProdBackward(this, result, d));
    }
}
