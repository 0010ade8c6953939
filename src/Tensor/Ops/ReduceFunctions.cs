using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Tensors.Backends;

namespace Tensors.Ops;

/// <summary>
/// An associative reduction of <typeparamref name="T"/> values into an accumulator of type <typeparamref name="TAcc"/>
/// (wider than T where rounding would otherwise pile up: float32 sums accumulate in float64), with the SIMD span forms.
/// </summary>
internal interface IReduceFn<T, TAcc> where T : unmanaged where TAcc : unmanaged
{
    static abstract TAcc Identity { get; }
    /// <summary>Folds one value into an accumulator.</summary>
    static abstract TAcc Combine(TAcc acc, T x);
    /// <summary>Joins two partial results.</summary>
    static abstract TAcc Merge(TAcc a, TAcc b);
    /// <summary>Reduces a non-empty span.</summary>
    static abstract TAcc Reduce(ReadOnlySpan<T> x);
    /// <summary>Folds <paramref name="rows"/> rows of x, <paramref name="stride"/> apart, into acc:
    /// acc[i] = Combine(acc[i], x[r * stride + i]) for every row r.</summary>
    static abstract void Combine(Span<TAcc> acc, ReadOnlySpan<T> x, int rows, int stride);
    /// <summary>acc[i] = Merge(acc[i], x[i]).</summary>
    static abstract void Merge(Span<TAcc> acc, ReadOnlySpan<TAcc> x);
    /// <summary>The accumulator as a result element (rounded once, at the end).</summary>
    static abstract T Result(TAcc acc);
}

internal struct SumFn<T> : IReduceFn<T, T> where T : unmanaged, INumber<T>
{
    public static T Identity => T.Zero;
    public static T Combine(T acc, T x) => acc + x;
    public static T Merge(T a, T b) => a + b;
    // TensorPrimitives.Sum keeps several SIMD accumulators, so a run is summed in many short interleaved chains.
    public static T Reduce(ReadOnlySpan<T> x) => TensorPrimitives.Sum(x);
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Combine(Span<T> acc, ReadOnlySpan<T> x, int rows, int stride)
    {
        for (int r = 0; r < rows; r++) TensorPrimitives.Add(acc, x.Slice(r * stride, acc.Length), acc);
    }
    public static void Merge(Span<T> acc, ReadOnlySpan<T> x) => TensorPrimitives.Add(acc, x, acc);
    public static T Result(T acc) => acc;
}

/// <summary>The float32 sum, accumulated in float64: a float32 accumulator stops growing at 2^24 and loses the small
/// terms of a cancelling sum; float64 keeps 29 more bits for the price of a widening convert.</summary>
internal struct FloatSumFn : IReduceFn<float, double>
{
    public static double Identity => 0;
    public static double Combine(double acc, float x) => acc + x;
    public static double Merge(double a, double b) => a + b;
    public static float Result(double acc) => (float)acc;

    // vcvtps2pd widens four floats straight from memory; Vector256.Widen's shuffles made the outer sum 4x slower.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Reduce(ReadOnlySpan<float> x)
    {
        ref float p = ref MemoryMarshal.GetReference(x);
        int i = 0;
        double sum = 0;
        if (Avx.IsSupported && x.Length >= 16)
        {
            // Four independent accumulators hide the add latency.
            Vector256<double> a0 = default, a1 = default, a2 = default, a3 = default;
            for (; i <= x.Length - 16; i += 16)
            {
                a0 += Avx.ConvertToVector256Double(Vector128.LoadUnsafe(ref p, (nuint)i));
                a1 += Avx.ConvertToVector256Double(Vector128.LoadUnsafe(ref p, (nuint)i + 4));
                a2 += Avx.ConvertToVector256Double(Vector128.LoadUnsafe(ref p, (nuint)i + 8));
                a3 += Avx.ConvertToVector256Double(Vector128.LoadUnsafe(ref p, (nuint)i + 12));
            }
            sum = Vector256.Sum((a0 + a1) + (a2 + a3));
        }
        for (; i < x.Length; i++) sum += Unsafe.Add(ref p, i);
        return sum;
    }

    // Four rows are widened and added in registers before the accumulator is loaded and stored once: one
    // accumulator round trip per row made the outer sum 2-3x slower than float32's.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Combine(Span<double> acc, ReadOnlySpan<float> x, int rows, int stride)
    {
        int n = acc.Length;
        if (rows > 0 && x.Length < (long)(rows - 1) * stride + n)
            throw new ArgumentException($"Sum: {rows} rows of {n} elements {stride} apart do not fit in {x.Length}.");
        ref float p = ref MemoryMarshal.GetReference(x);
        ref double a = ref MemoryMarshal.GetReference(acc);
        nuint s = (nuint)stride;
        int r = 0;
        for (; r + 4 <= rows; r += 4, p = ref Unsafe.Add(ref p, 4 * s))
        {
            int i = 0;
            if (Avx.IsSupported)
                for (; i <= n - 4; i += 4)
                {
                    nuint k = (nuint)i;
                    var v = Avx.ConvertToVector256Double(Vector128.LoadUnsafe(ref p, k)) + Avx.ConvertToVector256Double(Vector128.LoadUnsafe(ref p, k + s));
                    var w = Avx.ConvertToVector256Double(Vector128.LoadUnsafe(ref p, k + 2 * s)) + Avx.ConvertToVector256Double(Vector128.LoadUnsafe(ref p, k + 3 * s));
                    (Vector256.LoadUnsafe(ref a, k) + (v + w)).StoreUnsafe(ref a, k);
                }
            for (; i < n; i++)
            {
                nuint k = (nuint)i;
                Unsafe.Add(ref a, i) += ((double)Unsafe.Add(ref p, k) + Unsafe.Add(ref p, k + s)) + ((double)Unsafe.Add(ref p, k + 2 * s) + Unsafe.Add(ref p, k + 3 * s));
            }
        }
        for (; r < rows; r++, p = ref Unsafe.Add(ref p, s))
        {
            int i = 0;
            if (Avx.IsSupported)
                for (; i <= n - 4; i += 4)
                    (Vector256.LoadUnsafe(ref a, (nuint)i) + Avx.ConvertToVector256Double(Vector128.LoadUnsafe(ref p, (nuint)i))).StoreUnsafe(ref a, (nuint)i);
            for (; i < n; i++) Unsafe.Add(ref a, i) += Unsafe.Add(ref p, i);
        }
    }

    public static void Merge(Span<double> acc, ReadOnlySpan<double> x) => TensorPrimitives.Add(acc, x, acc);
}

internal struct MaxFn<T> : IReduceFn<T, T> where T : unmanaged, INumber<T>
{
    public static T Identity => Limits<T>.Lowest;
    public static T Combine(T acc, T x) => T.Max(acc, x);
    public static T Merge(T a, T b) => T.Max(a, b);
    public static T Reduce(ReadOnlySpan<T> x) => TensorPrimitives.Max(x);
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Combine(Span<T> acc, ReadOnlySpan<T> x, int rows, int stride)
    {
        for (int r = 0; r < rows; r++) TensorPrimitives.Max(acc, x.Slice(r * stride, acc.Length), acc);
    }
    public static void Merge(Span<T> acc, ReadOnlySpan<T> x) => TensorPrimitives.Max(acc, x, acc);
    public static T Result(T acc) => acc;
}

internal struct MinFn<T> : IReduceFn<T, T> where T : unmanaged, INumber<T>
{
    public static T Identity => Limits<T>.Highest;
    public static T Combine(T acc, T x) => T.Min(acc, x);
    public static T Merge(T a, T b) => T.Min(a, b);
    public static T Reduce(ReadOnlySpan<T> x) => TensorPrimitives.Min(x);
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Combine(Span<T> acc, ReadOnlySpan<T> x, int rows, int stride)
    {
        for (int r = 0; r < rows; r++) TensorPrimitives.Min(acc, x.Slice(r * stride, acc.Length), acc);
    }
    public static void Merge(Span<T> acc, ReadOnlySpan<T> x) => TensorPrimitives.Min(acc, x, acc);
    public static T Result(T acc) => acc;
}

internal struct ProdFn<T> : IReduceFn<T, T> where T : unmanaged, INumber<T>
{
    public static T Identity => T.One;
    public static T Combine(T acc, T x) => acc * x;
    public static T Merge(T a, T b) => a * b;
    public static T Reduce(ReadOnlySpan<T> x) => TensorPrimitives.Product(x);
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Combine(Span<T> acc, ReadOnlySpan<T> x, int rows, int stride)
    {
        for (int r = 0; r < rows; r++) TensorPrimitives.Multiply(acc, x.Slice(r * stride, acc.Length), acc);
    }
    public static void Merge(Span<T> acc, ReadOnlySpan<T> x) => TensorPrimitives.Multiply(acc, x, acc);
    public static T Result(T acc) => acc;
}

/// <summary>The arg-reductions' rule, shared by every backend: the first extreme value wins and a NaN beats all.</summary>
internal static class ArgRule<T> where T : unmanaged, INumber<T>
{
    public static bool Better(T candidate, T best, bool max) =>
        !T.IsNaN(best) && (T.IsNaN(candidate) || (max ? candidate > best : candidate < best));
}

internal interface IReduceRunner
{
    void Run<T, TAcc, TFn>() where T : unmanaged, INumber<T> where TAcc : unmanaged, INumber<TAcc>
        where TFn : struct, IReduceFn<T, TAcc>;
}

internal static class ReduceDispatch
{
    public static void Run<TRunner>(ReduceOp op, DType dtype, TRunner runner) where TRunner : struct, IReduceRunner
    {
        NumericDispatch.Run(dtype, new ByType<TRunner>(op, runner));
    }

    private readonly struct ByType<TRunner>(ReduceOp op, TRunner runner) : INumericRunner where TRunner : struct, IReduceRunner
    {
        public void Run<T>() where T : unmanaged, INumber<T>
        {
            switch (op)
            {
                case ReduceOp.Sum when typeof(T) == typeof(float): runner.Run<float, double, FloatSumFn>(); break;
                case ReduceOp.Sum: runner.Run<T, T, SumFn<T>>(); break;
                case ReduceOp.Max: runner.Run<T, T, MaxFn<T>>(); break;
                case ReduceOp.Min: runner.Run<T, T, MinFn<T>>(); break;
                case ReduceOp.Prod: runner.Run<T, T, ProdFn<T>>(); break;
                default: throw new ArgumentOutOfRangeException(nameof(op), op, "Arg reductions are dispatched separately.");
            }
        }
    }
}
