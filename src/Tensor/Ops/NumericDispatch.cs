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
            default:
                throw new NotSupportedException(
                    $"dtype {dtype.Name()} has no kernels: ops compute it in {dtype.KernelType().Name()} (DTypes.KernelType); this is a bug in the op that called the backend.");
        }
    }

    /// <summary>Like <see cref="Run{TRunner}(DType, TRunner)"/> but for every dtype a storage can hold, the
    /// storage-only ones (float16, bfloat16, int8, int16) included: for Fill and Copy.</summary>
    public static void RunStorage<TRunner>(DType dtype, TRunner runner) where TRunner : struct, INumericRunner
    {
        switch (dtype)
        {
            case DType.Half: runner.Run<Half>(); break;
            case DType.BFloat16: runner.Run<BFloat16>(); break;
            case DType.Int8: runner.Run<sbyte>(); break;
            case DType.Int16: runner.Run<short>(); break;
            default: Run(dtype, runner); break;
        }
    }

    /// <summary>Both element types of a conversion, over every storage dtype.</summary>
    public static void Run<TRunner>(DType from, DType to, TRunner runner) where TRunner : struct, ICastRunner
    {
        RunStorage(from, new Outer<TRunner>(to, runner));
    }

    private readonly struct Outer<TRunner>(DType to, TRunner runner) : INumericRunner where TRunner : struct, ICastRunner
    {
        public void Run<TFrom>() where TFrom : unmanaged, INumber<TFrom> => RunStorage(to, new Inner<TFrom, TRunner>(runner));
    }

    private readonly struct Inner<TFrom, TRunner>(TRunner runner) : INumericRunner
        where TFrom : unmanaged, INumber<TFrom> where TRunner : struct, ICastRunner
    {
        public void Run<TTo>() where TTo : unmanaged, INumber<TTo> => runner.Run<TFrom, TTo>();
    }
}

/// <summary>Scalar conversions shared by every backend: to Bool means "not zero", otherwise C-style truncation
/// (floats to integers saturate, NaN gives 0). Into float16 and bfloat16 the value goes through float32 first, as
/// PyTorch converts (<c>c10::Half(float)</c>): a double or a large integer is rounded twice, and every backend
/// rounds the same way.</summary>
internal static class Convert<TFrom, TTo> where TFrom : unmanaged, INumber<TFrom> where TTo : unmanaged, INumber<TTo>
{
    private static readonly bool ThroughFloat =
        (typeof(TTo) == typeof(Half) || typeof(TTo) == typeof(BFloat16)) && typeof(TFrom) != typeof(float) && typeof(TFrom) != typeof(TTo);

    /// <summary>Whether TensorPrimitives' vectorized conversion gives the same results as <see cref="Apply"/>
    /// (it knows neither bfloat16 nor the rounding through float32).</summary>
    public static readonly bool Vectorizable = !ThroughFloat && typeof(TFrom) != typeof(BFloat16) && typeof(TTo) != typeof(BFloat16);

    public static TTo Apply(TFrom x, bool toBool) =>
        toBool ? (x != TFrom.Zero ? TTo.One : TTo.Zero)
        : ThroughFloat ? TTo.CreateTruncating(float.CreateTruncating(x))
        : TTo.CreateTruncating(x);
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
