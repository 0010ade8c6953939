namespace Tensors;

public sealed partial class Tensor
{
    /// <summary>Values limited to [min, max] (PyTorch's <c>clamp</c>); either bound may be omitted, and when
    /// min &gt; max every value becomes max. Integer bounds keep an integer tensor integer. The gradient passes
    /// wherever min &lt;= x &lt;= max, bounds included, as in PyTorch.</summary>
    /// <param name="min">The lower bound (PyTorch's <c>min</c>); default null, no lower bound.</param>
    /// <param name="max">The upper bound (PyTorch's <c>max</c>); default null, no upper bound.</param>
    /// <exception cref="ArgumentException">Both bounds are null, or this tensor is Bool.</exception>
    public Tensor Clamp(Scalar? min = null, Scalar? max = null)
    {
        const string op = "Clamp";
        StorageFor(op);
        if (min is null && max is null) throw new ArgumentException("Clamp: give at least one of min and max.");
        if (DType == DType.Bool) throw new ArgumentException("Clamp: not supported for bool tensors; convert with To(DType.Int64) first.");
        using var lo = min is Scalar l ? Num(l) : null;
        using var hi = max is Scalar h ? Num(h) : null;
        var dtype = TypePromotion.ResultType([this, .. new[] { lo, hi }.OfType<Tensor>()]);
        Tensor result;
        using (Autograd.Suspend())
        {
            result = To(dtype);
            if (lo is not null) { using var old = result; result = old.Maximum(lo); }
            if (hi is not null) { using var old = result; result = old.Minimum(hi); }
        }
        return Autograd.ShouldRecord(this) && dtype.IsFloatingPoint() ? result.Record(new Graph.ClampBackward(this, lo, hi)) : result;
    }
}
