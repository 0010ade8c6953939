using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
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
    /// <summary>acc[i] = Combine(acc[i], x[i]).</summary>
    static abstract void Combine(Span<TAcc> acc, ReadOnlySpan<T> x);
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
    public static void Combine(Span<T> acc, ReadOnlySpan<T> x) => TensorPrimitives.Add(acc, x, acc);
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Reduce(ReadOnlySpan<float> x)
    {
        ref float p = ref MemoryMarshal.GetReference(x);
        int i = 0;
        double sum = 0;
        if (Vector256.IsHardwareAccelerated && x.Length >= 16)
        {
            // Four independent accumulators hide the add latency.
            Vector256<double> a0 = default, a1 = default, a2 = default, a3 = default;
            for (; i <= x.Length - 16; i += 16)
            {
                var (l0, h0) = Vector256.Widen(Vector256.LoadUnsafe(ref p, (nuint)i));
                var (l1, h1) = Vector256.Widen(Vector256.LoadUnsafe(ref p, (nuint)i + 8));
                a0 += l0; a1 += h0; a2 += l1; a3 += h1;
            }
            sum = Vector256.Sum((a0 + a1) + (a2 + a3));
        }
        for (; i < x.Length; i++) sum += Unsafe.Add(ref p, i);
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Combine(Span<double> acc, ReadOnlySpan<float> x)
    {
        ref float p = ref MemoryMarshal.GetReference(x);
        ref double a = ref MemoryMarshal.GetReference(acc);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; i <= x.Length - 8; i += 8)
            {
                var (lo, hi) = Vector256.Widen(Vector256.LoadUnsafe(ref p, (nuint)i));
                (Vector256.LoadUnsafe(ref a, (nuint)i) + lo).StoreUnsafe(ref a, (nuint)i);
                (Vector256.LoadUnsafe(ref a, (nuint)i + 4) + hi).StoreUnsafe(ref a, (nuint)i + 4);
            }
        for (; i < x.Length; i++) Unsafe.Add(ref a, i) += Unsafe.Add(ref p, i);
    }

    public static void Merge(Span<double> acc, ReadOnlySpan<double> x) => TensorPrimitives.Add(acc, x, acc);
}

internal struct MaxFn<T> : IReduceFn<T, T> where T : unmanaged, INumber<T>
{
    public static T Identity => Limits<T>.Lowest;
    public static T Combine(T acc, T x) => T.Max(acc, x);
    public static T Merge(T a, T b) => T.Max(a, b);
    public static T Reduce(ReadOnlySpan<T> x) => TensorPrimitives.Max(x);
    public static void Combine(Span<T> acc, ReadOnlySpan<T> x) => TensorPrimitives.Max(acc, x, acc);
    public static void Merge(Span<T> acc, ReadOnlySpan<T> x) => TensorPrimitives.Max(acc, x, acc);
    public static T Result(T acc) => acc;
}

internal struct MinFn<T> : IReduceFn<T, T> where T : unmanaged, INumber<T>
{
    public static T Identity => Limits<T>.Highest;
    public static T Combine(T acc, T x) => T.Min(acc, x);
    public static T Merge(T a, T b) => T.Min(a, b);
    public static T Reduce(ReadOnlySpan<T> x) => TensorPrimitives.Min(x);
    public static void Combine(Span<T> acc, ReadOnlySpan<T> x) => TensorPrimitives.Min(acc, x, acc);
    public static void Merge(Span<T> acc, ReadOnlySpan<T> x) => TensorPrimitives.Min(acc, x, acc);
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
                default: throw new ArgumentOutOfRangeException(nameof(op), op, "Arg reductions are dispatched separately.");
            }
        }
    }
}
