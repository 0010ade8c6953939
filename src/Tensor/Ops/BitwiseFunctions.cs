using System.Numerics;
using System.Numerics.Tensors;

namespace Tensors.Ops;

// Bitwise functions of integers; on Bool (bytes holding 0 or 1) and/or/xor are the logical ones.

internal struct BitwiseAndFn<T> : IBinaryFn<T> where T : unmanaged, IBinaryInteger<T>
{
    public static T Apply(T a, T b) => a & b;
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.BitwiseAnd(a, b, d);
    public static void Apply(ReadOnlySpan<T> a, T b, Span<T> d) => TensorPrimitives.BitwiseAnd(a, b, d);
    public static void Apply(T a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.BitwiseAnd(b, a, d);
}

internal struct BitwiseOrFn<T> : IBinaryFn<T> where T : unmanaged, IBinaryInteger<T>
{
    public static T Apply(T a, T b) => a | b;
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.BitwiseOr(a, b, d);
    public static void Apply(ReadOnlySpan<T> a, T b, Span<T> d) => TensorPrimitives.BitwiseOr(a, b, d);
    public static void Apply(T a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.BitwiseOr(b, a, d);
}

internal struct BitwiseXorFn<T> : IBinaryFn<T> where T : unmanaged, IBinaryInteger<T>
{
    public static T Apply(T a, T b) => a ^ b;
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Xor(a, b, d);
    public static void Apply(ReadOnlySpan<T> a, T b, Span<T> d) => TensorPrimitives.Xor(a, b, d);
    public static void Apply(T a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Xor(b, a, d);
}

internal struct BitwiseNotFn<T> : IUnaryFn<T> where T : unmanaged, IBinaryInteger<T>
{
    public static T Apply(T x) => ~x;
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.OnesComplement(x, d);
}

/// <summary>Not on Bool bytes (0 or 1): flipping every bit would give 254 and 255.</summary>
internal struct LogicalNotFn : IUnaryFn<byte>
{
    public static byte Apply(byte x) => (byte)(x ^ 1);
    public static void Apply(ReadOnlySpan<byte> x, Span<byte> d) => TensorPrimitives.Xor(x, (byte)1, d);
}
