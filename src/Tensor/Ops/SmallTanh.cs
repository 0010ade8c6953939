using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Tensors.Ops;

/// <summary>
/// tanh for |x| &lt; 0.625 from Cephes (tanhf's odd polynomial, tanh's rational form; about 1 ulp), blended over
/// results computed for larger |x|: d[i] = |x[i]| &lt; 0.625 ? small(x[i]) : wide[i]. Reads x[i] before writing
/// d[i], so d may be x.
/// </summary>
internal static class SmallTanh
{
    private const double Limit = 0.625;

    public static void Patch(ReadOnlySpan<float> x, ReadOnlySpan<float> wide, Span<float> d)
    {
        ref float rx = ref MemoryMarshal.GetReference(x);
        ref float rw = ref MemoryMarshal.GetReference(wide);
        ref float rd = ref MemoryMarshal.GetReference(d);
        int i = 0;
        for (; i <= x.Length - Vector256<float>.Count; i += Vector256<float>.Count)
        {
            var v = Vector256.LoadUnsafe(ref rx, (nuint)i);
            var small = Vector256.LessThan(Vector256.Abs(v), Vector256.Create((float)Limit));
            Vector256.ConditionalSelect(small, Small(v), Vector256.LoadUnsafe(ref rw, (nuint)i)).StoreUnsafe(ref rd, (nuint)i);
        }
        for (; i < x.Length; i++)
        {
            float v = x[i];
            d[i] = MathF.Abs(v) < Limit ? Small(Vector256.Create(v)).ToScalar() : wide[i];
        }
    }

    public static void Patch(ReadOnlySpan<double> x, ReadOnlySpan<double> wide, Span<double> d)
    {
        ref double rx = ref MemoryMarshal.GetReference(x);
        ref double rw = ref MemoryMarshal.GetReference(wide);
        ref double rd = ref MemoryMarshal.GetReference(d);
        int i = 0;
        for (; i <= x.Length - Vector256<double>.Count; i += Vector256<double>.Count)
        {
            var v = Vector256.LoadUnsafe(ref rx, (nuint)i);
            var small = Vector256.LessThan(Vector256.Abs(v), Vector256.Create(Limit));
            Vector256.ConditionalSelect(small, Small(v), Vector256.LoadUnsafe(ref rw, (nuint)i)).StoreUnsafe(ref rd, (nuint)i);
        }
        for (; i < x.Length; i++)
        {
            double v = x[i];
            d[i] = Math.Abs(v) < Limit ? Small(Vector256.Create(v)).ToScalar() : wide[i];
        }
    }

    // x + x z P(z), z = x^2 (Cephes tanhf).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Small(Vector256<float> x)
    {
        var z = x * x;
        var p = Vector256.Create(-5.70498872745e-3f) * z + Vector256.Create(2.06390887954e-2f);
        p = p * z - Vector256.Create(5.37397155531e-2f);
        p = p * z + Vector256.Create(1.33314422036e-1f);
        p = p * z - Vector256.Create(3.33332819422e-1f);
        return p * z * x + x;
    }

    // x + x z P(z) / Q(z), z = x^2 (Cephes tanh).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Small(Vector256<double> x)
    {
        var z = x * x;
        var p = (Vector256.Create(-9.64399179425052238628e-1) * z + Vector256.Create(-9.92877231001918586564e1)) * z
            + Vector256.Create(-1.61468768441708447952e3);
        var q = ((z + Vector256.Create(1.12811678491632931402e2)) * z + Vector256.Create(2.23548839060100448583e3)) * z
            + Vector256.Create(4.84406305325125486048e3);
        return x * z * p / q + x;
    }
}
