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
    public void Run(int od, int oa, int ob, int unused3, int n)
    {
        int i = 0;
        // Contiguous, or against a broadcast scalar on either side (x <= 0 in ReLU's backward).
        if (sd == 1 && sa is 0 or 1 && sb is 0 or 1 && n > 0 && Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
            i = Vectorized(od, oa, ob, n);
        for (; i < n; i++) d[od + i * sd] = TFn.Apply(a[oa + i * sa], b[ob + i * sb]) ? (byte)1 : (byte)0;
    }

    // 32 lanes a step: the lane masks narrowed to one byte each (0 or -1, then 1) and stored as one vector; shorter
    // runs and the tail a vector of lanes at a time through a table. Returns how many were done.
    private int Vectorized(int od, int oa, int ob, int n)
    {
        // Strides 0 or 1: each operand's last element is its largest index, checked once for the unchecked loads.
        _ = d[od + n - 1]; _ = a[oa + (n - 1) * sa]; _ = b[ob + (n - 1) * sb];
        ref T ra = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(a), oa);
        ref T rb = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(b), ob);
        ref byte rd = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(d), od);
        Vector256<T> aAll = Vector256.Create(a[oa]), bAll = Vector256.Create(b[ob]);
        int lanes = Vector256<T>.Count, i = 0;
        if (Unsafe.SizeOf<T>() is 4 or 8)
            for (; i <= n - 32; i += 32)
            {
                Vector256<int> m0, m1, m2, m3;
                if (Unsafe.SizeOf<T>() == 4)
                {
                    m0 = Mask(ref ra, ref rb, i, aAll, bAll).AsInt32(); m1 = Mask(ref ra, ref rb, i + 8, aAll, bAll).AsInt32();
                    m2 = Mask(ref ra, ref rb, i + 16, aAll, bAll).AsInt32(); m3 = Mask(ref ra, ref rb, i + 24, aAll, bAll).AsInt32();
                }
                else
                {
                    m0 = Vector256.Narrow(Mask(ref ra, ref rb, i, aAll, bAll).AsInt64(), Mask(ref ra, ref rb, i + 4, aAll, bAll).AsInt64());
                    m1 = Vector256.Narrow(Mask(ref ra, ref rb, i + 8, aAll, bAll).AsInt64(), Mask(ref ra, ref rb, i + 12, aAll, bAll).AsInt64());
                    m2 = Vector256.Narrow(Mask(ref ra, ref rb, i + 16, aAll, bAll).AsInt64(), Mask(ref ra, ref rb, i + 20, aAll, bAll).AsInt64());
                    m3 = Vector256.Narrow(Mask(ref ra, ref rb, i + 24, aAll, bAll).AsInt64(), Mask(ref ra, ref rb, i + 28, aAll, bAll).AsInt64());
                }
                var bytes = Vector256.Narrow(Vector256.Narrow(m0, m1), Vector256.Narrow(m2, m3)).AsByte() & Vector256<byte>.One;
                bytes.StoreUnsafe(ref rd, (nuint)i);
            }
        for (; i <= n - lanes; i += lanes)
            MaskBytes.Write(Mask(ref ra, ref rb, i, aAll, bAll).ExtractMostSignificantBits(), lanes, MemoryMarshal.CreateSpan(ref Unsafe.Add(ref rd, i), lanes));
        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector256<T> Mask(ref T ra, ref T rb, int i, Vector256<T> aAll, Vector256<T> bAll) =>
        TFn.Apply(sa == 0 ? aAll : Vector256.LoadUnsafe(ref ra, (nuint)i), sb == 0 ? bAll : Vector256.LoadUnsafe(ref rb, (nuint)i));
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
        // Contiguous, or with a broadcast scalar on either side (ReLU's backward selects between 0 and the gradient).
        if (sd == 1 && sc == 1 && sa is 0 or 1 && sb is 0 or 1)
        {
            if (Avx2.IsSupported && Unsafe.SizeOf<T>() is 4 or 8 && n > 0) i = Vectorized(od, oc, oa, ob, n);
            for (; i < n; i++) d[od + i] = c[oc + i] != 0 ? a[oa + i * sa] : b[ob + i * sb];
            return;
        }
        for (; i < n; i++) d[od + i * sd] = c[oc + i * sc] != 0 ? a[oa + i * sa] : b[ob + i * sb];
    }

    // A vector of conditions at a time: the condition bytes widened to lanes of T's width (vpmovzxbd/bq) select
    // between the two operands' bits, so every 4- and 8-byte dtype shares the one path; a stride-0 operand is one
    // broadcast vector. Returns how many were done.
    private int Vectorized(int od, int oc, int oa, int ob, int n)
    {
        // The last element of each operand is its largest index (strides 0 or 1): checked once for the unchecked
        // loads below.
        _ = d[od + n - 1]; _ = c[oc + n - 1]; _ = a[oa + (n - 1) * sa]; _ = b[ob + (n - 1) * sb];
        ref byte rc = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(c), oc);
        ref byte ra = ref Unsafe.As<T, byte>(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(a), oa));
        ref byte rb = ref Unsafe.As<T, byte>(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(b), ob));
        ref byte rd = ref Unsafe.As<T, byte>(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(d), od));
        Vector256<byte> aAll = Vector256.Create(a[oa]).AsByte(), bAll = Vector256.Create(b[ob]).AsByte();
        int lanes = Vector256<byte>.Count / Unsafe.SizeOf<T>(), i = 0;
        for (; i <= n - lanes; i += lanes)
        {
            // Exactly `lanes` condition bytes are read: 8 for 4-byte elements, 4 for 8-byte ones.
            var keep = Unsafe.SizeOf<T>() == 4
                ? Vector256.Equals(Avx2.ConvertToVector256Int32(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref rc, i))).AsByte()), Vector256<int>.Zero).AsByte()
                : Vector256.Equals(Avx2.ConvertToVector256Int64(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref rc, i))).AsByte()), Vector256<long>.Zero).AsByte();
            nuint at = (nuint)(i * Unsafe.SizeOf<T>());
            var va = sa == 0 ? aAll : Vector256.LoadUnsafe(ref ra, at);
            var vb = sb == 0 ? bAll : Vector256.LoadUnsafe(ref rb, at);
            Vector256.ConditionalSelect(keep, vb, va).StoreUnsafe(ref rd, at);
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
