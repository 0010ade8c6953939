namespace Tensors;

// Operators forward to the named methods. There is deliberately no == or < returning a tensor:
// use Eq, Ne, Lt, Le, Gt, Ge, so that == keeps its .NET meaning. Numbers on either side are Scalars, so integer
// numbers keep integer tensors integer (int tensor * 2 is int), as with Python ints.
public sealed partial class Tensor
{
    /// <summary>a + b, broadcast.</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand; the two broadcast and are promoted to a common dtype.</param>
    /// <exception cref="ArgumentException">The shapes cannot be broadcast together, or the dtypes do not support the
    /// operator (the message says which).</exception>
    /// <exception cref="InvalidOperationException">The operands are on different devices.</exception>
    public static Tensor operator +(Tensor a, Tensor b) => a.Add(b);
    /// <summary>a - b, broadcast.</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand; the two broadcast and are promoted to a common dtype.</param>
    /// <exception cref="ArgumentException">The shapes cannot be broadcast together, or the dtypes do not support the
    /// operator (the message says which).</exception>
    /// <exception cref="InvalidOperationException">The operands are on different devices.</exception>
    public static Tensor operator -(Tensor a, Tensor b) => a.Sub(b);
    /// <summary>a * b, broadcast.</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand; the two broadcast and are promoted to a common dtype.</param>
    /// <exception cref="ArgumentException">The shapes cannot be broadcast together, or the dtypes do not support the
    /// operator (the message says which).</exception>
    /// <exception cref="InvalidOperationException">The operands are on different devices.</exception>
    public static Tensor operator *(Tensor a, Tensor b) => a.Mul(b);
    /// <summary>a / b, broadcast (true division).</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand; the two broadcast and are promoted to a common dtype.</param>
    /// <exception cref="ArgumentException">The shapes cannot be broadcast together, or the dtypes do not support the
    /// operator (the message says which).</exception>
    /// <exception cref="InvalidOperationException">The operands are on different devices.</exception>
    public static Tensor operator /(Tensor a, Tensor b) => a.Div(b);
    /// <summary>a % b, broadcast: Python's remainder, with the sign of b.</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand; the two broadcast and are promoted to a common dtype.</param>
    /// <exception cref="ArgumentException">The shapes cannot be broadcast together, or the dtypes do not support the
    /// operator (the message says which).</exception>
    /// <exception cref="InvalidOperationException">The operands are on different devices.</exception>
    /// <exception cref="DivideByZeroException">Integer operands and a zero divisor.</exception>
    public static Tensor operator %(Tensor a, Tensor b) => a.Remainder(b);
    /// <summary>-a.</summary>
    /// <param name="a">The tensor to negate.</param>
    public static Tensor operator -(Tensor a) => a.Neg();
    /// <summary>a &amp; b: bitwise and (logical and on bool).</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand; the two broadcast and are promoted to a common dtype.</param>
    /// <exception cref="ArgumentException">The shapes cannot be broadcast together, or the dtypes do not support the
    /// operator (the message says which).</exception>
    /// <exception cref="InvalidOperationException">The operands are on different devices.</exception>
    public static Tensor operator &(Tensor a, Tensor b) => a.BitwiseAnd(b);
    /// <summary>a | b: bitwise or (logical or on bool).</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand; the two broadcast and are promoted to a common dtype.</param>
    /// <exception cref="ArgumentException">The shapes cannot be broadcast together, or the dtypes do not support the
    /// operator (the message says which).</exception>
    /// <exception cref="InvalidOperationException">The operands are on different devices.</exception>
    public static Tensor operator |(Tensor a, Tensor b) => a.BitwiseOr(b);
    /// <summary>a ^ b: bitwise exclusive or (logical xor on bool).</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand; the two broadcast and are promoted to a common dtype.</param>
    /// <exception cref="ArgumentException">The shapes cannot be broadcast together, or the dtypes do not support the
    /// operator (the message says which).</exception>
    /// <exception cref="InvalidOperationException">The operands are on different devices.</exception>
    public static Tensor operator ^(Tensor a, Tensor b) => a.BitwiseXor(b);
    /// <summary>~a: bits flipped (logical not on bool).</summary>
    /// <param name="a">An integer or Bool tensor.</param>
    /// <exception cref="ArgumentException"><paramref name="a"/> is floating point.</exception>
    public static Tensor operator ~(Tensor a) => a.BitwiseNot();

    /// <summary>a + b.</summary>
    /// <param name="a">The tensor.</param>
    /// <param name="b">The number, as a Python number: an integer keeps an integer tensor integer.</param>
    public static Tensor operator +(Tensor a, Scalar b) { using var s = a.Num(b); return a.Add(s); }
    /// <summary>a + b.</summary>
    /// <param name="a">The number, as a Python number: an integer keeps an integer tensor integer.</param>
    /// <param name="b">The tensor.</param>
    public static Tensor operator +(Scalar a, Tensor b) { using var s = b.Num(a); return s.Add(b); }
    /// <summary>a - b.</summary>
    /// <param name="a">The tensor.</param>
    /// <param name="b">The number, as a Python number: an integer keeps an integer tensor integer.</param>
    public static Tensor operator -(Tensor a, Scalar b) { using var s = a.Num(b); return a.Sub(s); }
    /// <summary>a - b.</summary>
    /// <param name="a">The number, as a Python number: an integer keeps an integer tensor integer.</param>
    /// <param name="b">The tensor.</param>
    public static Tensor operator -(Scalar a, Tensor b) { using var s = b.Num(a); return s.Sub(b); }
    /// <summary>a * b.</summary>
    /// <param name="a">The tensor.</param>
    /// <param name="b">The number, as a Python number: an integer keeps an integer tensor integer.</param>
    public static Tensor operator *(Tensor a, Scalar b) { using var s = a.Num(b); return a.Mul(s); }
    /// <summary>a * b.</summary>
    /// <param name="a">The number, as a Python number: an integer keeps an integer tensor integer.</param>
    /// <param name="b">The tensor.</param>
    public static Tensor operator *(Scalar a, Tensor b) { using var s = b.Num(a); return s.Mul(b); }
    /// <summary>a / b (true division).</summary>
    /// <param name="a">The tensor.</param>
    /// <param name="b">The number, as a Python number: an integer keeps an integer tensor integer.</param>
    public static Tensor operator /(Tensor a, Scalar b) { using var s = a.Num(b); return a.Div(s); }
    /// <summary>a / b (true division).</summary>
    /// <param name="a">The number, as a Python number: an integer keeps an integer tensor integer.</param>
    /// <param name="b">The tensor.</param>
    public static Tensor operator /(Scalar a, Tensor b) { using var s = b.Num(a); return s.Div(b); }
    /// <summary>a % b (Python's remainder).</summary>
    /// <param name="a">The tensor.</param>
    /// <param name="b">The number, as a Python number: an integer keeps an integer tensor integer.</param>
    public static Tensor operator %(Tensor a, Scalar b) { using var s = a.Num(b); return a.Remainder(s); }
    /// <summary>a % b (Python's remainder).</summary>
    /// <param name="a">The number, as a Python number: an integer keeps an integer tensor integer.</param>
    /// <param name="b">The tensor.</param>
    public static Tensor operator %(Scalar a, Tensor b) { using var s = b.Num(a); return s.Remainder(b); }
    /// <summary>a &amp; b.</summary>
    /// <param name="a">An integer or Bool tensor.</param>
    /// <param name="b">An integer or bool number.</param>
    /// <exception cref="ArgumentException"><paramref name="a"/> is floating point or <paramref name="b"/> a
    /// floating-point number.</exception>
    public static Tensor operator &(Tensor a, Scalar b) { using var s = a.Num(b); return a.BitwiseAnd(s); }
    /// <summary>a | b.</summary>
    /// <param name="a">An integer or Bool tensor.</param>
    /// <param name="b">An integer or bool number.</param>
    /// <exception cref="ArgumentException"><paramref name="a"/> is floating point or <paramref name="b"/> a
    /// floating-point number.</exception>
    public static Tensor operator |(Tensor a, Scalar b) { using var s = a.Num(b); return a.BitwiseOr(s); }
    /// <summary>a ^ b.</summary>
    /// <param name="a">An integer or Bool tensor.</param>
    /// <param name="b">An integer or bool number.</param>
    /// <exception cref="ArgumentException"><paramref name="a"/> is floating point or <paramref name="b"/> a
    /// floating-point number.</exception>
    public static Tensor operator ^(Tensor a, Scalar b) { using var s = a.Num(b); return a.BitwiseXor(s); }
}
