using System.Numerics;
using System.Runtime.Intrinsics;
using Tensors.Backends;

namespace Tensors.Ops;

/// <summary>A comparison in scalar form and as a SIMD lane mask.</summary>
internal interface ICompareFn<T> where T : unmanaged
{
    static abstract bool Apply(T a, T b);
    static abstract Vector256<T> Apply(Vector256<T> a, Vector256<T> b);
}

internal struct EqFn<T> : ICompareFn<T> where T : unmanaged, INumber<T>
{
    public static bool Apply(T a, T b) => a == b;
    public static Vector256<T> Apply(Vector256<T> a, Vector256<T> b) => Vector256.Equals(a, b);
}

internal struct NeFn<T> : ICompareFn<T> where T : unmanaged, INumber<T>
{
    public static bool Apply(T a, T b) => a != b;
    public static Vector256<T> Apply(Vector256<T> a, Vector256<T> b) => ~Vector256.Equals(a, b);
}

internal struct LtFn<T> : ICompareFn<T> where T : unmanaged, INumber<T>
{
    public static bool Apply(T a, T b) => a < b;
    public static Vector256<T> Apply(Vector256<T> a, Vector256<T> b) => Vector256.LessThan(a, b);
}

internal struct LeFn<T> : ICompareFn<T> where T : unmanaged, INumber<T>
{
    public static bool Apply(T a, T b) => a <= b;
    public static Vector256<T> Apply(Vector256<T> a, Vector256<T> b) => Vector256.LessThanOrEqual(a, b);
}

internal struct GtFn<T> : ICompareFn<T> where T : unmanaged, INumber<T>
{
    public static bool Apply(T a, T b) => a > b;
    public static Vector256<T> Apply(Vector256<T> a, Vector256<T> b) => Vector256.GreaterThan(a, b);
}

internal struct GeFn<T> : ICompareFn<T> where T : unmanaged, INumber<T>
{
    public static bool Apply(T a, T b) => a >= b;
    public static Vector256<T> Apply(Vector256<T> a, Vector256<T> b) => Vector256.GreaterThanOrEqual(a, b);
}

internal interface ICompareRunner
{
    void Run<T, TFn>() where T : unmanaged, INumber<T> where TFn : struct, ICompareFn<T>;
}

internal static class CompareDispatch
{
    public static void Run<TRunner>(CompareOp op, DType dtype, TRunner runner) where TRunner : struct, ICompareRunner
    {
        NumericDispatch.Run(dtype, new ByType<TRunner>(op, runner));
    }

    private readonly struct ByType<TRunner>(CompareOp op, TRunner runner) : INumericRunner where TRunner : struct, ICompareRunner
    {
        public void Run<T>() where T : unmanaged, INumber<T>
        {
            switch (op)
            {
                case CompareOp.Eq: runner.Run<T, EqFn<T>>(); break;
                case CompareOp.Ne: runner.Run<T, NeFn<T>>(); break;
                case CompareOp.Lt: runner.Run<T, LtFn<T>>(); break;
                case CompareOp.Le: runner.Run<T, LeFn<T>>(); break;
                case CompareOp.Gt: runner.Run<T, GtFn<T>>(); break;
                case CompareOp.Ge: runner.Run<T, GeFn<T>>(); break;
                default: throw new ArgumentOutOfRangeException(nameof(op), op, null);
            }
        }
    }
}
