namespace Tensors;

// Elementwise functions built from existing ops (their gradients follow from those ops'), and the whole-tensor
// comparisons AllClose and Equal.
public sealed partial class Tensor
{
    /// <summary>x - trunc(x), with the sign of x (PyTorch's <c>frac</c>; floating tensors only).</summary>
    public Tensor Frac() => Activation("Frac", x => x - x.Trunc());

    /// <summary>1 / x (integers give float32, 1 / 0 is inf; PyTorch's <c>reciprocal</c>).</summary>
    public Tensor Reciprocal() { StorageFor("Reciprocal"); return 1 / this; }

    /// <summary>x * x in the tensor's dtype (integers wrap; a bool tensor gives int64, as in PyTorch).</summary>
    public Tensor Square()
    {
        if (DType != DType.Bool) return this * this;
        using var wide = To(DType.Int64);
        return wide * wide;
    }

    /// <summary>True where x is NaN (never for integer and bool tensors).</summary>
    public Tensor IsNan() => DType.IsFloatingPoint() ? Ne(this) : Full(Shape, false, DType.Bool, Device);

    /// <summary>True where x is +inf or -inf (never for integer and bool tensors).</summary>
    public Tensor IsInf()
    {
        if (!DType.IsFloatingPoint()) return Full(Shape, false, DType.Bool, Device);
        using var magnitude = Abs();
        return magnitude.Eq(double.PositiveInfinity);
    }

    /// <summary>True where x is neither infinite nor NaN (always for integer and bool tensors).</summary>
    public Tensor IsFinite()
    {
        if (!DType.IsFloatingPoint()) return Full(Shape, true, DType.Bool, Device);
        using var magnitude = Abs();
        return magnitude.Lt(double.PositiveInfinity);
    }

    /// <summary>NaN, +inf and -inf replaced by finite numbers (PyTorch's <c>nan_to_num</c>); integer and bool tensors
    /// are returned as a copy. The gradient passes only where x was finite.</summary>
    /// <param name="nan">The value for NaN; default 0.</param>
    /// <param name="posinf">The value for +inf; by default the dtype's largest finite value.</param>
    /// <param name="neginf">The value for -inf; by default the dtype's lowest finite value.</param>
    public Tensor NanToNum(double nan = 0, double? posinf = null, double? neginf = null)
    {
        if (!DType.IsFloatingPoint()) return Clone();
        double max = DType == DType.Float32 ? float.MaxValue : double.MaxValue;
        return Activation("NanToNum", x =>
            Where(x.Ne(x), nan, Where(x.Eq(double.PositiveInfinity), posinf ?? max, Where(x.Eq(double.NegativeInfinity), neginf ?? -max, x))));
    }

    /// <summary>this + weight (end - this), broadcast (PyTorch's <c>lerp</c>); computed as end - (end - this)(1 -
    /// weight) where |weight| &gt;= 0.5, as PyTorch, so that weight 1 gives end exactly. All three must be of one
    /// floating dtype.</summary>
    /// <param name="end">The end point.</param>
    /// <param name="weight">The interpolation weight, elementwise.</param>
    public Tensor Lerp(Tensor end, Tensor weight)
    {
        CheckLerp(end, weight);
        return Activation("Lerp", start =>
        {
            var diff = end - start;
            return Where(weight.Abs().Lt(0.5), start + weight * diff, end - diff * (1.0 - weight));
        });
    }

    /// <summary>this + weight (end - this), broadcast (PyTorch's <c>lerp</c> with a number as the weight).</summary>
    /// <param name="end">The end point, of this tensor's floating dtype.</param>
    /// <param name="weight">The interpolation weight.</param>
    /// <exception cref="ArgumentException"><paramref name="end"/> does not have this tensor's dtype, or the shapes
    /// cannot be broadcast together.</exception>
    public Tensor Lerp(Tensor end, double weight)
    {
        CheckLerp(end, null);
        return Activation("Lerp", start =>
        {
            var diff = end - start;
            return Math.Abs(weight) < 0.5 ? start + diff * weight : end - diff * (1 - weight);
        });
    }

    private void CheckLerp(Tensor end, Tensor? weight)
    {
        RequireFloating("Lerp");
        foreach (var (name, t) in new[] { ("end", end), ("weight", weight) })
            if (t is not null && t.DType != DType)
                throw new ArgumentException($"Lerp: expected dtype {DType.Name()} for {name} (the start's), but got {t.DType.Name()}; convert with To(DType.{DType}).");
    }

    /// <summary>True when every element is close to the other's, broadcast: |this - other| &lt;= atol + rtol |other|,
    /// or equal (so equal infinities are close); NaNs are close to each other only with
    /// <paramref name="equalNan"/> (PyTorch's <c>allclose</c>). Both must have one dtype.</summary>
    /// <param name="other">The tensor to compare with.</param>
    /// <param name="rtol">The relative tolerance; default 1e-5.</param>
    /// <param name="atol">The absolute tolerance; default 1e-8.</param>
    /// <param name="equalNan">Whether NaN is close to NaN; default <c>false</c>.</param>
    /// <exception cref="ArgumentException">The dtypes differ, <paramref name="rtol"/> or <paramref name="atol"/> is
    /// negative, or the shapes cannot be broadcast together.</exception>
    public bool AllClose(Tensor other, double rtol = 1e-5, double atol = 1e-8, bool equalNan = false)
    {
        const string op = "AllClose";
        SameDevice(op, this, other);
        if (DType != other.DType)
            throw new ArgumentException($"{op}: dtypes {DType.Name()} and {other.DType.Name()} differ; convert one with To() first.");
        if (rtol < 0 || atol < 0)
            throw new ArgumentException($"{op}: rtol ({rtol}) and atol ({atol}) must not be negative.");
        Broadcasting.Shape(op, Layout.Shape, other.Layout.Shape);
        using var noGrad = Autograd.Suspend();
        using var scope = NewDisposeScope();
        var close = Eq(other);
        if (DType != DType.Bool)
        {
            var (a, b) = DType.IsFloatingPoint() ? (this, other) : (To(DType.Float64), other.To(DType.Float64));
            var actual = (a - b).Abs();
            var within = actual.Le(b.Abs() * rtol + atol).LogicalAnd(actual.IsFinite());
            close = close.LogicalOr(within);
            if (equalNan) close = close.LogicalOr(a.IsNan().LogicalAnd(b.IsNan()));
        }
        return AllTrue(close);
    }

    /// <summary>True when both have the same shape and equal elements (after type promotion; NaN is unequal to
    /// everything), PyTorch's <c>torch.equal</c>.</summary>
    /// <param name="other">The tensor to compare with.</param>
    public bool Equal(Tensor other)
    {
        SameDevice("Equal", this, other);
        if (!Layout.Shape.SequenceEqual(other.Layout.Shape)) return false;
        using var noGrad = Autograd.Suspend();
        using var equal = Eq(other);
        return AllTrue(equal);
    }

    private static bool AllTrue(Tensor mask)
    {
        using var count = mask.Sum();
        return count.Item<long>() == mask.Numel;
    }
}
