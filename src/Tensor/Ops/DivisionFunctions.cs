using System.Numerics;

namespace Tensors.Ops;

/// <summary>The span forms of a binary function that has no SIMD form: its scalar form in a loop.</summary>
internal static class ScalarLoop
{
    public static void Run<T, TFn>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) where T : unmanaged where TFn : struct, IBinaryFn<T>
    {
        for (int i = 0; i < d.Length; i++) d[i] = TFn.Apply(a[i], b[i]);
    }

    public static void Run<T, TFn>(ReadOnlySpan<T> a, T b, Span<T> d) where T : unmanaged where TFn : struct, IBinaryFn<T>
    {
        for (int i = 0; i < d.Length; i++) d[i] = TFn.Apply(a[i], b);
    }

    public static void Run<T, TFn>(T a, ReadOnlySpan<T> b, Span<T> d) where T : unmanaged where TFn : struct, IBinaryFn<T>
    {
        for (int i = 0; i < d.Length; i++) d[i] = TFn.Apply(a, b[i]);
    }
}

// Integer division rounds toward zero. The tensor layer refuses zero divisors before a kernel runs; MinValue / -1
// wraps to MinValue as in C and PyTorch, where .NET would throw.
internal struct IntegerDivFn<T> : IBinaryFn<T> where T : unmanaged, IBinaryInteger<T>
{
    public static T Apply(T a, T b) => T.IsNegative(b) && b == -T.One ? T.Zero - a : a / b;
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => ScalarLoop.Run<T, IntegerDivFn<T>>(a, b, d);
    public static void Apply(ReadOnlySpan<T> a, T b, Span<T> d) => ScalarLoop.Run<T, IntegerDivFn<T>>(a, b, d);
    public static void Apply(T a, ReadOnlySpan<T> b, Span<T> d) => ScalarLoop.Run<T, IntegerDivFn<T>>(a, b, d);
}

/// <summary>Python's <c>a // b</c> on integers: the truncated quotient, one less when the signs differ and it is inexact.</summary>
internal struct IntegerFloorDivideFn<T> : IBinaryFn<T> where T : unmanaged, IBinaryInteger<T>
{
    public static T Apply(T a, T b)
    {
        T q = IntegerDivFn<T>.Apply(a, b);
        return q * b != a && T.IsNegative(a) != T.IsNegative(b) ? q - T.One : q;
    }
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => ScalarLoop.Run<T, IntegerFloorDivideFn<T>>(a, b, d);
    public static void Apply(ReadOnlySpan<T> a, T b, Span<T> d) => ScalarLoop.Run<T, IntegerFloorDivideFn<T>>(a, b, d);
    public static void Apply(T a, ReadOnlySpan<T> b, Span<T> d) => ScalarLoop.Run<T, IntegerFloorDivideFn<T>>(a, b, d);
}

/// <summary>Python's <c>a % b</c> on integers: the remainder takes the sign of b.</summary>
internal struct IntegerRemainderFn<T> : IBinaryFn<T> where T : unmanaged, IBinaryInteger<T>
{
    public static T Apply(T a, T b)
    {
        if (T.IsNegative(b) && b == -T.One) return T.Zero;
        T r = a % b;
        return r != T.Zero && T.IsNegative(r) != T.IsNegative(b) ? r + b : r;
    }
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => ScalarLoop.Run<T, IntegerRemainderFn<T>>(a, b, d);
    public static void Apply(ReadOnlySpan<T> a, T b, Span<T> d) => ScalarLoop.Run<T, IntegerRemainderFn<T>>(a, b, d);
    public static void Apply(T a, ReadOnlySpan<T> b, Span<T> d) => ScalarLoop.Run<T, IntegerRemainderFn<T>>(a, b, d);
}

/// <summary>PyTorch's floating floor division: from fmod rather than floor(a / b), so that the quotient is exact
/// (e.g. 1 // 0.1 is 9, as in Python); division by zero gives IEEE's a / b.</summary>
internal struct FloatFloorDivideFn<T> : IBinaryFn<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private static readonly T Half = T.CreateTruncating(0.5);

    public static T Apply(T a, T b)
    {
        if (b == T.Zero) return a / b;
        T mod = a % b; // C's fmod: the sign of a
        T div = (a - mod) / b;
        if (mod != T.Zero && T.IsNegative(b) != T.IsNegative(mod)) div -= T.One;
        if (div == T.Zero) return T.CopySign(T.Zero, a / b);
        T floor = T.Floor(div);
        return div - floor > Half ? floor + T.One : floor;
    }
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => ScalarLoop.Run<T, FloatFloorDivideFn<T>>(a, b, d);
    public static void Apply(ReadOnlySpan<T> a, T b, Span<T> d) => ScalarLoop.Run<T, FloatFloorDivideFn<T>>(a, b, d);
    public static void Apply(T a, ReadOnlySpan<T> b, Span<T> d) => ScalarLoop.Run<T, FloatFloorDivideFn<T>>(a, b, d);
}

/// <summary>PyTorch's floating remainder: fmod, moved into the sign of b.</summary>
internal struct FloatRemainderFn<T> : IBinaryFn<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T a, T b)
    {
        T mod = a % b;
        return mod != T.Zero && T.IsNegative(b) != T.IsNegative(mod) ? mod + b : mod;
    }
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => ScalarLoop.Run<T, FloatRemainderFn<T>>(a, b, d);
    public static void Apply(ReadOnlySpan<T> a, T b, Span<T> d) => ScalarLoop.Run<T, FloatRemainderFn<T>>(a, b, d);
    public static void Apply(T a, ReadOnlySpan<T> b, Span<T> d) => ScalarLoop.Run<T, FloatRemainderFn<T>>(a, b, d);
}

/// <summary>
/// Integer powers by repeated squaring (TensorPrimitives has no integer pow). A negative exponent gives what
/// PyTorch's <c>powi</c> gives: 1 for base 1, ±1 for base -1, else 0 (the tensor layer refuses a negative
/// exponent written as a number, as PyTorch does).
/// </summary>
internal struct IntegerPowFn<T> : IBinaryFn<T> where T : unmanaged, IBinaryInteger<T>
{
    public static T Apply(T a, T b)
    {
        if (T.IsNegative(b))
        {
            if (a == T.One) return T.One;
            if (T.IsNegative(a) && a == -T.One) return T.IsOddInteger(b) ? -T.One : T.One;
            return T.Zero;
        }
        T result = T.One;
        while (b > T.Zero)
        {
            if (T.IsOddInteger(b)) result *= a;
            a *= a;
            b >>= 1;
        }
        return result;
    }
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => ScalarLoop.Run<T, IntegerPowFn<T>>(a, b, d);
    public static void Apply(ReadOnlySpan<T> a, T b, Span<T> d) => ScalarLoop.Run<T, IntegerPowFn<T>>(a, b, d);
    public static void Apply(T a, ReadOnlySpan<T> b, Span<T> d) => ScalarLoop.Run<T, IntegerPowFn<T>>(a, b, d);
}
