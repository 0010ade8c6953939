using System.Numerics;
using System.Numerics.Tensors;
using Tensors.Backends;

namespace Tensors.Ops;

/// <summary>An associative reduction: its identity, how two values combine, and the SIMD span forms.</summary>
internal interface IReduceFn<T> where T : unmanaged
{
    static abstract T Identity { get; }
    static abstract T Combine(T acc, T x);
    /// <summary>Reduces a non-empty span.</summary>
    static abstract T Reduce(ReadOnlySpan<T> x);
    /// <summary>acc[i] = Combine(acc[i], x[i]).</summary>
    static abstract void Combine(Span<T> acc, ReadOnlySpan<T> x);
}

internal struct SumFn<T> : IReduceFn<T> where T : unmanaged, INumber<T>
{
    public static T Identity => T.Zero;
    public static T Combine(T acc, T x) => acc + x;
    public static T Reduce(ReadOnlySpan<T> x) => TensorPrimitives.Sum(x);
    public static void Combine(Span<T> acc, ReadOnlySpan<T> x) => TensorPrimitives.Add(acc, x, acc);
}

internal struct MaxFn<T> : IReduceFn<T> where T : unmanaged, INumber<T>
{
    public static T Identity => Limits<T>.Lowest;
    public static T Combine(T acc, T x) => T.Max(acc, x);
    public static T Reduce(ReadOnlySpan<T> x) => TensorPrimitives.Max(x);
    public static void Combine(Span<T> acc, ReadOnlySpan<T> x) => TensorPrimitives.Max(acc, x, acc);
}

internal struct MinFn<T> : IReduceFn<T> where T : unmanaged, INumber<T>
{
    public static T Identity => Limits<T>.Highest;
    public static T Combine(T acc, T x) => T.Min(acc, x);
    public static T Reduce(ReadOnlySpan<T> x) => TensorPrimitives.Min(x);
    public static void Combine(Span<T> acc, ReadOnlySpan<T> x) => TensorPrimitives.Min(acc, x, acc);
}

/// <summary>The arg-reductions' rule, shared by every backend: the first extreme value wins and a NaN beats all.</summary>
internal static class ArgRule<T> where T : unmanaged, INumber<T>
{
    public static bool Better(T candidate, T best, bool max) =>
        !T.IsNaN(best) && (T.IsNaN(candidate) || (max ? candidate > best : candidate < best));
}

internal interface IReduceRunner
{
    void Run<T, TFn>() where T : unmanaged, INumber<T> where TFn : struct, IReduceFn<T>;
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
                case ReduceOp.Sum: runner.Run<T, SumFn<T>>(); break;
                case ReduceOp.Max: runner.Run<T, MaxFn<T>>(); break;
                case ReduceOp.Min: runner.Run<T, MinFn<T>>(); break;
                default: throw new ArgumentOutOfRangeException(nameof(op), op, "Arg reductions are dispatched separately.");
            }
        }
    }
}
