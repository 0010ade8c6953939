using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Tensors.Ops;

// Logarithms, exponentials, rsqrt and erf. .NET's LogP1 and ExpM1 (scalar and TensorPrimitives) are log(1 + x) and
// e^x - 1, which give 0 for |x| below an ulp of 1 (log1p(1e-10f) came out 0, expm1 1.2e-7): Log1p and Expm1 use
// Kahan's corrections instead, with the transcendental part vectorised and the correction per element.

internal struct Log1pFn<T> : IUnaryFn<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private const int Chunk = 256;

    // With u = 1 + x rounded, log(u) * x / (u - 1) is within a few ulps of log1p(x): x / (u - 1) undoes the rounding.
    public static T Apply(T x) => Correct(x, T.Log(T.One + x));

    public static void Apply(ReadOnlySpan<T> x, Span<T> d)
    {
        Span<T> logs = stackalloc T[Chunk];
        for (int i = 0; i < x.Length; i += Chunk)
        {
            var xs = x.Slice(i, Math.Min(Chunk, x.Length - i));
            var ls = logs[..xs.Length];
            TensorPrimitives.Add(xs, T.One, ls);
            TensorPrimitives.Log(ls, ls);
            var ds = d.Slice(i, xs.Length);
            for (int j = 0; j < xs.Length; j++) ds[j] = Correct(xs[j], ls[j]);
        }
    }

    // u == 1: x is below half an ulp of 1 and is its own log1p; u == +inf: so is the result.
    private static T Correct(T x, T logU)
    {
        T u1 = T.One + x - T.One;
        return u1 == T.Zero || T.IsPositiveInfinity(logU) ? x : logU * (x / u1);
    }
}

internal struct Expm1Fn<T> : IUnaryFn<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private const int Chunk = 256;

    // With u = e^x rounded, (u - 1) * x / log(u) is within a few ulps of expm1(x): x / log(u) undoes the rounding.
    public static T Apply(T x)
    {
        T u = T.Exp(x);
        return Correct(x, u, T.Log(u));
    }

    public static void Apply(ReadOnlySpan<T> x, Span<T> d)
    {
        Span<T> exps = stackalloc T[Chunk], logs = stackalloc T[Chunk];
        for (int i = 0; i < x.Length; i += Chunk)
        {
            var xs = x.Slice(i, Math.Min(Chunk, x.Length - i));
            var es = exps[..xs.Length];
            var ls = logs[..xs.Length];
            ExpFn<T>.Apply(xs, es);
            TensorPrimitives.Log(es, ls);
            var ds = d.Slice(i, xs.Length);
            for (int j = 0; j < xs.Length; j++) ds[j] = Correct(xs[j], es[j], ls[j]);
        }
    }

    // u == 1: x is its own expm1; u - 1 == -1 (x very negative) and u == +inf are the answer as they stand.
    private static T Correct(T x, T u, T logU)
    {
        if (u == T.One) return x;
        T um1 = u - T.One;
        return um1 == -T.One || T.IsPositiveInfinity(u) ? um1 : um1 * (x / logU);
    }
}

internal struct Log2Fn<T> : IUnaryFn<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Log2(x);
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Log2(x, d);
}

internal struct Log10Fn<T> : IUnaryFn<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Log10(x);
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Log10(x, d);
}

/// <summary>2^x. TensorPrimitives.Exp2 is e^(x ln 2), whose error grows with |x| (2^127 came out 1.7014149E+38
/// instead of exactly 1.7014118E+38), so the span form is the scalar one per element.</summary>
internal struct Exp2Fn<T> : IUnaryFn<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Exp2(x);
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => PerElement.Apply<T, Exp2Fn<T>>(x, d);
}

internal struct RsqrtFn<T> : IUnaryFn<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.One / T.Sqrt(x);
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.ReciprocalSqrt(x, d);
}

/// <summary>The error function, which .NET lacks: the scalar form is <see cref="ErfMath.Erf"/> in double (float
/// rounds its result); float spans take <see cref="FastErf"/>'s vectorised approximation, double spans the scalar
/// form per element.</summary>
internal struct ErfFn<T> : IUnaryFn<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.CreateTruncating(ErfMath.Erf(double.CreateTruncating(x)));

    public static void Apply(ReadOnlySpan<T> x, Span<T> d)
    {
        if (typeof(T) == typeof(float) && FastErf.IsSupported)
            FastErf.Apply(MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(d));
        else PerElement.Apply<T, ErfFn<T>>(x, d);
    }
}

/// <summary>erf in double, within a few ulps: for |x| &lt; 2.5 the series of positive terms
/// erf(x) = 2/sqrt(pi) e^-x² Σ (2x²)^n x / (2n+1)!! (no cancellation; at most ~40 terms), beyond it
/// 1 - erfc(x) with erfc from its continued fraction (40 levels reach double precision from 2.5 on), and ±1 from 6
/// on, where erfc(x) is below half an ulp of 1.</summary>
internal static class ErfMath
{
    private const double TwoOverSqrtPi = 1.1283791670955126, OneOverSqrtPi = 0.56418958354775628;

    public static double Erf(double x)
    {
        double a = Math.Abs(x);
        if (double.IsNaN(x)) return x;
        if (a < 1e-9) return x * TwoOverSqrtPi; // erf(x) = 2x/sqrt(pi) (1 - x²/3 + ...): keeps -0.0 and subnormals
        if (a >= 6) return double.CopySign(1, x);
        return double.CopySign(a < 2.5 ? Series(a) : 1 - ContinuedFraction(a), x);
    }

    // e^-a² with a² split into its rounded value and the exact remainder (an FMA), so that the rounding of a²
    // (relative 1e-16, but absolute 1e-15 at a = 2.5) does not reach the result.
    private static double ExpMinusSquare(double a)
    {
        double square = a * a, rest = Math.FusedMultiplyAdd(a, a, -square);
        return Math.Exp(-square) * (1 - rest);
    }

    private static double Series(double a)
    {
        double twoSquare = 2 * a * a, term = a, sum = a;
        for (int n = 1; term > sum * 1e-17; n++)
        {
            term *= twoSquare / (2 * n + 1);
            sum += term;
        }
        return TwoOverSqrtPi * ExpMinusSquare(a) * sum;
    }

    private static double ContinuedFraction(double a)
    {
        double t = 0;
        for (int k = 40; k >= 1; k--) t = k * 0.5 / (a + t);
        return OneOverSqrtPi * ExpMinusSquare(a) / (a + t);
    }
}
