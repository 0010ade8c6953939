using System.Numerics;
using System.Numerics.Tensors;

namespace Tensors.Ops;

// The circular and hyperbolic functions: .NET's scalar math beside TensorPrimitives' vectorised forms. Its Sinh and
// Cosh are (e^x -+ e^-x) / 2, which is 6e-8 rather than 0 at 0 and loses ulps with |x| (OpPathAgreementTests found
// both): those two run the scalar form per element.

internal struct SinFn<T> : IUnaryFn<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Sin(x);
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Sin(x, d);
}

internal struct CosFn<T> : IUnaryFn<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Cos(x);
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Cos(x, d);
}

internal struct TanFn<T> : IUnaryFn<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Tan(x);
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Tan(x, d);
}

internal struct AsinFn<T> : IUnaryFn<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Asin(x);
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Asin(x, d);
}

internal struct AcosFn<T> : IUnaryFn<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Acos(x);
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Acos(x, d);
}

internal struct AtanFn<T> : IUnaryFn<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Atan(x);
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Atan(x, d);
}

internal struct SinhFn<T> : IUnaryFn<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Sinh(x);
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => PerElement.Apply<T, SinhFn<T>>(x, d);
}

internal struct CoshFn<T> : IUnaryFn<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Cosh(x);
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => PerElement.Apply<T, CoshFn<T>>(x, d);
}

/// <summary>atan(a / b) in the quadrant of the point (b, a): PyTorch's <c>atan2(input, other)</c>.</summary>
internal struct Atan2Fn<T> : IBinaryFn<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T a, T b) => T.Atan2(a, b);
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Atan2(a, b, d);
    public static void Apply(ReadOnlySpan<T> a, T b, Span<T> d) => TensorPrimitives.Atan2(a, b, d);
    public static void Apply(T a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Atan2(a, b, d);
}
