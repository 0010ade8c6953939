using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using Tensors.Backends;

namespace Tensors.Ops;

/// <summary>A function of two values, in its scalar form and its three span forms (both spans, span with a
/// broadcast scalar on the right, on the left); ops that are one exact vector instruction also have vector forms,
/// for kernels that work on a few elements at a time (short runs), where a span call costs more than the work.</summary>
internal interface IBinaryFn<T> where T : unmanaged
{
    static abstract T Apply(T a, T b);
    static abstract void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d);
    static abstract void Apply(ReadOnlySpan<T> a, T b, Span<T> d);
    static abstract void Apply(T a, ReadOnlySpan<T> b, Span<T> d);

    /// <summary>True when the vector forms below exist and give, lane by lane, exactly the scalar form's result.</summary>
    static virtual bool Vectorizable => false;
    static virtual Vector128<T> Apply(Vector128<T> a, Vector128<T> b) => throw new NotSupportedException();
    static virtual Vector256<T> Apply(Vector256<T> a, Vector256<T> b) => throw new NotSupportedException();
}

internal struct AddFn<T> : IBinaryFn<T> where T : unmanaged, INumber<T>
{
    public static T Apply(T a, T b) => a + b;
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Add(a, b, d);
    public static void Apply(ReadOnlySpan<T> a, T b, Span<T> d) => TensorPrimitives.Add(a, b, d);
    public static void Apply(T a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Add(b, a, d);
    public static bool Vectorizable => true;
    public static Vector128<T> Apply(Vector128<T> a, Vector128<T> b) => Vector128.Add(a, b);
    public static Vector256<T> Apply(Vector256<T> a, Vector256<T> b) => Vector256.Add(a, b);
}

internal struct SubFn<T> : IBinaryFn<T> where T : unmanaged, INumber<T>
{
    public static T Apply(T a, T b) => a - b;
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Subtract(a, b, d);
    public static void Apply(ReadOnlySpan<T> a, T b, Span<T> d) => TensorPrimitives.Subtract(a, b, d);
    public static void Apply(T a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Subtract(a, b, d);
    public static bool Vectorizable => true;
    public static Vector128<T> Apply(Vector128<T> a, Vector128<T> b) => Vector128.Subtract(a, b);
    public static Vector256<T> Apply(Vector256<T> a, Vector256<T> b) => Vector256.Subtract(a, b);
}

internal struct MulFn<T> : IBinaryFn<T> where T : unmanaged, INumber<T>
{
    public static T Apply(T a, T b) => a * b;
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Multiply(a, b, d);
    public static void Apply(ReadOnlySpan<T> a, T b, Span<T> d) => TensorPrimitives.Multiply(a, b, d);
    public static void Apply(T a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Multiply(b, a, d);
    public static bool Vectorizable => true;
    public static Vector128<T> Apply(Vector128<T> a, Vector128<T> b) => Vector128.Multiply(a, b);
    public static Vector256<T> Apply(Vector256<T> a, Vector256<T> b) => Vector256.Multiply(a, b);
}

internal struct DivFn<T> : IBinaryFn<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T a, T b) => a / b;
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Divide(a, b, d);
    public static void Apply(ReadOnlySpan<T> a, T b, Span<T> d) => TensorPrimitives.Divide(a, b, d);
    public static void Apply(T a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Divide(a, b, d);
    public static bool Vectorizable => true;
    public static Vector128<T> Apply(Vector128<T> a, Vector128<T> b) => Vector128.Divide(a, b);
    public static Vector256<T> Apply(Vector256<T> a, Vector256<T> b) => Vector256.Divide(a, b);
}

internal struct MaximumFn<T> : IBinaryFn<T> where T : unmanaged, INumber<T>
{
    public static T Apply(T a, T b) => T.Max(a, b);
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Max(a, b, d);
    public static void Apply(ReadOnlySpan<T> a, T b, Span<T> d) => TensorPrimitives.Max(a, b, d);
    public static void Apply(T a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Max(b, a, d);
}

internal struct MinimumFn<T> : IBinaryFn<T> where T : unmanaged, INumber<T>
{
    public static T Apply(T a, T b) => T.Min(a, b);
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Min(a, b, d);
    public static void Apply(ReadOnlySpan<T> a, T b, Span<T> d) => TensorPrimitives.Min(a, b, d);
    public static void Apply(T a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Min(b, a, d);
}

internal struct PowFn<T> : IBinaryFn<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T a, T b) => T.Pow(a, b);
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Pow(a, b, d);
    public static void Apply(ReadOnlySpan<T> a, T b, Span<T> d)
    {
        // x^2 is by far the most common power (losses, RMSE); a multiply is exact and much faster than pow.
        if (b == T.CreateTruncating(2)) TensorPrimitives.Multiply(a, a, d);
        else TensorPrimitives.Pow(a, b, d);
    }
    public static void Apply(T a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Pow(a, b, d);
}

internal interface IBinaryRunner
{
    void Run<T, TFn>() where T : unmanaged, INumber<T> where TFn : struct, IBinaryFn<T>;
}

internal static class BinaryDispatch
{
    public static void Run<TRunner>(BinaryOp op, DType dtype, TRunner runner) where TRunner : struct, IBinaryRunner
    {
        switch (dtype)
        {
            case DType.Float32: Floating<float, TRunner>(op, runner); break;
            case DType.Float64: Floating<double, TRunner>(op, runner); break;
            case DType.Int32: Integer<int, TRunner>(op, runner); break;
            case DType.Int64: Integer<long, TRunner>(op, runner); break;
            case DType.UInt8: Integer<byte, TRunner>(op, runner); break;
            case DType.Bool when IsBitwise(op): Integer<byte, TRunner>(op, runner); break;
            default: throw UnaryDispatch.Unsupported(op.ToString(), dtype);
        }
    }

    private static bool IsBitwise(BinaryOp op) => op is BinaryOp.BitwiseAnd or BinaryOp.BitwiseOr or BinaryOp.BitwiseXor;

    private static void Floating<T, TRunner>(BinaryOp op, TRunner r)
        where T : unmanaged, IFloatingPointIeee754<T> where TRunner : struct, IBinaryRunner
    {
        switch (op)
        {
            case BinaryOp.Pow: r.Run<T, PowFn<T>>(); break;
            case BinaryOp.FloorDivide: r.Run<T, FloatFloorDivideFn<T>>(); break;
            case BinaryOp.Remainder: r.Run<T, FloatRemainderFn<T>>(); break;
            case BinaryOp.Div: r.Run<T, DivFn<T>>(); break;
            case BinaryOp.Atan2: r.Run<T, Atan2Fn<T>>(); break;
            default:
                if (IsBitwise(op)) throw UnaryDispatch.Unsupported(op.ToString(), DTypes.Of<T>());
                Arithmetic<T, TRunner>(op, r);
                break;
        }
    }

    private static void Integer<T, TRunner>(BinaryOp op, TRunner r)
        where T : unmanaged, IBinaryInteger<T> where TRunner : struct, IBinaryRunner
    {
        switch (op)
        {
            case BinaryOp.Pow: r.Run<T, IntegerPowFn<T>>(); break;
            case BinaryOp.Div: r.Run<T, IntegerDivFn<T>>(); break;
            case BinaryOp.FloorDivide: r.Run<T, IntegerFloorDivideFn<T>>(); break;
            case BinaryOp.Remainder: r.Run<T, IntegerRemainderFn<T>>(); break;
            case BinaryOp.BitwiseAnd: r.Run<T, BitwiseAndFn<T>>(); break;
            case BinaryOp.BitwiseOr: r.Run<T, BitwiseOrFn<T>>(); break;
            case BinaryOp.BitwiseXor: r.Run<T, BitwiseXorFn<T>>(); break;
            default: Arithmetic<T, TRunner>(op, r); break;
        }
    }

    // The functions every numeric type shares.
    private static void Arithmetic<T, TRunner>(BinaryOp op, TRunner r)
        where T : unmanaged, INumber<T> where TRunner : struct, IBinaryRunner
    {
        switch (op)
        {
            case BinaryOp.Add: r.Run<T, AddFn<T>>(); break;
            case BinaryOp.Sub: r.Run<T, SubFn<T>>(); break;
            case BinaryOp.Mul: r.Run<T, MulFn<T>>(); break;
            case BinaryOp.Maximum: r.Run<T, MaximumFn<T>>(); break;
            case BinaryOp.Minimum: r.Run<T, MinimumFn<T>>(); break;
            default: throw UnaryDispatch.Unsupported(op.ToString(), DTypes.Of<T>()); // e.g. Atan2 of integers
        }
    }
}
