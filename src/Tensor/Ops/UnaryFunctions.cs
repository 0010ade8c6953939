using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Tensors.Backends;

namespace Tensors.Ops;

/// <summary>An elementwise function in two forms side by side: one value (the reference and strided loops) and a
/// contiguous span (SIMD through TensorPrimitives).</summary>
internal interface IUnaryFn<T> where T : unmanaged
{
    static abstract T Apply(T x);
    static abstract void Apply(ReadOnlySpan<T> x, Span<T> destination);
}

/// <summary>The span form of a function whose vectorised form is missing or inaccurate: the scalar form per
/// element.</summary>
internal static class PerElement
{
    public static void Apply<T, TFn>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged where TFn : struct, IUnaryFn<T>
    {
        for (int i = 0; i < x.Length; i++) d[i] = TFn.Apply(x[i]);
    }
}

internal struct NegFn<T> : IUnaryFn<T> where T : unmanaged, INumber<T>
{
    public static T Apply(T x) => -x;
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Negate(x, d);
}

// T.Abs and TensorPrimitives.Abs throw on an integer MinValue; PyTorch (like C) wraps it to itself.
internal struct AbsFn<T> : IUnaryFn<T> where T : unmanaged, INumber<T>
{
    public static T Apply(T x) => T.IsNegative(x) ? -x : x;

    public static void Apply(ReadOnlySpan<T> x, Span<T> d)
    {
        if (typeof(T) == typeof(float) || typeof(T) == typeof(double)) TensorPrimitives.Abs(x, d);
        else if (typeof(T) == typeof(byte)) x.CopyTo(d); // unsigned: already non-negative
        else
        {
            // max(x, -x): negation wraps, so MinValue stays MinValue. Negate into d first: d may be x itself.
            TensorPrimitives.Negate(x, d);
            TensorPrimitives.Max(x, d, d);
        }
    }
}

internal struct ReluFn<T> : IUnaryFn<T> where T : unmanaged, INumber<T>
{
    public static T Apply(T x) => T.Max(x, T.Zero);
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Max(x, T.Zero, d);
}

internal struct SqrtFn<T> : IUnaryFn<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Sqrt(x);
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Sqrt(x, d);
}

internal struct ExpFn<T> : IUnaryFn<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Exp(x);

    public static void Apply(ReadOnlySpan<T> x, Span<T> d)
    {
        if (typeof(T) == typeof(float) && FastExp.IsSupported)
            FastExp.Apply(MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(d));
        else TensorPrimitives.Exp(x, d);
    }
}

internal struct LogFn<T> : IUnaryFn<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Log(x);
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Log(x, d);
}

internal struct SigmoidFn<T> : IUnaryFn<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private const int Chunk = 2048;

    public static T Apply(T x) => T.One / (T.One + T.Exp(-x));

    // 1 / (1 + e^-x): float32 in one fused pass with our exp; otherwise as four SIMD passes over L1-sized chunks.
    // TensorPrimitives.Sigmoid computes the same, but its loop stays in slow unoptimised code under tiered compilation.
    public static void Apply(ReadOnlySpan<T> x, Span<T> d)
    {
        if (typeof(T) == typeof(float) && FastExp.IsSupported)
        {
            FastExp.Sigmoid(MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(d));
            return;
        }
        for (int i = 0; i < x.Length; i += Chunk)
        {
            var xs = x.Slice(i, Math.Min(Chunk, x.Length - i));
            var ds = d.Slice(i, xs.Length);
            TensorPrimitives.Negate(xs, ds);
            ExpFn<T>.Apply(ds, ds);
            TensorPrimitives.Add(ds, T.One, ds);
            TensorPrimitives.Reciprocal(ds, ds);
        }
    }
}

internal struct TanhFn<T> : IUnaryFn<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private const int Chunk = 256;

    public static T Apply(T x) => T.Tanh(x);

    // TensorPrimitives.Tanh goes through e^2x, which leaves an absolute error of about one ulp of 1: near 0, where
    // tanh(x) ~ x, that is all of the answer (tanh(0) came out -6e-8). Small |x| take Cephes' odd polynomial instead.
    public static void Apply(ReadOnlySpan<T> x, Span<T> d)
    {
        Span<T> wide = stackalloc T[Chunk];
        for (int i = 0; i < x.Length; i += Chunk)
        {
            var xs = x.Slice(i, Math.Min(Chunk, x.Length - i));
            TensorPrimitives.Tanh(xs, wide);
            if (typeof(T) == typeof(float))
                SmallTanh.Patch(MemoryMarshal.Cast<T, float>(xs), MemoryMarshal.Cast<T, float>(wide), MemoryMarshal.Cast<T, float>(d.Slice(i, xs.Length)));
            else
                SmallTanh.Patch(MemoryMarshal.Cast<T, double>(xs), MemoryMarshal.Cast<T, double>(wide), MemoryMarshal.Cast<T, double>(d.Slice(i, xs.Length)));
        }
    }
}

internal struct TruncFn<T> : IUnaryFn<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Truncate(x);
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Truncate(x, d);
}

/// <summary>What a backend does with a chosen (element type, function) pair.</summary>
internal interface IUnaryRunner
{
    void Run<T, TFn>() where T : unmanaged, INumber<T> where TFn : struct, IUnaryFn<T>;
}

/// <summary>Maps (op, dtype) to the function struct once, for every backend.</summary>
internal static class UnaryDispatch
{
    public static void Run<TRunner>(UnaryOp op, DType dtype, TRunner runner) where TRunner : struct, IUnaryRunner
    {
        switch (dtype)
        {
            case DType.Float32: Floating<float, TRunner>(op, runner); break;
            case DType.Float64: Floating<double, TRunner>(op, runner); break;
            case DType.Int32: Integer<int, TRunner>(op, dtype, runner); break;
            case DType.Int64: Integer<long, TRunner>(op, dtype, runner); break;
            case DType.UInt8: Integer<byte, TRunner>(op, dtype, runner); break;
            case DType.Bool when op == UnaryOp.BitwiseNot: runner.Run<byte, LogicalNotFn>(); break;
            default: throw Unsupported(op.ToString(), dtype);
        }
    }

    private static void Floating<T, TRunner>(UnaryOp op, TRunner r)
        where T : unmanaged, IFloatingPointIeee754<T> where TRunner : struct, IUnaryRunner
    {
        switch (op)
        {
            case UnaryOp.Sqrt: r.Run<T, SqrtFn<T>>(); break;
            case UnaryOp.Exp: r.Run<T, ExpFn<T>>(); break;
            case UnaryOp.Log: r.Run<T, LogFn<T>>(); break;
            case UnaryOp.Sigmoid: r.Run<T, SigmoidFn<T>>(); break;
            case UnaryOp.Tanh: r.Run<T, TanhFn<T>>(); break;
            case UnaryOp.Trunc: r.Run<T, TruncFn<T>>(); break;
            case UnaryOp.Sin: r.Run<T, SinFn<T>>(); break;
            case UnaryOp.Cos: r.Run<T, CosFn<T>>(); break;
            case UnaryOp.Tan: r.Run<T, TanFn<T>>(); break;
            case UnaryOp.Asin: r.Run<T, AsinFn<T>>(); break;
            case UnaryOp.Acos: r.Run<T, AcosFn<T>>(); break;
            case UnaryOp.Atan: r.Run<T, AtanFn<T>>(); break;
            case UnaryOp.Sinh: r.Run<T, SinhFn<T>>(); break;
            case UnaryOp.Cosh: r.Run<T, CoshFn<T>>(); break;
            case UnaryOp.Floor: r.Run<T, FloorFn<T>>(); break;
            case UnaryOp.Ceil: r.Run<T, CeilFn<T>>(); break;
            case UnaryOp.Round: r.Run<T, RoundFn<T>>(); break;
            case UnaryOp.Log1p: r.Run<T, Log1pFn<T>>(); break;
            case UnaryOp.Expm1: r.Run<T, Expm1Fn<T>>(); break;
            case UnaryOp.Log2: r.Run<T, Log2Fn<T>>(); break;
            case UnaryOp.Log10: r.Run<T, Log10Fn<T>>(); break;
            case UnaryOp.Exp2: r.Run<T, Exp2Fn<T>>(); break;
            case UnaryOp.Rsqrt: r.Run<T, RsqrtFn<T>>(); break;
            case UnaryOp.Erf: r.Run<T, ErfFn<T>>(); break;
            default: Numeric<T, TRunner>(op, DTypes.Of<T>(), r); break;
        }
    }

    private static void Integer<T, TRunner>(UnaryOp op, DType dtype, TRunner r)
        where T : unmanaged, IBinaryInteger<T> where TRunner : struct, IUnaryRunner
    {
        if (op == UnaryOp.BitwiseNot) r.Run<T, BitwiseNotFn<T>>();
        else Numeric<T, TRunner>(op, dtype, r);
    }

    private static void Numeric<T, TRunner>(UnaryOp op, DType dtype, TRunner r)
        where T : unmanaged, INumber<T> where TRunner : struct, IUnaryRunner
    {
        switch (op)
        {
            case UnaryOp.Neg: r.Run<T, NegFn<T>>(); break;
            case UnaryOp.Abs: r.Run<T, AbsFn<T>>(); break;
            case UnaryOp.Relu: r.Run<T, ReluFn<T>>(); break;
            case UnaryOp.Sign: r.Run<T, SignFn<T>>(); break;
            default: throw Unsupported(op.ToString(), dtype);
        }
    }

    public static NotSupportedException Unsupported(string op, DType dtype) =>
        new($"{op} is not implemented for dtype {dtype.Name()}.");
}
