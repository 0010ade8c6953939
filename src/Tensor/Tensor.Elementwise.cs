using Tensors.Backends;
using Tensors.Fusion;

namespace Tensors;

// Elementwise ops: promote dtypes, broadcast shapes, check devices, then one backend primitive.
public sealed partial class Tensor
{
    private Tensor Unary(UnaryOp op, bool floating)
    {
        string name = OpName<UnaryOp>.Of(op);
        CheckAlive(name);
        if (DType == DType.Bool && !floating && op != UnaryOp.BitwiseNot)
            throw new ArgumentException($"{name}: not supported for bool tensors; convert with To(DType.Int64) or To(DType.Float32) first.");
        if (floating && !DType.IsFloatingPoint())
        {
            // Like PyTorch, integer inputs of floating functions compute in the default float dtype.
            using var f = To(DType.Float32);
            return f.Unary(op, true);
        }
        var result = DeferUnary(op);
        if (result is null)
        {
            result = Allocate(Layout.Shape, DType, Device);
            Backend.Unary(op, Storage, Layout, result.Storage, result.Layout);
        }
        return Autograd.ShouldRecord(this) ? result.Record(new Graph.UnaryBackward(op, this, result)) : result;
    }

    /// <summary>-x.</summary>
    public Tensor Neg() => Unary(UnaryOp.Neg, false);
    /// <summary>|x| (an integer MinValue stays MinValue, as in PyTorch).</summary>
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
    /// <summary>Rounds toward zero; integer tensors are returned as a copy (PyTorch's <c>trunc</c>).</summary>
    public Tensor Trunc() => DType.IsFloatingPoint() ? Unary(UnaryOp.Trunc, false) : Clone();

    /// <summary>Runs a binary primitive after promotion and broadcasting. <paramref name="into"/> is the
    /// destination for in-place forms (its shape and dtype win). Div is true division (integers give float32)
    /// unless <paramref name="integerDivision"/> asks for the truncating integer kernel.</summary>
    private static Tensor Binary(BinaryOp op, string name, Tensor a, Tensor b, Tensor? into = null, bool integerDivision = false)
    {
        var device = SameDevice(name, a, b);
        var dtype = TypePromotion.ResultType(a, b);
        if ((op == BinaryOp.Div && !integerDivision || op == BinaryOp.Atan2) && !dtype.IsFloatingPoint()) dtype = DType.Float32; // like Python's /
        if (op == BinaryOp.Sub && (a.DType == DType.Bool || b.DType == DType.Bool))
            throw new ArgumentException(
                $"{name}: subtraction, the - operator, with a bool tensor is not supported; to invert a mask use ~ or LogicalNot(), to compare two use ^ or LogicalXor().");
        op = BoolForm(op, name, dtype);
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
            if (into.Numel == 0) return into;
            if (into.RecordsInPlace(b) && into.RecordInPlace(name, b, Replay(op, name, b), keepsOldValue: op is not (BinaryOp.Add or BinaryOp.Sub))) return into;
        }
        if (op == BinaryOp.Pow && b.IsWrappedNumber && !dtype.IsFloatingPoint() && b.Item<long>() < 0)
            throw new ArgumentException($"{name}: integers to negative integer powers are not allowed (exponent {b.Item<long>()} for a {dtype.Name()} tensor); use a floating-point base, e.g. To(DType.Float32).");
        var result = into ?? Allocate(shape, dtype, device);
        using (Autograd.Suspend())
        {
            bool copied = false;
            var safeB = into is null ? b : MemoryOverlap.SafeInput(name, into, b, out copied);
            using var copy = copied ? safeB : null;
            using var ca = a.As(dtype);
            using var cb = safeB.As(dtype);
            if (op is BinaryOp.Div or BinaryOp.FloorDivide or BinaryOp.Remainder && !dtype.IsFloatingPoint()) CheckNoZero(name, cb.Tensor);
            bool deferred = into is null && Deferral.Fuses(op) && Deferral.Allows(result._buffer, dtype, result.Numel)
                && TryDeferBinary(op, ca.Tensor, cb.Tensor, shape, result);
            if (!deferred) result.Backend.Binary(op, ca.Tensor.StorageFor(name), ca.Tensor.Layout.BroadcastTo(shape), cb.Tensor.StorageFor(name),
                cb.Tensor.Layout.BroadcastTo(shape), result.Storage, result.Layout);
        }
        if (into is not null) into.Storage.BumpVersion();
        return record ? result.Record(new Graph.BinaryBackward(op, a, b, result)) : result;
    }

    // The in-place op as a function of the destination, for autograd. A method of its own: the lambda's captures
    // would otherwise be allocated on entry to Binary, by every op, recorded or not.
    private static Func<Tensor, Tensor> Replay(BinaryOp op, string name, Tensor b) => x => Binary(op, name, x, b);

    // On Bool, + and Maximum are "or", * and Minimum are "and", as in PyTorch; the rest have no bool meaning.
    private static BinaryOp BoolForm(BinaryOp op, string name, DType dtype)
    {
        if (dtype != DType.Bool) return op;
        return op switch
        {
            BinaryOp.Add or BinaryOp.Maximum => BinaryOp.BitwiseOr,
            BinaryOp.Mul or BinaryOp.Minimum => BinaryOp.BitwiseAnd,
            BinaryOp.BitwiseAnd or BinaryOp.BitwiseOr or BinaryOp.BitwiseXor => op,
            _ => throw new ArgumentException($"{name}: not supported for two bool tensors; convert with To(DType.Int64) first."),
        };
    }

    // Integer division by zero has no value: PyTorch raises ZeroDivisionError, and so do we, before any kernel runs.
    private static void CheckNoZero(string name, Tensor divisor)
    {
        using var zero = divisor.Eq(0);
        using var any = zero.Numel > 0 ? zero.Max() : null;
        if (any is not null && any.Item<int>() != 0)
            throw new DivideByZeroException(
                $"{name}: integer division by zero (the {divisor.DType.Name()} divisor of shape {Layout.Format(divisor.Layout.Shape)} holds a 0); " +
                "convert to a floating dtype for IEEE results (inf, NaN).");
    }

    private Tensor Num(Scalar value) => Wrap(value, Device);

    /// <summary>this + other, broadcast.</summary>
    /// <param name="other">The tensor to add; broadcast against this tensor (NumPy rules), and both are promoted to a
    /// common dtype.</param>
    /// <exception cref="ArgumentException">The shapes cannot be broadcast together.</exception>
    /// <exception cref="InvalidOperationException">The operands are on different devices.</exception>
    public Tensor Add(Tensor other) => Binary(BinaryOp.Add, "Add", this, other);
    /// <summary>this - other, broadcast.</summary>
    /// <param name="other">The tensor to subtract; broadcast against this tensor (NumPy rules), and both are promoted
    /// to a common dtype.</param>
    /// <exception cref="ArgumentException">The shapes cannot be broadcast together, or a Bool tensor is
    /// subtracted.</exception>
    /// <exception cref="InvalidOperationException">The operands are on different devices.</exception>
    public Tensor Sub(Tensor other) => Binary(BinaryOp.Sub, "Sub", this, other);
    /// <summary>this * other, broadcast.</summary>
    /// <param name="other">The tensor to multiply by; broadcast against this tensor (NumPy rules), and both are
    /// promoted to a common dtype.</param>
    /// <exception cref="ArgumentException">The shapes cannot be broadcast together.</exception>
    /// <exception cref="InvalidOperationException">The operands are on different devices.</exception>
    public Tensor Mul(Tensor other) => Binary(BinaryOp.Mul, "Mul", this, other);
    /// <summary>this / other, broadcast; true division (integers give float32).</summary>
    /// <param name="other">The divisor; broadcast against this tensor (NumPy rules), and both are promoted to a common
    /// dtype.</param>
    /// <exception cref="ArgumentException">The shapes cannot be broadcast together.</exception>
    /// <exception cref="InvalidOperationException">The operands are on different devices.</exception>
    public Tensor Div(Tensor other) => Binary(BinaryOp.Div, "Div", this, other);
    /// <summary>this + value (an integer value keeps an integer tensor integer).</summary>
    /// <param name="value">The number, as a Python number is in PyTorch: an integer keeps an integer tensor integer, a
    /// floating-point number makes the result floating point.</param>
    public Tensor Add(Scalar value) { using var v = Num(value); return Add(v); }
    /// <summary>this - value.</summary>
    /// <param name="value">The number, as a Python number is in PyTorch: an integer keeps an integer tensor integer, a
    /// floating-point number makes the result floating point.</param>
    public Tensor Sub(Scalar value) { using var v = Num(value); return Sub(v); }
    /// <summary>this * value.</summary>
    /// <param name="value">The number, as a Python number is in PyTorch: an integer keeps an integer tensor integer, a
    /// floating-point number makes the result floating point.</param>
    public Tensor Mul(Scalar value) { using var v = Num(value); return Mul(v); }
    /// <summary>this / value; true division (integers give float32).</summary>
    /// <param name="value">The number, as a Python number is in PyTorch: an integer keeps an integer tensor integer, a
    /// floating-point number makes the result floating point.</param>
    public Tensor Div(Scalar value) { using var v = Num(value); return Div(v); }
    /// <summary>this ^ exponent, broadcast. Integer tensors stay integer; a negative integer exponent tensor gives
    /// PyTorch's values (1 for base 1, ±1 for base -1, else 0).</summary>
    /// <param name="exponent">The powers; broadcast against this tensor, and both are promoted to a common
    /// dtype.</param>
    /// <exception cref="ArgumentException">The shapes cannot be broadcast together (the message names both
    /// shapes).</exception>
    /// <exception cref="InvalidOperationException">The operands are on different devices.</exception>
    public Tensor Pow(Tensor exponent) => Binary(BinaryOp.Pow, "Pow", this, exponent);
    /// <summary>this ^ exponent; an integer tensor to an integer power stays integer (a negative one is refused).</summary>
    /// <param name="exponent">The power, as a Python number: an integer keeps an integer tensor integer.</param>
    /// <exception cref="ArgumentException">This tensor is an integer tensor and <paramref name="exponent"/> a negative
    /// integer.</exception>
    public Tensor Pow(Scalar exponent) { using var e = Num(exponent); return Pow(e); }
    /// <summary><paramref name="self"/> ^ exponent with a number as the base (PyTorch's <c>torch.pow(2, t)</c>).</summary>
    /// <param name="self">The base (PyTorch's <c>self</c>, a number).</param>
    /// <param name="exponent">The powers, element by element.</param>
    public static Tensor Pow(Scalar self, Tensor exponent) { using var s = exponent.Num(self); return s.Pow(exponent); }
    /// <summary>The elementwise larger value, NaN if either is NaN (on Bool: or).</summary>
    /// <param name="other">The tensor to compare with; broadcast against this tensor (NumPy rules), and both are
    /// promoted to a common dtype.</param>
    /// <exception cref="ArgumentException">The shapes cannot be broadcast together (the message names both
    /// shapes).</exception>
    /// <exception cref="InvalidOperationException">The operands are on different devices.</exception>
    public Tensor Maximum(Tensor other) => Binary(BinaryOp.Maximum, "Maximum", this, other);
    /// <summary>The elementwise smaller value, NaN if either is NaN (on Bool: and).</summary>
    /// <param name="other">The tensor to compare with; broadcast against this tensor (NumPy rules), and both are
    /// promoted to a common dtype.</param>
    /// <exception cref="ArgumentException">The shapes cannot be broadcast together (the message names both
    /// shapes).</exception>
    /// <exception cref="InvalidOperationException">The operands are on different devices.</exception>
    public Tensor Minimum(Tensor other) => Binary(BinaryOp.Minimum, "Minimum", this, other);

    /// <summary>this += other, in place (other broadcasts to this shape). Returns this tensor.</summary>
    /// <param name="other">The tensor to add; it broadcasts to this tensor's shape (this tensor's shape and dtype
    /// win).</param>
    /// <returns>This tensor, for chaining.</returns>
    /// <exception cref="ArgumentException"><paramref name="other"/> does not broadcast to this tensor's shape, or the
    /// result's dtype cannot be stored in this tensor's dtype (e.g. a float result into an integer tensor).</exception>
    /// <exception cref="InvalidOperationException">The operands are on different devices, or this tensor cannot be
    /// written in place (its elements overlap, as after Expand, or autograd forbids it).</exception>
    public Tensor Add_(Tensor other) => Binary(BinaryOp.Add, "Add_", this, other, this);
    /// <summary>this -= other, in place. Returns this tensor.</summary>
    /// <param name="other">The tensor to subtract; it broadcasts to this tensor's shape (this tensor's shape and dtype
    /// win).</param>
    /// <returns>This tensor, for chaining.</returns>
    /// <exception cref="ArgumentException"><paramref name="other"/> does not broadcast to this tensor's shape, or the
    /// result's dtype cannot be stored in this tensor's dtype (e.g. a float result into an integer tensor).</exception>
    /// <exception cref="InvalidOperationException">The operands are on different devices, or this tensor cannot be
    /// written in place (its elements overlap, as after Expand, or autograd forbids it).</exception>
    public Tensor Sub_(Tensor other) => Binary(BinaryOp.Sub, "Sub_", this, other, this);
    /// <summary>this *= other, in place. Returns this tensor.</summary>
    /// <param name="other">The tensor to multiply by; it broadcasts to this tensor's shape (this tensor's shape and
    /// dtype win).</param>
    /// <returns>This tensor, for chaining.</returns>
    /// <exception cref="ArgumentException"><paramref name="other"/> does not broadcast to this tensor's shape, or the
    /// result's dtype cannot be stored in this tensor's dtype (e.g. a float result into an integer tensor).</exception>
    /// <exception cref="InvalidOperationException">The operands are on different devices, or this tensor cannot be
    /// written in place (its elements overlap, as after Expand, or autograd forbids it).</exception>
    public Tensor Mul_(Tensor other) => Binary(BinaryOp.Mul, "Mul_", this, other, this);
    /// <summary>this /= other, in place (true division: refused into an integer tensor). Returns this tensor.</summary>
    /// <param name="other">The divisor; it broadcasts to this tensor's shape (this tensor's shape and dtype
    /// win).</param>
    /// <returns>This tensor, for chaining.</returns>
    /// <exception cref="ArgumentException"><paramref name="other"/> does not broadcast to this tensor's shape, or the
    /// result's dtype cannot be stored in this tensor's dtype (true division into an integer tensor).</exception>
    /// <exception cref="InvalidOperationException">The operands are on different devices, or this tensor cannot be
    /// written in place (its elements overlap, as after Expand, or autograd forbids it).</exception>
    public Tensor Div_(Tensor other) => Binary(BinaryOp.Div, "Div_", this, other, this);
    /// <summary>this += value, in place; an integer tensor takes an integer value.</summary>
    /// <param name="value">The number; the result keeps this tensor's dtype, so an integer tensor takes only an integer
    /// number.</param>
    /// <returns>This tensor, for chaining.</returns>
    /// <exception cref="ArgumentException">The result's dtype cannot be stored in this tensor's dtype.</exception>
    /// <exception cref="InvalidOperationException">This tensor cannot be written in place (its elements overlap, as
    /// after Expand, or autograd forbids it).</exception>
    public Tensor Add_(Scalar value) { using var v = Num(value); return Add_(v); }
    /// <summary>this -= value, in place.</summary>
    /// <param name="value">The number; the result keeps this tensor's dtype, so an integer tensor takes only an integer
    /// number.</param>
    /// <returns>This tensor, for chaining.</returns>
    /// <exception cref="ArgumentException">The result's dtype cannot be stored in this tensor's dtype.</exception>
    /// <exception cref="InvalidOperationException">This tensor cannot be written in place (its elements overlap, as
    /// after Expand, or autograd forbids it).</exception>
    public Tensor Sub_(Scalar value) { using var v = Num(value); return Sub_(v); }
    /// <summary>this *= value, in place.</summary>
    /// <param name="value">The number; the result keeps this tensor's dtype, so an integer tensor takes only an integer
    /// number.</param>
    /// <returns>This tensor, for chaining.</returns>
    /// <exception cref="ArgumentException">The result's dtype cannot be stored in this tensor's dtype.</exception>
    /// <exception cref="InvalidOperationException">This tensor cannot be written in place (its elements overlap, as
    /// after Expand, or autograd forbids it).</exception>
    public Tensor Mul_(Scalar value) { using var v = Num(value); return Mul_(v); }
    /// <summary>this /= value, in place.</summary>
    /// <param name="value">The number; the result keeps this tensor's dtype, so an integer tensor takes only an integer
    /// number (true division is refused into an integer tensor).</param>
    /// <returns>This tensor, for chaining.</returns>
    /// <exception cref="ArgumentException">The result's dtype cannot be stored in this tensor's dtype.</exception>
    /// <exception cref="InvalidOperationException">This tensor cannot be written in place (its elements overlap, as
    /// after Expand, or autograd forbids it).</exception>
    public Tensor Div_(Scalar value) { using var v = Num(value); return Div_(v); }
}
