using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Tensors.Backends.Cpu;

// The blocked product: the Goto/BLIS loop nest around a micro-kernel, and its split across cores.
internal static partial class Gemm
{
    // Below this many multiply-adds (about 20 us on one core near peak) waking a second core, which may have gone to
    // sleep or be busy elsewhere, and packing its share of the operands costs more than it saves. Square 128 stays
    // on one core; the MNIST layer (6M) and square 256 (16M) take both.
    private const long ParallelWork = 1L << 22;

    private static void Blocked<T, TKernel>(MatrixRef<T> a, MatrixRef<T> b, T[] c, int cOffset, int ldc, int m, int n, int k, bool parallel)
        where T : unmanaged, INumber<T> where TKernel : IMicroKernel<T>
    {
        // The micro-kernel writes C's full tiles without bounds checks: check C's first and last elements once.
        if (cOffset < 0 || ldc < n || cOffset + (long)(m - 1) * ldc + n > c.Length)
            throw new ArgumentOutOfRangeException(nameof(c),
                $"MatMul: a {m}x{n} result at offset {cOffset} with row stride {ldc} does not fit its storage of {c.Length}.");
        var blocks = BlockingFor(TKernel.MR, TKernel.NR, Unsafe.SizeOf<T>(), k);
        int tilesM = (m + TKernel.MR - 1) / TKernel.MR, tilesN = (n + TKernel.NR - 1) / TKernel.NR;
        // Split C into one stripe per core along the dimension with more tiles, in whole tiles so that the cores get
        // equal work; each core packs its own blocks (the other operand's packing is repeated, which costs about
        // one part in m (or n) of the product).
        bool byRows = tilesM >= tilesN;
        int tiles = byRows ? tilesM : tilesN;
        int threads = parallel && (long)m * n * k >= ParallelWork ? Math.Min(Environment.ProcessorCount, tiles) : 1;
        if (threads <= 1)
        {
            Stripe<T, TKernel>(blocks, a, b, c, cOffset, ldc, 0, m, 0, n, k);
            return;
        }
        Parallel.For(0, threads, t =>
        {
            int lo = (int)((long)tiles * t / threads), hi = (int)((long)tiles * (t + 1) / threads);
            if (byRows) Stripe<T, TKernel>(blocks, a, b, c, cOffset, ldc, lo * TKernel.MR, Math.Min(m, hi * TKernel.MR), 0, n, k);
            else Stripe<T, TKernel>(blocks, a, b, c, cOffset, ldc, 0, m, lo * TKernel.NR, Math.Min(n, hi * TKernel.NR), k);
        });
    }

    // A's packing is read once per panel of B; a copy costs about as much as a few panels' worth of FMAs, so below
    // this many panels the kernel reads A where it lies (its rows or columns are contiguous).
    private const int PackAPanels = 4;

    // C[i0..i1, j0..j1] = A[i0..i1, :] @ B[:, j0..j1] on the calling thread. These loops and the packing are
    // compiled fully optimised at once: tier 0 would run the first few hundred products several times slower.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Stripe<T, TKernel>(GemmBlocking blocks, MatrixRef<T> a, MatrixRef<T> b, T[] c, int cOffset, int ldc, int i0, int i1, int j0, int j1, int k)
        where T : unmanaged, INumber<T> where TKernel : IMicroKernel<T>
    {
        int mr = TKernel.MR, nr = TKernel.NR;
        int mcMax = Math.Min(blocks.MC, (i1 - i0 + mr - 1) / mr * mr), ncMax = Math.Min(blocks.NC, (j1 - j0 + nr - 1) / nr * nr);
        bool packA = (j1 - j0 + nr - 1) / nr > PackAPanels || (a.RowStride != 1 && a.ColStride != 1);
        // The packed blocks start on a cache line (the arrays are pinned while in use), so that no vector load of B
        // splits across two lines.
        int slack = 64 / sizeof(T);
        var aRent = ArrayPool<T>.Shared.Rent(mcMax * blocks.KC + slack);
        var bRent = ArrayPool<T>.Shared.Rent(ncMax * blocks.KC + slack);
        try
        {
            fixed (T* pa = aRent, pb = bRent)
            {
            var aPack = aRent.AsSpan(LineOffset(pa), mcMax * blocks.KC);
            var bPack = bRent.AsSpan(LineOffset(pb), ncMax * blocks.KC);
            for (int jc = j0; jc < j1; jc += blocks.NC)
            {
                int nc = Math.Min(blocks.NC, j1 - jc);
                for (int pc = 0; pc < k; pc += blocks.KC)
                {
                    int kc = Math.Min(blocks.KC, k - pc);
                    PackB(b, pc, kc, jc, nc, nr, bPack);
                    for (int ic = i0; ic < i1; ic += blocks.MC)
                    {
                        int mc = Math.Min(blocks.MC, i1 - ic);
                        if (packA) PackA(a, ic, mc, pc, kc, mr, aPack);
                        else
                        {
                            // Only a last, partial micro-panel is packed (zero rows pad it to MR).
                            CheckBlock(a, ic, mc, pc, kc, "A");
                            int full = mc / mr * mr;
                            if (full < mc) PackA(a, ic + full, mc - full, pc, kc, mr, aPack[(full * kc)..]);
                        }
                        var aSource = packA ? default : a with { Offset = a.Offset + ic * a.RowStride + pc * a.ColStride };
                        Macro<T, TKernel>(aPack, aSource, bPack, kc, mc, nc, c, cOffset + ic * ldc + jc, ldc, accumulate: pc > 0);
                    }
                }
            }
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(aRent);
            ArrayPool<T>.Shared.Return(bRent);
        }
    }

    // Elements from p to the next 64-byte boundary.
    private static unsafe int LineOffset<T>(T* p) where T : unmanaged => (int)((64 - ((nint)p & 63)) & 63) / sizeof(T);

    // One block: B's micro-panel jr stays in L1 while A's micro-panels stream past it from L2. Edge tiles go
    // through a tile on the stack, so the kernel never writes past C's rows or columns. A's full micro-panels come
    // from aSource where it lies when it has data (A unpacked), else from aPack.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Macro<T, TKernel>(Span<T> aPack, MatrixRef<T> aSource, Span<T> bPack, int kc, int mc, int nc, T[] c, int co, int ldc, bool accumulate)
        where T : unmanaged, INumber<T> where TKernel : IMicroKernel<T>
    {
        int mr = TKernel.MR, nr = TKernel.NR;
        Span<T> tile = stackalloc T[mr * nr];
        ref T ap = ref MemoryMarshal.GetReference(aPack);
        ref T bp = ref MemoryMarshal.GetReference(bPack);
        ref T rc = ref MemoryMarshal.GetArrayDataReference(c);
        for (int jr = 0; jr < nc; jr += nr)
        {
            int w = Math.Min(nr, nc - jr);
            ref T bPanel = ref Unsafe.Add(ref bp, jr * kc);
            for (int ir = 0; ir < mc; ir += mr)
            {
                int h = Math.Min(mr, mc - ir);
                bool where = aSource.Data is not null && h == mr;
                ref T aPanel = ref where
                    ? ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(aSource.Data!), aSource.Offset + ir * aSource.RowStride)
                    : ref Unsafe.Add(ref ap, ir * kc);
                nint aRow = where ? aSource.RowStride : 1, aStep = where ? aSource.ColStride : mr;
                int o = co + ir * ldc + jr;
                if (h == mr && w == nr)
                {
                    TKernel.Run(ref aPanel, aRow, aStep, ref bPanel, kc, ref Unsafe.Add(ref rc, o), ldc, accumulate);
                    continue;
                }
                TKernel.Run(ref aPanel, aRow, aStep, ref bPanel, kc, ref MemoryMarshal.GetReference(tile), nr, accumulate: false);
                for (int i = 0; i < h; i++)
                {
                    var dst = c.AsSpan(o + i * ldc, w);
                    var src = tile.Slice(i * nr, w);
                    if (accumulate) TensorPrimitives.Add(dst, src, dst);
                    else src.CopyTo(dst);
                }
            }
        }
    }
}
