using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Tensors.Backends.Cpu;

/// <summary>
/// One SIMD width as a type parameter, so that a kernel is written once and compiled for Vector256 and Vector512
/// (struct type arguments are specialised by the JIT: no interface calls remain). Float types only.
/// </summary>
/// <typeparam name="TV">The vector type.</typeparam>
/// <typeparam name="T">The element type: float or double.</typeparam>
internal interface IVectorWidth<TV, T> where TV : struct where T : unmanaged
{
    /// <summary>Elements per vector.</summary>
    static abstract int Count { get; }

    /// <summary>Loads a vector from <paramref name="source"/> (no alignment needed).</summary>
    static abstract TV Load(ref T source);

    /// <summary>Stores <paramref name="value"/> at <paramref name="destination"/>.</summary>
    static abstract void Store(TV value, ref T destination);

    /// <summary>x * y + addend with one rounding.</summary>
    static abstract TV MultiplyAdd(TV x, TV y, TV addend);

    /// <summary>The sum of the lanes: halves added down to one Vector128 first (a few instructions; the runtime's
    /// Vector256/512.Sum reduces each 128-bit quarter on its own, about 30 instructions for a Vector512 of floats).</summary>
    static abstract T Sum(TV value);
}

/// <summary>AVX2-sized vectors.</summary>
internal readonly struct Width256<T> : IVectorWidth<Vector256<T>, T> where T : unmanaged, INumber<T>
{
    public static int Count => Vector256<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Load(ref T source) => Vector256.LoadUnsafe(ref source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<T> value, ref T destination) => value.StoreUnsafe(ref destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> MultiplyAdd(Vector256<T> x, Vector256<T> y, Vector256<T> addend) =>
        typeof(T) == typeof(float)
            ? Vector256.FusedMultiplyAdd(x.AsSingle(), y.AsSingle(), addend.AsSingle()).As<float, T>()
            : Vector256.FusedMultiplyAdd(x.AsDouble(), y.AsDouble(), addend.AsDouble()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Vector256<T> value) => Vector128.Sum(value.GetLower() + value.GetUpper());
}

/// <summary>AVX-512-sized vectors (correct, if slow, on hardware without AVX-512).</summary>
internal readonly struct Width512<T> : IVectorWidth<Vector512<T>, T> where T : unmanaged, INumber<T>
{
    public static int Count => Vector512<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Load(ref T source) => Vector512.LoadUnsafe(ref source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<T> value, ref T destination) => value.StoreUnsafe(ref destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> MultiplyAdd(Vector512<T> x, Vector512<T> y, Vector512<T> addend) =>
        typeof(T) == typeof(float)
            ? Vector512.FusedMultiplyAdd(x.AsSingle(), y.AsSingle(), addend.AsSingle()).As<float, T>()
            : Vector512.FusedMultiplyAdd(x.AsDouble(), y.AsDouble(), addend.AsDouble()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Vector512<T> value) => Width256<T>.Sum(value.GetLower() + value.GetUpper());
}
