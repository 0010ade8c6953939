using Tensors.Backends;

namespace Tensors;

// Elementwise ops: promote dtypes, broadcast shapes, check devices, then one backend primitive.
public sealed partial class Tensor
{
    private Tensor Unary(UnaryOp op, bool floating)
    {
        string name = op.ToString();
        var storage = StorageFor(name);
        if (DType == DType.Bool && !floating)
            throw new ArgumentException($"{name}: not supported for bool tensors; convert with To(DType.Int64) or To(DType.Float32) first.");
        if (floating && !DType.IsFloatingPoint())
        {
            // Like PyTorch, integer inputs of floating functions compute in the default float dtype.
            using var f = To(DType.Float32);
            return f.Unary(op, true);
        }
        var result = Allocate(Layout.Shape, DType, Device);
        Backend.Unary(op, storage, Layout, result._storage, result.Layout);
        return Autograd.ShouldRecord(this) ? result.Record(new Graph.UnaryBackward(op, this, result)) : result;
    }

    /// <summary>-x.</summary>
    public Tensor Neg() => Unary(UnaryOp.Neg, false);
    /// <summary>|x|.</summary>
    public Tensor Abs() => Unary(UnaryOp.Abs, false);
    /// <summary>max(x, 0).</summary>
    public Tensor Relu() => Unary(UnaryOp.Relu, false);
    /// <summary>Square root (integers compute in float32).</summary>
    public Tensor Sqrt() => Unary(UnaryOp.Sqrt, true);
    /// <summary>e^x (integers compute in float32).</summary>
    public Tensor Exp() => Unary(UnaryOp.Exp, true);
    /// <summary>Natural logarithm (integers compute in float32).</summary>
    public Tensor Log() => Unary(UnaryOp.Log, true);
    /// <summary>1 / (1 + e^-x) (integers compute in float32).</summary>
    public Tensor Sigmoid() => Unary(UnaryOp.Sigmoid, true);
    /// <summary>Hyperbolic tangent (integers compute in float32).</summary>
    public Tensor Tanh() => Unary(UnaryOp.Tanh, true);

    /// <summary>Runs a binary primitive after promotion and broadcasting. <paramref name="into"/> is the
    /// destination for in-place forms (its shape and dtype win).</summary>
    private static Tensor Binary(BinaryOp op, string name, Tensor a, Tensor b, Tensor? into = null)
    {
        var device = SameDevice(name, a, b);
        var dtype = TypePromotion.ResultType(a, b);
        if (op == BinaryOp.Div && !dtype.IsFloatingPoint()) dtype = DType.Float32; // true division, like Python's /
        if (dtype == DType.Bool && op is not (BinaryOp.Maximum or BinaryOp.Minimum))
            throw new ArgumentException($"{name}: arithmetic on two bool tensors is not supported; convert with To(DType.Int64) first.");
        var shape = Broadcasting.Shape(name, a.Layout.Shape, b.Layout.Shape);
        bool record = into is null && Autograd.ShouldRecord(a, b);
        if (into is not null)
        {
            into.CheckWritable(name, b);
            if (!shape.AsSpan().SequenceEqual(into.Layout.Shape))
                throw new ArgumentException($"{name}: the result of shape {Layout.Format(shape)} does not fit the in-place destination of shape {Layout.Format(into.Layout.Shape)}; only the other operand may broadcast.");
            if (!DTypes.CanCast(dtype, into.DType))
                throw new ArgumentException($"{name}: result dtype {dtype.Name()} cannot be stored in place into a {into.DType.Name()} tensor.");
            dtype = into.DType;
            if (into.RecordInPlace(name, b, x => Binary(op, name, x, b), keepsOldValue: op is not (BinaryOp.Add or BinaryOp.Sub))) return into;
        }
        var result = into ?? Allocate(shape, dtype, device);
        using (Autograd.Suspend())
        using (var ca = a.To(dtype))
        using (var cb = b.To(dtype))
            result.Backend.Binary(op, ca.StorageFor(name), ca.Layout.BroadcastTo(shape), cb.StorageFor(name), cb.Layout.BroadcastTo(shape),
                result._storage, result.Layout);
        if (into is not null) into._storage.BumpVersion();
        return record ? result.Record(new Graph.BinaryBackward(op, a, b, result)) : result;
    }

    private Tensor Num(double value) => Wrap(value, false, Device);
    private Tensor Num(long value) => Wrap(value, true, Device);

    /// <summary>this + other, broadcast.</summary>
    public Tensor Add(Tensor other) => Binary(BinaryOp.Add, "Add", this, other);
    /// <summary>this - other, broadcast.</summary>
    public Tensor Sub(Tensor other) => Binary(BinaryOp.Sub, "Sub", this, other);
    /// <summary>this * other, broadcast.</summary>
    public Tensor Mul(Tensor other) => Binary(BinaryOp.Mul, "Mul", this, other);
    /// <summary>this / other, broadcast; true division (integers give float32).</summary>
    public Tensor Div(Tensor other) => Binary(BinaryOp.Div, "Div", this, other);
    /// <summary>this ^ exponent, broadcast.</summary>
    public Tensor Pow(Tensor exponent) => Binary(BinaryOp.Pow, "Pow", this, exponent);
    /// <summary>this ^ exponent.</summary>
    public Tensor Pow(double exponent) { using var e = Num(exponent); return Pow(e); }
    /// <summary>this ^ exponent (an integer tensor stays integer).</summary>
    public Tensor Pow(long exponent) { using var e = Num(exponent); return Pow(e); }
    /// <summary>The elementwise larger value, NaN if either is NaN.</summary>
    public Tensor Maximum(Tensor other) => Binary(BinaryOp.Maximum, "Maximum", this, other);
    /// <summary>The elementwise smaller value, NaN if either is NaN.</summary>
    public Tensor Minimum(Tensor other) => Binary(BinaryOp.Minimum, "Minimum", this, other);

    /// <summary>Values limited to [min, max]; either bound may be omitted.</summary>
    public Tensor Clamp(double? min = null, double? max = null)
    {
        if (min is null && max is null) throw new ArgumentException("Clamp: give at least one of min and max.");
        Tensor result = ViewAs("Clamp");
        if (min is double lo) { using var l = Num(lo); using var old = result; result = old.Maximum(l); }
        if (max is double hi) { using var h = Num(hi); using var old = result; result = old.Minimum(h); }
        return result;
    }

    /// <summary>this += other, in place (other broadcasts to this shape). Returns this tensor.</summary>
    public Tensor Add_(Tensor other) => Binary(BinaryOp.Add, "Add_", this, other, this);
    /// <summary>this -= other, in place. Returns this tensor.</summary>
    public Tensor Sub_(Tensor other) => Binary(BinaryOp.Sub, "Sub_", this, other, this);
    /// <summary>this *= other, in place. Returns this tensor.</summary>
    public Tensor Mul_(Tensor other) => Binary(BinaryOp.Mul, "Mul_", this, other, this);
    /// <summary>this /= other, in place. Returns this tensor.</summary>
    public Tensor Div_(Tensor other) => Binary(BinaryOp.Div, "Div_", this, other, this);
    /// <summary>this += value, in place.</summary>
    public Tensor Add_(double value) { using var v = Num(value); return Add_(v); }
    /// <summary>this -= value, in place.</summary>
    public Tensor Sub_(double value) { using var v = Num(value); return Sub_(v); }
    /// <summary>this *= value, in place.</summary>
    public Tensor Mul_(double value) { using var v = Num(value); return Mul_(v); }
    /// <summary>this /= value, in place.</summary>
    public Tensor Div_(double value) { using var v = Num(value); return Div_(v); }

    private static Tensor Compare(CompareOp op, Tensor a, Tensor b)
    {
        string name = op.ToString();
        var device = SameDevice(name, a, b);
        var dtype = TypePromotion.ResultType(a, b);
        var shape = Broadcasting.Shape(name, a.Layout.Shape, b.Layout.Shape);
        using var noGrad = Autograd.Suspend();
        using var ca = a.To(dtype);
        using var cb = b.To(dtype);
        var result = Allocate(shape, DType.Bool, device);
        result.Backend.Compare(op, ca.StorageFor(name), ca.Layout.BroadcastTo(shape), cb.StorageFor(name), cb.Layout.BroadcastTo(shape),
            result._storage, result.Layout);
        return result;
    }

    /// <summary>Elementwise this == other (Bool).</summary>
    public Tensor Eq(Tensor other) => Compare(CompareOp.Eq, this, other);
    /// <summary>Elementwise this != other (Bool).</summary>
    public Tensor Ne(Tensor other) => Compare(CompareOp.Ne, this, other);
    /// <summary>Elementwise this &lt; other (Bool).</summary>
    public Tensor Lt(Tensor other) => Compare(CompareOp.Lt, this, other);
    /// <summary>Elementwise this &lt;= other (Bool).</summary>
    public Tensor Le(Tensor other) => Compare(CompareOp.Le, this, other);
    /// <summary>Elementwise this &gt; other (Bool).</summary>
    public Tensor Gt(Tensor other) => Compare(CompareOp.Gt, this, other);
    /// <summary>Elementwise this &gt;= other (Bool).</summary>
    public Tensor Ge(Tensor other) => Compare(CompareOp.Ge, this, other);
    /// <summary>Elementwise this == value (Bool).</summary>
    public Tensor Eq(double value) { using var v = Num(value); return Eq(v); }
    /// <summary>Elementwise this != value (Bool).</summary>
    public Tensor Ne(double value) { using var v = Num(value); return Ne(v); }
    /// <summary>Elementwise this &lt; value (Bool).</summary>
    public Tensor Lt(double value) { using var v = Num(value); return Lt(v); }
    /// <summary>Elementwise this &lt;= value (Bool).</summary>
    public Tensor Le(double value) { using var v = Num(value); return Le(v); }
    /// <summary>Elementwise this &gt; value (Bool).</summary>
    public Tensor Gt(double value) { using var v = Num(value); return Gt(v); }
    /// <summary>Elementwise this &gt;= value (Bool).</summary>
    public Tensor Ge(double value) { using var v = Num(value); return Ge(v); }

    /// <summary><paramref name="x"/> where <paramref name="condition"/> is true, else <paramref name="y"/>; all three broadcast.</summary>
    public static Tensor Where(Tensor condition, Tensor x, Tensor y)
    {
        if (condition.DType != DType.Bool)
            throw new ArgumentException($"Where: the condition must be a Bool tensor but is {condition.DType.Name()}; build it with a comparison such as t.Gt(0).");
        var device = SameDevice("Where", condition, x, y);
        var dtype = TypePromotion.ResultType(x, y);
        var shape = Broadcasting.ShapeOfAll("Where", condition.Shape, x.Shape, y.Shape);
        bool record = Autograd.ShouldRecord(x, y);
        var result = Allocate(shape, dtype, device);
        using (Autograd.Suspend())
        using (var cx = x.To(dtype))
        using (var cy = y.To(dtype))
            result.Backend.Where(condition.StorageFor("Where"), condition.Layout.BroadcastTo(shape), cx.StorageFor("Where"), cx.Layout.BroadcastTo(shape),
                cy.StorageFor("Where"), cy.Layout.BroadcastTo(shape), result._storage, result.Layout);
        return record ? result.Record(new Graph.WhereBackward(condition, x, y)) : result;
    }

    /// <summary><paramref name="x"/> where <paramref name="condition"/> is true, else the number <paramref name="y"/>.</summary>
    public static Tensor Where(Tensor condition, Tensor x, double y) { using var v = x.Num(y); return Where(condition, x, v); }

    /// <summary>The number <paramref name="x"/> where <paramref name="condition"/> is true, else <paramref name="y"/>.</summary>
    public static Tensor Where(Tensor condition, double x, Tensor y) { using var v = y.Num(x); return Where(condition, v, y); }
}
