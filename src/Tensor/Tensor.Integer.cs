using Tensors.Backends;

namespace Tensors;

// Division with rounding, remainders, and the bitwise and logical ops of integer and bool tensors.
public sealed partial class Tensor
{
    /// <summary>this / other with PyTorch's <c>rounding_mode</c>: null for true division, <c>"trunc"</c> to round
    /// toward zero, <c>"floor"</c> to round down (Python's <c>//</c>). With a rounding mode, integer tensors stay
    /// integer, and an integer division by zero throws <see cref="DivideByZeroException"/>.</summary>
    /// <param name="other">The divisor; broadcast against this tensor.</param>
    /// <param name="roundingMode">PyTorch's <c>rounding_mode</c>: null for true division, <c>"trunc"</c> or
    /// <c>"floor"</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="roundingMode"/> is not null, "trunc" or "floor", or the
    /// shapes cannot be broadcast together.</exception>
    /// <exception cref="DivideByZeroException">An integer division with a rounding mode meets a zero
    /// divisor.</exception>
    /// <exception cref="InvalidOperationException">The operands are on different devices.</exception>
    public Tensor Div(Tensor other, string? roundingMode) => roundingMode switch
    {
        null => Div(other),
        "floor" => Binary(BinaryOp.FloorDivide, "Div", this, other),
        "trunc" => TruncDivide(other),
        _ => throw new ArgumentException($"Div: rounding mode '{roundingMode}' is not one of null, \"trunc\" or \"floor\".", nameof(roundingMode)),
    };

    /// <summary>this / value with a rounding mode (see <see cref="Div(Tensor, string?)"/>).</summary>
    /// <param name="value">The divisor, a number.</param>
    /// <param name="roundingMode">PyTorch's <c>rounding_mode</c>: null for true division, <c>"trunc"</c> or
    /// <c>"floor"</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="roundingMode"/> is not null, "trunc" or "floor".</exception>
    /// <exception cref="DivideByZeroException">An integer division with a rounding mode by zero.</exception>
    public Tensor Div(Scalar value, string? roundingMode) { using var v = Num(value); return Div(v, roundingMode); }

    private Tensor TruncDivide(Tensor other)
    {
        // Integer division truncates already; floats divide, then round toward zero.
        if (!TypePromotion.ResultType(this, other).IsFloatingPoint()) return Binary(BinaryOp.Div, "Div", this, other, integerDivision: true);
        using var q = Div(other);
        return q.Trunc(); // zero gradient, as PyTorch gives for rounded division
    }

    /// <summary>floor(this / other), Python's <c>//</c> (PyTorch's <c>floor_divide</c>).</summary>
    /// <param name="other">The divisor; broadcast against this tensor, and both are promoted to a common dtype.</param>
    /// <exception cref="ArgumentException">The shapes cannot be broadcast together (the message names both
    /// shapes).</exception>
    /// <exception cref="DivideByZeroException">Integer tensors and a zero divisor.</exception>
    /// <exception cref="InvalidOperationException">The operands are on different devices.</exception>
    public Tensor FloorDivide(Tensor other) => Binary(BinaryOp.FloorDivide, "FloorDivide", this, other);
    /// <summary>floor(this / value).</summary>
    /// <param name="value">The divisor, a number.</param>
    /// <exception cref="DivideByZeroException">An integer tensor and a zero divisor.</exception>
    public Tensor FloorDivide(Scalar value) { using var v = Num(value); return FloorDivide(v); }

    /// <summary>this - floor(this / other) * other: Python's <c>%</c>, whose result has the sign of the divisor
    /// (PyTorch's <c>remainder</c>).</summary>
    /// <param name="other">The divisor; broadcast against this tensor, and both are promoted to a common dtype.</param>
    /// <exception cref="ArgumentException">The shapes cannot be broadcast together (the message names both
    /// shapes).</exception>
    /// <exception cref="DivideByZeroException">Integer tensors and a zero divisor.</exception>
    /// <exception cref="InvalidOperationException">The operands are on different devices.</exception>
    public Tensor Remainder(Tensor other) => Binary(BinaryOp.Remainder, "Remainder", this, other);
    /// <summary>The remainder of division by <paramref name="value"/>, with its sign.</summary>
    /// <param name="value">The divisor, a number.</param>
    /// <exception cref="DivideByZeroException">An integer tensor and a zero divisor.</exception>
    public Tensor Remainder(Scalar value) { using var v = Num(value); return Remainder(v); }

    // The bitwise ops: integers and bool only, refused here with the operands' dtypes named.
    private static Tensor IntegerBinary(BinaryOp op, string name, Tensor a, Tensor b)
    {
        if (TypePromotion.ResultType(a, b).IsFloatingPoint())
            throw new ArgumentException($"{name}: not supported for {a.DType.Name()} and {b.DType.Name()}; bitwise ops take integer or bool tensors.");
        return Binary(op, name, a, b);
    }

    /// <summary>Bitwise and of integer tensors; logical and of bool tensors.</summary>
    /// <param name="other">An integer or Bool tensor; broadcast against this tensor.</param>
    /// <exception cref="ArgumentException">Either operand is floating point, or the shapes cannot be broadcast
    /// together.</exception>
    /// <exception cref="InvalidOperationException">The operands are on different devices.</exception>
    public Tensor BitwiseAnd(Tensor other) => IntegerBinary(BinaryOp.BitwiseAnd, "BitwiseAnd", this, other);
    /// <summary>Bitwise or of integer tensors; logical or of bool tensors.</summary>
    /// <param name="other">An integer or Bool tensor; broadcast against this tensor.</param>
    /// <exception cref="ArgumentException">Either operand is floating point, or the shapes cannot be broadcast
    /// together.</exception>
    /// <exception cref="InvalidOperationException">The operands are on different devices.</exception>
    public Tensor BitwiseOr(Tensor other) => IntegerBinary(BinaryOp.BitwiseOr, "BitwiseOr", this, other);
    /// <summary>Bitwise exclusive or of integer tensors; logical xor of bool tensors.</summary>
    /// <param name="other">An integer or Bool tensor; broadcast against this tensor.</param>
    /// <exception cref="ArgumentException">Either operand is floating point, or the shapes cannot be broadcast
    /// together.</exception>
    /// <exception cref="InvalidOperationException">The operands are on different devices.</exception>
    public Tensor BitwiseXor(Tensor other) => IntegerBinary(BinaryOp.BitwiseXor, "BitwiseXor", this, other);
    /// <summary>Every bit flipped (integers); not (bool).</summary>
    /// <exception cref="ArgumentException">The tensor is floating point.</exception>
    public Tensor BitwiseNot()
    {
        if (DType.IsFloatingPoint())
            throw new ArgumentException($"BitwiseNot: not supported for {DType.Name()}; bitwise ops take integer or bool tensors.");
        return Unary(UnaryOp.BitwiseNot, false);
    }

    private Tensor Truth() => DType == DType.Bool ? ViewAs("Logical") : Ne(0);

    private static Tensor Logical(BinaryOp op, Tensor a, Tensor b)
    {
        using var _ = Autograd.Suspend();
        using var ta = a.Truth();
        using var tb = b.Truth();
        return Binary(op, "Logical" + op.ToString()[7..], ta, tb);
    }

    /// <summary>Elementwise (this != 0) and (other != 0), as Bool.</summary>
    /// <param name="other">A tensor of any dtype, read as (other != 0); broadcast against this tensor.</param>
    /// <exception cref="ArgumentException">The shapes cannot be broadcast together (the message names both
    /// shapes).</exception>
    /// <exception cref="InvalidOperationException">The operands are on different devices.</exception>
    public Tensor LogicalAnd(Tensor other) => Logical(BinaryOp.BitwiseAnd, this, other);
    /// <summary>Elementwise (this != 0) or (other != 0), as Bool.</summary>
    /// <param name="other">A tensor of any dtype, read as (other != 0); broadcast against this tensor.</param>
    /// <exception cref="ArgumentException">The shapes cannot be broadcast together (the message names both
    /// shapes).</exception>
    /// <exception cref="InvalidOperationException">The operands are on different devices.</exception>
    public Tensor LogicalOr(Tensor other) => Logical(BinaryOp.BitwiseOr, this, other);
    /// <summary>Elementwise (this != 0) xor (other != 0), as Bool.</summary>
    /// <param name="other">A tensor of any dtype, read as (other != 0); broadcast against this tensor.</param>
    /// <exception cref="ArgumentException">The shapes cannot be broadcast together (the message names both
    /// shapes).</exception>
    /// <exception cref="InvalidOperationException">The operands are on different devices.</exception>
    public Tensor LogicalXor(Tensor other) => Logical(BinaryOp.BitwiseXor, this, other);
    /// <summary>Elementwise this == 0, as Bool.</summary>
    public Tensor LogicalNot() => DType == DType.Bool ? BitwiseNot() : Eq(0);
}
