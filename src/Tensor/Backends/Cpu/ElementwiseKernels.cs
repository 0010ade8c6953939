using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Tensors.Ops;

namespace Tensors.Backends.Cpu;

// Each kernel handles one run: the contiguous case through SIMD spans, a broadcast (stride-0) operand through the
// span-with-scalar forms, anything else through a strided scalar loop. Operand 0 is always the destination.

internal readonly struct UnaryKernel<T, TFn>(T[] d, T[] s, int sd, int ss) : IRunKernel
    where T : unmanaged where TFn : struct, IUnaryFn<T>
{
    public void Run(int od, int os, int _, int __, int n)
    {
        if (sd == 1 && ss == 1) TFn.Apply(s.AsSpan(os, n), d.AsSpan(od, n));
        else if (sd == 1 && ss == 0) d.AsSpan(od, n).Fill(TFn.Apply(s[os]));
        else for (int i = 0; i < n; i++) d[od + i * sd] = TFn.Apply(s[os + i * ss]);
    }
}

internal readonly struct BinaryKernel<T, TFn>(T[] d, T[] a, T[] b, int sd, int sa, int sb) : IRunKernel
    where T : unmanaged where TFn : struct, IBinaryFn<T>
{
    public void Run(int od, int oa, int ob, int _, int n)
    {
        if (sd == 1)
        {
            if (sa == 1 && sb == 1) { TFn.Apply(a.AsSpan(oa, n), b.AsSpan(ob, n), d.AsSpan(od, n)); return; }
            if (sa == 1 && sb == 0) { TFn.Apply(a.AsSpan(oa, n), b[ob], d.AsSpan(od, n)); return; }
            if (sa == 0 && sb == 1) { TFn.Apply(a[oa], b.AsSpan(ob, n), d.AsSpan(od, n)); return; }
        }
        for (int i = 0; i < n; i++) d[od + i * sd] = TFn.Apply(a[oa + i * sa], b[ob + i * sb]);
    }
}

internal readonly struct CompareKernel<T, TFn>(byte[] d, T[] a, T[] b, int sd, int sa, int sb) : IRunKernel
    where T : unmanaged, INumber<T> where TFn : struct, ICompareFn<T>
{
    public void Run(int od, int oa, int ob, int _, int n)
    {
        int i = 0;
        if (sd == 1 && sa == 1 && sb == 1 && Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
        {
            int lanes = Vector256<T>.Count;
            ref T ra = ref MemoryMarshal.GetArrayDataReference(a);
            ref T rb = ref MemoryMarshal.GetArrayDataReference(b);
            for (; i <= n - lanes; i += lanes)
            {
                var mask = TFn.Apply(Vector256.LoadUnsafe(ref ra, (nuint)(oa + i)), Vector256.LoadUnsafe(ref rb, (nuint)(ob + i)));
                MaskBytes.Write(mask.ExtractMostSignificantBits(), lanes, d.AsSpan(od + i, lanes));
            }
        }
        for (; i < n; i++) d[od + i * sd] = TFn.Apply(a[oa + i * sa], b[ob + i * sb]) ? (byte)1 : (byte)0;
    }
}

/// <summary>Turns a lane bit mask into bytes of 0 or 1, eight lanes per table lookup.</summary>
internal static class MaskBytes
{
    private static readonly ulong[] Table = Build();

    private static ulong[] Build()
    {
        var t = new ulong[256];
        for (int m = 0; m < 256; m++)
            for (int bit = 0; bit < 8; bit++)
                if ((m & (1 << bit)) != 0) t[m] |= 1UL << (8 * bit);
        return t;
    }

    public static void Write(uint bits, int lanes, Span<byte> d)
    {
        for (int g = 0; g < lanes; g += 8)
        {
            ulong bytes = Table[(bits >> g) & 0xFF];
            if (lanes - g >= 8) Unsafe.WriteUnaligned(ref d[g], bytes);
            else Unsafe.WriteUnaligned(ref d[g], (uint)bytes); // 4 lanes (double, long)
        }
    }
}

internal readonly struct WhereKernel<T>(T[] d, byte[] c, T[] a, T[] b, int sd, int sc, int sa, int sb) : IRunKernel
    where T : unmanaged
{
    public void Run(int od, int oc, int oa, int ob, int n)
    {
        if (sd == 1 && sc == 1 && sa == 1 && sb == 1)
        {
            var dd = d.AsSpan(od, n); var cc = c.AsSpan(oc, n); var aa = a.AsSpan(oa, n); var bb = b.AsSpan(ob, n);
            for (int i = 0; i < dd.Length; i++) dd[i] = cc[i] != 0 ? aa[i] : bb[i];
            return;
        }
        for (int i = 0; i < n; i++) d[od + i * sd] = c[oc + i * sc] != 0 ? a[oa + i * sa] : b[ob + i * sb];
    }
}

internal readonly struct FillKernel<T>(T[] d, int sd, T value) : IRunKernel where T : unmanaged
{
    public void Run(int od, int _, int __, int ___, int n)
    {
        if (sd == 1) d.AsSpan(od, n).Fill(value);
        else for (int i = 0; i < n; i++) d[od + i * sd] = value;
    }
}

internal readonly struct CastKernel<TFrom, TTo>(TTo[] d, TFrom[] s, int sd, int ss, bool toBool) : IRunKernel
    where TFrom : unmanaged, INumber<TFrom> where TTo : unmanaged, INumber<TTo>
{
    public void Run(int od, int os, int _, int __, int n)
    {
        if (sd == 1 && ss == 1 && !toBool)
        {
            if (typeof(TFrom) == typeof(TTo)) MemoryMarshal.Cast<TFrom, TTo>(s.AsSpan(os, n)).CopyTo(d.AsSpan(od, n));
            else TensorPrimitives.ConvertTruncating<TFrom, TTo>(s.AsSpan(os, n), d.AsSpan(od, n));
            return;
        }
        for (int i = 0; i < n; i++) d[od + i * sd] = Convert<TFrom, TTo>.Apply(s[os + i * ss], toBool);
    }
}

/// <summary>
/// A copy whose source runs across the destination's rows (a transpose): walk 32x32 tiles so both sides stay in
/// cache, instead of striding through one of them a whole row at a time.
/// </summary>
internal readonly struct TiledCastKernel<TFrom, TTo>(TTo[] d, TFrom[] s, int rows, int[] rowStrides, int[] colStrides, bool toBool) : IRunKernel
    where TFrom : unmanaged, INumber<TFrom> where TTo : unmanaged, INumber<TTo>
{
    private const int Tile = 32;

    public void Run(int od, int os, int _, int __, int cols)
    {
        int dr = rowStrides[0], sr = rowStrides[1], dc = colStrides[0], sc = colStrides[1];
        for (int r0 = 0; r0 < rows; r0 += Tile)
        {
            int r1 = Math.Min(rows, r0 + Tile);
            for (int c0 = 0; c0 < cols; c0 += Tile)
            {
                int c1 = Math.Min(cols, c0 + Tile);
                for (int c = c0; c < c1; c++)
                    for (int r = r0; r < r1; r++)
                        d[od + r * dr + c * dc] = Convert<TFrom, TTo>.Apply(s[os + r * sr + c * sc], toBool);
            }
        }
    }
}
