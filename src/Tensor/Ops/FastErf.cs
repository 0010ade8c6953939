using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Tensors.Ops;

/// <summary>
/// erf for float32 spans, eight lanes at a time, computed in double: for |x| &lt; 1, x P(2x² - 1); for |x| &gt;= 1,
/// 1 - e^-x² Q((|x| - 2.5) / 1.5), with |x| capped at 4 (float's erf is 1 from 3.92 on). P (degree 7) and Q (degree
/// 14) are Chebyshev interpolants of erf(x)/x and erfc(x) e^x², fitted for this library; both stay within 4e-11 of
/// erf relative, so the float result is erf correctly rounded but for near-ties. The per-element double series of
/// <see cref="ErfMath"/> costs tens of nanoseconds, and Gelu runs erf over every activation.
/// </summary>
internal static class FastErf
{
    public static bool IsSupported => Vector256.IsHardwareAccelerated;

    // erf(x) / x in v = 2x² - 1, for |x| <= 1 (power basis of the degree-7 Chebyshev interpolant).
    private static ReadOnlySpan<double> Small =>
    [
        0.9654687386375682, -0.1405360890211202, 0.01985249772247516, -0.002285485612220417, 0.00021751199055808357,
        -1.753691416139791e-05, 1.2316396444944644e-06, -7.552379832631573e-08,
    ];

    // erfc(x) e^(x²) in w = (x - 2.5) / 1.5, for 1 <= x <= 4 (degree 14).
    private static ReadOnlySpan<double> Tail =>
    [
        0.2108063640611448, -0.11152102073475337, 0.05611049362961499, -0.02700527618997585, 0.012489367003366827,
        -0.0055709256915738685, 0.0024037214344179896, -0.0010047997077280732, 0.0004087380367173192,
        -0.00016447865065446853, 6.34092535555908e-05, -2.0504719718417163e-05, 7.665360978611106e-06,
        -5.053529755135363e-06, 1.7580968422710916e-06,
    ];

    public static void Apply(ReadOnlySpan<float> x, Span<float> destination)
    {
        ref float rx = ref MemoryMarshal.GetReference(x);
        ref float rd = ref MemoryMarshal.GetReference(destination);
        int i = 0;
        for (; i <= x.Length - Vector256<float>.Count; i += Vector256<float>.Count)
        {
            var (lo, hi) = Vector256.Widen(Vector256.LoadUnsafe(ref rx, (nuint)i));
            Vector256.Narrow(Erf(lo), Erf(hi)).StoreUnsafe(ref rd, (nuint)i);
        }
        for (; i < x.Length; i++) destination[i] = (float)ErfMath.Erf(x[i]);
    }

    private static Vector256<double> Erf(Vector256<double> x)
    {
        var one = Vector256<double>.One;
        var square = x * x;
        var small = x * Horner(square + square - one, Small);
        var a = Vector256.Min(Vector256.Abs(x), Vector256.Create(4.0)); // NaN stays NaN
        var erfc = Vector256.Exp(-square) * Horner((a - Vector256.Create(2.5)) * Vector256.Create(1 / 1.5), Tail);
        var large = Vector256.ConditionalSelect(Vector256.Create(-0.0), x, one - erfc); // the sign bit of x
        return Vector256.ConditionalSelect(Vector256.LessThan(Vector256.Abs(x), one), small, large);
    }

    private static Vector256<double> Horner(Vector256<double> t, ReadOnlySpan<double> c)
    {
        var r = Vector256.Create(c[^1]);
        for (int k = c.Length - 2; k >= 0; k--) r = Vector256.FusedMultiplyAdd(r, t, Vector256.Create(c[k]));
        return r;
    }
}
