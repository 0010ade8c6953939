using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using X86 = System.Runtime.Intrinsics.X86;

namespace Tensors.Backends.Cpu;

/// <summary>A strided matrix operand: element (i, j) is at Offset + i*RowStride + j*ColStride.</summary>
internal readonly record struct MatrixRef<T>(T[] Data, int Offset, int RowStride, int ColStride)
{
    public T this[int i, int j] => Data[Offset + i * RowStride + j * ColStride];
}

/// <summary>
/// C = A @ B for one matrix, cache-blocked in the Goto/BLIS way: B is packed in KC x NR panels and A in MR x KC
/// panels, so a 4 x (2 SIMD vectors) micro-kernel streams both from L1/L2 with FMAs. Row blocks of C go to
/// different cores. Integer types take a plain loop (they are rare in matmul).
/// </summary>
internal static class Gemm
{
    private const int MR = 4;
    private const int KC = 256;
    private const int MC = 64;  // multiple of MR
    private const int NC = 512;

    public static void Multiply<T>(MatrixRef<T> a, MatrixRef<T> b, T[] c, int cOffset, int ldc, int m, int n, int k, bool parallel)
        where T : unmanaged, INumber<T>
    {
        if (m == 0 || n == 0) return; // no output (and no row of C to clear: its offsets may lie past the storage)
        for (int i = 0; i < m; i++) c.AsSpan(cOffset + i * ldc, n).Clear();
        if (k == 0) return;
        bool simd = (typeof(T) == typeof(float) || typeof(T) == typeof(double)) && Vector256.IsHardwareAccelerated;
        if (simd && (n == 1 || m == 1) && MatrixVector(a, b, c, cOffset, ldc, m, n, k)) return;
        if (!simd || (long)m * n * k < 4096)
        {
            Naive(a, b, c, cOffset, ldc, m, n, k);
            return;
        }
        Blocked(a, b, c, cOffset, ldc, m, n, k, parallel && (long)m * n * k >= 1 << 18);
    }

    // A matrix times a vector (n == 1) or a vector times a matrix (m == 1): packing panels for a single column
    // would waste most of the micro-kernel, so these are dot products or AXPYs over whichever side is contiguous.
    private static bool MatrixVector<T>(MatrixRef<T> a, MatrixRef<T> b, T[] c, int cOffset, int ldc, int m, int n, int k)
        where T : unmanaged, INumber<T>
    {
        if (n == 1 && a.ColStride == 1)
        {
            var column = Column(b.Data, b.Offset, b.RowStride, k);
            for (int i = 0; i < m; i++)
                c[cOffset + i * ldc] = System.Numerics.Tensors.TensorPrimitives.Dot(a.Data.AsSpan(a.Offset + i * a.RowStride, k), column);
            return true;
        }
        if (n == 1 && a.RowStride == 1 && ldc == 1)
        {
            var result = c.AsSpan(cOffset, m);
            for (int p = 0; p < k; p++)
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(a.Data.AsSpan(a.Offset + p * a.ColStride, m), b[p, 0], result, result);
            return true;
        }
        if (m == 1 && b.ColStride == 1)
        {
            var result = c.AsSpan(cOffset, n);
            for (int p = 0; p < k; p++)
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(b.Data.AsSpan(b.Offset + p * b.RowStride, n), a[0, p], result, result);
            return true;
        }
        if (m == 1 && b.RowStride == 1)
        {
            var row = Column(a.Data, a.Offset, a.ColStride, k);
            for (int j = 0; j < n; j++)
                c[cOffset + j] = System.Numerics.Tensors.TensorPrimitives.Dot(b.Data.AsSpan(b.Offset + j * b.ColStride, k), row);
            return true;
        }
        return false;
    }

    // k elements step apart, as a span: the array itself when contiguous, else a copy.
    private static ReadOnlySpan<T> Column<T>(T[] data, int offset, int step, int k) where T : unmanaged
    {
        if (step == 1) return data.AsSpan(offset, k);
        var copy = new T[k];
        for (int p = 0; p < k; p++) copy[p] = data[offset + p * step];
        return copy;
    }

    private static void Naive<T>(MatrixRef<T> a, MatrixRef<T> b, T[] c, int cOffset, int ldc, int m, int n, int k)
        where T : unmanaged, INumber<T>
    {
        for (int i = 0; i < m; i++)
        {
            var row = c.AsSpan(cOffset + i * ldc, n);
            for (int p = 0; p < k; p++)
            {
                T av = a[i, p];
                if (b.ColStride == 1)
                {
                    var brow = b.Data.AsSpan(b.Offset + p * b.RowStride, n);
                    for (int j = 0; j < n; j++) row[j] += av * brow[j];
                }
                else
                    for (int j = 0; j < n; j++) row[j] += av * b[p, j];
            }
        }
    }

    private static void Blocked<T>(MatrixRef<T> a, MatrixRef<T> b, T[] c, int cOffset, int ldc, int m, int n, int k, bool parallel)
        where T : unmanaged, INumber<T>
    {
        int nr = 2 * Vector256<T>.Count;
        var bPack = ArrayPool<T>.Shared.Rent(KC * (NC + nr));
        try
        {
            for (int jc = 0; jc < n; jc += NC)
            {
                int nc = Math.Min(NC, n - jc);
                for (int pc = 0; pc < k; pc += KC)
                {
                    int kc = Math.Min(KC, k - pc);
                    PackB(b, pc, kc, jc, nc, nr, bPack);
                    int blocks = (m + MC - 1) / MC;
                    void Block(int blk)
                    {
                        int ic = blk * MC, mc = Math.Min(MC, m - ic);
                        var aPack = ArrayPool<T>.Shared.Rent(KC * (MC + MR));
                        try
                        {
                            PackA(a, ic, mc, pc, kc, aPack);
                            for (int jr = 0; jr < nc; jr += nr)
                                for (int ir = 0; ir < mc; ir += MR)
                                    MicroKernel(aPack, ir * kc, bPack, jr * kc, kc, c,
                                        cOffset + (ic + ir) * ldc + jc + jr, ldc, Math.Min(MR, mc - ir), Math.Min(nr, nc - jr));
                        }
                        finally { ArrayPool<T>.Shared.Return(aPack); }
                    }
                    if (parallel && blocks > 1) Parallel.For(0, blocks, Block);
                    else for (int blk = 0; blk < blocks; blk++) Block(blk);
                }
            }
        }
        finally { ArrayPool<T>.Shared.Return(bPack); }
    }

    // Panel jr holds B[pc..pc+kc, jc+jr..jc+jr+nr] row by row, zero-padded past n.
    private static void PackB<T>(MatrixRef<T> b, int pc, int kc, int jc, int nc, int nr, T[] dst) where T : unmanaged, INumber<T>
    {
        for (int jr = 0; jr < nc; jr += nr)
        {
            int w = Math.Min(nr, nc - jr);
            int panel = jr * kc;
            for (int p = 0; p < kc; p++)
            {
                var row = dst.AsSpan(panel + p * nr, nr);
                int src = b.Offset + (pc + p) * b.RowStride + (jc + jr) * b.ColStride;
                if (b.ColStride == 1) b.Data.AsSpan(src, w).CopyTo(row);
                else for (int j = 0; j < w; j++) row[j] = b.Data[src + j * b.ColStride];
                row[w..].Clear();
            }
        }
    }

    // Panel ir holds A[ic+ir..+MR, pc..pc+kc] column by column (MR values per k), zero-padded past m.
    private static void PackA<T>(MatrixRef<T> a, int ic, int mc, int pc, int kc, T[] dst) where T : unmanaged, INumber<T>
    {
        for (int ir = 0; ir < mc; ir += MR)
        {
            int h = Math.Min(MR, mc - ir);
            int panel = ir * kc;
            for (int p = 0; p < kc; p++)
            {
                int o = panel + p * MR;
                for (int i = 0; i < h; i++) dst[o + i] = a[ic + ir + i, pc + p];
                for (int i = h; i < MR; i++) dst[o + i] = T.Zero;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> Fma<T>(Vector256<T> x, Vector256<T> y, Vector256<T> acc) where T : unmanaged
    {
        if (X86.Fma.IsSupported)
        {
            if (typeof(T) == typeof(float)) return X86.Fma.MultiplyAdd(x.AsSingle(), y.AsSingle(), acc.AsSingle()).As<float, T>();
            if (typeof(T) == typeof(double)) return X86.Fma.MultiplyAdd(x.AsDouble(), y.AsDouble(), acc.AsDouble()).As<double, T>();
        }
        return x * y + acc;
    }

    // C[0..h, 0..w] += Apanel (MR x kc) @ Bpanel (kc x NR): a 4 x (2 SIMD vectors) tile of accumulators. Four rows
    // keep the accumulators, two B vectors and one broadcast A value within the 16 vector registers; with six rows
    // the JIT spills the accumulators to the stack on every iteration.
    [SkipLocalsInit]
    private static void MicroKernel<T>(T[] ap, int ao, T[] bp, int bo, int kc, T[] c, int co, int ldc, int h, int w)
        where T : unmanaged, INumber<T>
    {
        int lanes = Vector256<T>.Count, nr = 2 * lanes;
        ref T ra = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(ap), ao);
        ref T rb = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(bp), bo);
        _ = ap[ao + kc * MR - 1];
        _ = bp[bo + kc * nr - 1];
        Vector256<T> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector256<T> c20 = default, c21 = default, c30 = default, c31 = default;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector256.LoadUnsafe(ref rb);
            var b1 = Vector256.LoadUnsafe(ref rb, (nuint)lanes);
            var a0 = Vector256.Create(ra); c00 = Fma(a0, b0, c00); c01 = Fma(a0, b1, c01);
            var a1 = Vector256.Create(Unsafe.Add(ref ra, 1)); c10 = Fma(a1, b0, c10); c11 = Fma(a1, b1, c11);
            var a2 = Vector256.Create(Unsafe.Add(ref ra, 2)); c20 = Fma(a2, b0, c20); c21 = Fma(a2, b1, c21);
            var a3 = Vector256.Create(Unsafe.Add(ref ra, 3)); c30 = Fma(a3, b0, c30); c31 = Fma(a3, b1, c31);
            ra = ref Unsafe.Add(ref ra, MR);
            rb = ref Unsafe.Add(ref rb, nr);
        }
        if (h == MR && w == nr)
        {
            // A full tile lies inside C: add the accumulators in place.
            _ = c[co + (MR - 1) * ldc + nr - 1];
            ref T rc = ref MemoryMarshal.GetArrayDataReference(c);
            AddTo(ref Unsafe.Add(ref rc, co), lanes, c00, c01);
            AddTo(ref Unsafe.Add(ref rc, co + ldc), lanes, c10, c11);
            AddTo(ref Unsafe.Add(ref rc, co + 2 * ldc), lanes, c20, c21);
            AddTo(ref Unsafe.Add(ref rc, co + 3 * ldc), lanes, c30, c31);
            return;
        }
        Span<T> tile = stackalloc T[MR * 2 * Vector256<T>.Count];
        c00.CopyTo(tile); c01.CopyTo(tile[lanes..]);
        c10.CopyTo(tile[nr..]); c11.CopyTo(tile[(nr + lanes)..]);
        c20.CopyTo(tile[(2 * nr)..]); c21.CopyTo(tile[(2 * nr + lanes)..]);
        c30.CopyTo(tile[(3 * nr)..]); c31.CopyTo(tile[(3 * nr + lanes)..]);
        for (int i = 0; i < h; i++)
        {
            var dst = c.AsSpan(co + i * ldc, w);
            System.Numerics.Tensors.TensorPrimitives.Add(dst, tile.Slice(i * nr, w), dst);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddTo<T>(ref T row, int lanes, Vector256<T> v0, Vector256<T> v1) where T : unmanaged
    {
        (Vector256.LoadUnsafe(ref row) + v0).StoreUnsafe(ref row);
        (Vector256.LoadUnsafe(ref row, (nuint)lanes) + v1).StoreUnsafe(ref row, (nuint)lanes);
    }
}
