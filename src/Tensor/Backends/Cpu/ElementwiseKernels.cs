using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Tensors.Ops;

namespace Tensors.Backends.Cpu;

// Each kernel handles one run: the contiguous case through SIMD spans, a broadcast (stride-0) operand through the
// span-with-scalar forms, anything else through a strided scalar loop. Operand 0 is always the destination.

internal readonly struct UnaryKernel<T, TFn>(T[] d, T[] s, int sd, int ss) : IRunKernel
    where T : unmanaged where TFn : struct, IUnaryFn<T>
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run(int od, int oc, int oa, int ob, int n)
    {
        int i = 0;
        if (sd == 1 && sc == 1 && sa == 1 && sb == 1)
        {
            var dd = d.AsSpan(od, n); var cc = c.AsSpan(oc, n); var aa = a.AsSpan(oa, n); var bb = b.AsSpan(ob, n);
            if (Avx2.IsSupported && Unsafe.SizeOf<T>() is 4 or 8) i = Vectorized(dd, cc, aa, bb);
            for (; i < dd.Length; i++) dd[i] = cc[i] != 0 ? aa[i] : bb[i];
            return;
        }
        for (; i < n; i++) d[od + i * sd] = c[oc + i * sc] != 0 ? a[oa + i * sa] : b[ob + i * sb];
    }

    // A vector of conditions at a time: the condition bytes widened to lanes of T's width (vpmovzxbd/bq) select
    // between the two operands' bits, so every 4- and 8-byte dtype shares the one path. Returns how many were done.
    private static int Vectorized(Span<T> d, ReadOnlySpan<byte> c, ReadOnlySpan<T> a, ReadOnlySpan<T> b)
    {
        ref byte rc = ref MemoryMarshal.GetReference(c);
        ref byte ra = ref Unsafe.As<T, byte>(ref MemoryMarshal.GetReference(a));
        ref byte rb = ref Unsafe.As<T, byte>(ref MemoryMarshal.GetReference(b));
        ref byte rd = ref Unsafe.As<T, byte>(ref MemoryMarshal.GetReference(d));
        int lanes = Vector256<byte>.Count / Unsafe.SizeOf<T>(), i = 0;
        for (; i <= d.Length - lanes; i += lanes)
        {
            // Exactly `lanes` condition bytes are read: 8 for 4-byte elements, 4 for 8-byte ones.
            var keep = Unsafe.SizeOf<T>() == 4
                ? Vector256.Equals(Avx2.ConvertToVector256Int32(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref rc, i))).AsByte()), Vector256<int>.Zero).AsByte()
                : Vector256.Equals(Avx2.ConvertToVector256Int64(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref rc, i))).AsByte()), Vector256<long>.Zero).AsByte();
            nuint at = (nuint)(i * Unsafe.SizeOf<T>());
            Vector256.ConditionalSelect(keep, Vector256.LoadUnsafe(ref rb, at), Vector256.LoadUnsafe(ref ra, at)).StoreUnsafe(ref rd, at);
        }
        return i;
    }
}

internal readonly struct FillKernel<T>(T[] d, int sd, T value) : IRunKernel where T : unmanaged
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run(int od, int _, int __, int ___, int n)
    {
        if (sd == 1) d.AsSpan(od, n).Fill(value);
        else for (int i = 0; i < n; i++) d[od + i * sd] = value;
    }
}

internal readonly struct CastKernel<TFrom, TTo>(TTo[] d, TFrom[] s, int sd, int ss, bool toBool) : IRunKernel
    where TFrom : unmanaged, INumber<TFrom> where TTo : unmanaged, INumber<TTo>
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run(int od, int os, int _, int __, int n)
    {
        if (sd == 1 && ss == 1 && !toBool)
        {
            if (typeof(TFrom) == typeof(TTo)) { MemoryMarshal.Cast<TFrom, TTo>(s.AsSpan(os, n)).CopyTo(d.AsSpan(od, n)); return; }
            if (Convert<TFrom, TTo>.Vectorizable) { TensorPrimitives.ConvertTruncating<TFrom, TTo>(s.AsSpan(os, n), d.AsSpan(od, n)); return; }
        }
        for (int i = 0; i < n; i++) d[od + i * sd] = Convert<TFrom, TTo>.Apply(s[os + i * ss], toBool);
    }
}

/// <summary>
/// A copy whose source runs across the destination's rows (a transpose). Blocks of 8 rows keep the strided side
/// within a few cache lines (wider tiles thrash L1 when the stride is a power of two); 4-byte elements move as
/// 8x8 blocks transposed in AVX registers, so both sides are read and written a vector at a time. Large copies
/// split their row blocks across cores.
/// </summary>
internal readonly struct TiledCastKernel<TFrom, TTo>(TTo[] d, TFrom[] s, int rows, int[] rowStrides, int[] colStrides, bool toBool) : IRunKernel
    where TFrom : unmanaged, INumber<TFrom> where TTo : unmanaged, INumber<TTo>
{
    private const int Tile = 8;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run(int od, int os, int _, int __, int cols)
    {
        int tiles = (rows + Tile - 1) / Tile;
        if ((long)rows * cols >= 1 << 16 && tiles > 1)
        {
            var self = this;
            Parallel.For(0, tiles, t => self.RowBlock(od, os, t * Tile, cols));
        }
        else
            for (int t = 0; t < tiles; t++) RowBlock(od, os, t * Tile, cols);
    }

    private void RowBlock(int od, int os, int r0, int cols)
    {
        int dr = rowStrides[0], sr = rowStrides[1], dc = colStrides[0], sc = colStrides[1];
        int r1 = Math.Min(rows, r0 + Tile);
        // Strides are non-negative, so the block's last corner is its largest index: checking both corners once
        // makes the unchecked accesses below safe.
        _ = d[od + (r1 - 1) * dr + (cols - 1) * dc];
        _ = s[os + (r1 - 1) * sr + (cols - 1) * sc];
        ref TTo rd = ref MemoryMarshal.GetArrayDataReference(d);
        ref TFrom rs = ref MemoryMarshal.GetArrayDataReference(s);
        int c = 0;
        if (typeof(TFrom) == typeof(TTo) && Unsafe.SizeOf<TFrom>() == 4 && !toBool && dc == 1 && sr == 1 && r1 - r0 == 8 && Avx.IsSupported)
        {
            ref float fd = ref Unsafe.As<TTo, float>(ref rd);
            ref float fs = ref Unsafe.As<TFrom, float>(ref rs);
            for (; c + 8 <= cols; c += 8)
                Transpose8x8(ref Unsafe.Add(ref fs, os + r0 + c * sc), sc, ref Unsafe.Add(ref fd, od + r0 * dr + c), dr);
        }
        for (; c < cols; c++)
        {
            int di = od + r0 * dr + c * dc, si = os + r0 * sr + c * sc;
            for (int r = r0; r < r1; r++, di += dr, si += sr)
            {
                TFrom v = Unsafe.Add(ref rs, si);
                Unsafe.Add(ref rd, di) = typeof(TFrom) == typeof(TTo) && !toBool
                    ? Unsafe.As<TFrom, TTo>(ref v)
                    : Convert<TFrom, TTo>.Apply(v, toBool);
            }
        }
    }

    // Eight source vectors (one per column, 8 rows each) become eight destination vectors (one per row).
    private static void Transpose8x8(ref float src, int srcStride, ref float dst, int dstStride)
    {
        var r0 = Vector256.LoadUnsafe(ref src); var r1 = Vector256.LoadUnsafe(ref src, (nuint)srcStride);
        var r2 = Vector256.LoadUnsafe(ref src, (nuint)(2 * srcStride)); var r3 = Vector256.LoadUnsafe(ref src, (nuint)(3 * srcStride));
        var r4 = Vector256.LoadUnsafe(ref src, (nuint)(4 * srcStride)); var r5 = Vector256.LoadUnsafe(ref src, (nuint)(5 * srcStride));
        var r6 = Vector256.LoadUnsafe(ref src, (nuint)(6 * srcStride)); var r7 = Vector256.LoadUnsafe(ref src, (nuint)(7 * srcStride));
        var t0 = Avx.UnpackLow(r0, r1); var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3); var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5); var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7); var t7 = Avx.UnpackHigh(r6, r7);
        var u0 = Avx.Shuffle(t0, t2, 0x44); var u1 = Avx.Shuffle(t0, t2, 0xEE);
        var u2 = Avx.Shuffle(t1, t3, 0x44); var u3 = Avx.Shuffle(t1, t3, 0xEE);
        var u4 = Avx.Shuffle(t4, t6, 0x44); var u5 = Avx.Shuffle(t4, t6, 0xEE);
        var u6 = Avx.Shuffle(t5, t7, 0x44); var u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Permute2x128(u0, u4, 0x20).StoreUnsafe(ref dst);
        Avx.Permute2x128(u1, u5, 0x20).StoreUnsafe(ref dst, (nuint)dstStride);
        Avx.Permute2x128(u2, u6, 0x20).StoreUnsafe(ref dst, (nuint)(2 * dstStride));
        Avx.Permute2x128(u3, u7, 0x20).StoreUnsafe(ref dst, (nuint)(3 * dstStride));
        Avx.Permute2x128(u0, u4, 0x31).StoreUnsafe(ref dst, (nuint)(4 * dstStride));
        Avx.Permute2x128(u1, u5, 0x31).StoreUnsafe(ref dst, (nuint)(5 * dstStride));
        Avx.Permute2x128(u2, u6, 0x31).StoreUnsafe(ref dst, (nuint)(6 * dstStride));
        Avx.Permute2x128(u3, u7, 0x31).StoreUnsafe(ref dst, (nuint)(7 * dstStride));
    }
}
