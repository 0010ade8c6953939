using System.Numerics;

namespace Tensors.Ops;

/// <summary>Code that works for any element type, chosen by dtype.</summary>
internal interface INumericRunner
{
    void Run<T>() where T : unmanaged, INumber<T>;
}

/// <summary>Code that works for any pair of element types (conversions).</summary>
internal interface ICastRunner
{
    void Run<TFrom, TTo>() where TFrom : unmanaged, INumber<TFrom> where TTo : unmanaged, INumber<TTo>;
}

/// <summary>
/// The one map from <see cref="DType"/> to the CLR element type that kernels compute in. Bool is computed as
/// <see cref="byte"/> holding 0 or 1.
/// </summary>
internal static class NumericDispatch
{
    public static void Run<TRunner>(DType dtype, TRunner runner) where TRunner : struct, INumericRunner
    {
        switch (dtype)
        {
            case DType.Float32: runner.Run<float>(); break;
            case DType.Float64: runner.Run<double>(); break;
            case DType.Int32: runner.Run<int>(); break;
            case DType.Int64: runner.Run<long>(); break;
            case DType.UInt8:
            case DType.Bool: runner.Run<byte>(); break;
            default: throw new NotSupportedException($"dtype {dtype.Name()} has no kernels in this version; convert with To(DType.Float32).");
        }
    }

    public static void Run<TRunner>(DType from, DType to, TRunner runner) where TRunner : struct, ICastRunner
    {
        Run(from, new Outer<TRunner>(to, runner));
    }

    private readonly struct Outer<TRunner>(DType to, TRunner runner) : INumericRunner where TRunner : struct, ICastRunner
    {
        public void Run<TFrom>() where TFrom : unmanaged, INumber<TFrom> => NumericDispatch.Run(to, new Inner<TFrom, TRunner>(runner));
    }

    private readonly struct Inner<TFrom, TRunner>(TRunner runner) : INumericRunner
        where TFrom : unmanaged, INumber<TFrom> where TRunner : struct, ICastRunner
    {
        public void Run<TTo>() where TTo : unmanaged, INumber<TTo> => runner.Run<TFrom, TTo>();
    }
}

/// <summary>Scalar conversions shared by every backend: to Bool means "not zero", otherwise C-style truncation.</summary>
internal static class Convert<TFrom, TTo> where TFrom : unmanaged, INumber<TFrom> where TTo : unmanaged, INumber<TTo>
{
    public static TTo Apply(TFrom x, bool toBool) =>
        toBool ? (x != TFrom.Zero ? TTo.One : TTo.Zero) : TTo.CreateTruncating(x);
}

/// <summary>Values every backend agrees on for a type.</summary>
internal static class Limits<T> where T : unmanaged, INumber<T>
{
    /// <summary>Below or equal to every value: -infinity for floats, MinValue for integers.</summary>
    public static T Lowest =>
        typeof(T) == typeof(float) ? (T)(object)float.NegativeInfinity :
        typeof(T) == typeof(double) ? (T)(object)double.NegativeInfinity :
        typeof(T) == typeof(int) ? (T)(object)int.MinValue :
        typeof(T) == typeof(long) ? (T)(object)long.MinValue : T.Zero;

    /// <summary>Above or equal to every value: +infinity for floats, MaxValue for integers.</summary>
    public static T Highest =>
        typeof(T) == typeof(float) ? (T)(object)float.PositiveInfinity :
        typeof(T) == typeof(double) ? (T)(object)double.PositiveInfinity :
        typeof(T) == typeof(int) ? (T)(object)int.MaxValue :
        typeof(T) == typeof(long) ? (T)(object)long.MaxValue : (T)(object)byte.MaxValue;
}
