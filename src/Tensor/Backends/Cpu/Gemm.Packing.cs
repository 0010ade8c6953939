using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Tensors.Backends.Cpu;

// Packing copies a block of A or B, through its strides, into the order the micro-kernel reads it, so that a
// transposed or sliced operand costs one strided read here and nothing in the kernel.
internal static partial class Gemm
{
    // Panel ir holds A[ic+ir..+mr, pc..pc+kc] column by column (mr values per k), zero-padded past the block's rows:
    // exactly B's panels of A's transpose, so A is packed as B through swapped strides (a transposed A is then the
    // row-contiguous case, and a row-major A the transpose).
    private static void PackA<T>(MatrixRef<T> a, int ic, int mc, int pc, int kc, int mr, Span<T> dst) where T : unmanaged
    {
        CheckBlock(a, ic, mc, pc, kc, "A");
        PackPanels(new MatrixRef<T>(a.Data, a.Offset, a.ColStride, a.RowStride), pc, kc, ic, mc, mr, dst);
    }

    // Panel jr holds B[pc..pc+kc, jc+jr..+nr] row by row (nr values per k), zero-padded past the block's columns.
    private static void PackB<T>(MatrixRef<T> b, int pc, int kc, int jc, int nc, int nr, Span<T> dst) where T : unmanaged
    {
        CheckBlock(b, pc, kc, jc, nc, "B");
        PackPanels(b, pc, kc, jc, nc, nr, dst);
    }

    // B's panels of a block already checked to lie in its storage.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackPanels<T>(MatrixRef<T> b, int pc, int kc, int jc, int nc, int nr, Span<T> dst) where T : unmanaged
    {
        ref T src = ref MemoryMarshal.GetArrayDataReference(b.Data);
        ref T d = ref MemoryMarshal.GetReference(dst);
        nint rs = b.RowStride, cs = b.ColStride;
        for (int jr = 0; jr < nc; jr += nr)
        {
            int w = Math.Min(nr, nc - jr);
            ref T panel = ref Unsafe.Add(ref d, jr * kc);
            ref T corner = ref Unsafe.Add(ref src, b.Offset + pc * rs + (jc + jr) * cs);
            if (cs == 1 && Vector256.IsHardwareAccelerated)
            {
                // Rows contiguous: nr is a few vectors, copied inline (a call to a memory copy per row would cost
                // more than the copy); a last, narrower panel copies its whole vectors, then the rest one by one,
                // then zeros.
                int lanes = Vector256<T>.Count, whole = w / lanes * lanes;
                for (int p = 0; p < kc; p++)
                {
                    ref T from = ref Unsafe.Add(ref corner, p * rs);
                    ref T to = ref Unsafe.Add(ref panel, p * nr);
                    for (int j = 0; j < whole; j += lanes) Vector256.LoadUnsafe(ref from, (nuint)j).StoreUnsafe(ref to, (nuint)j);
                    for (int j = whole; j < w; j++) Unsafe.Add(ref to, j) = Unsafe.Add(ref from, j);
                    for (int j = w; j < nr; j++) Unsafe.Add(ref to, j) = default;
                }
                continue;
            }
            if (cs == 1)
            {
                for (int p = 0; p < kc; p++)
                {
                    var row = MemoryMarshal.CreateSpan(ref Unsafe.Add(ref panel, p * nr), nr);
                    MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref corner, p * rs), w).CopyTo(row);
                    row[w..].Clear();
                }
                continue;
            }
            // Columns contiguous (a transposed B, a row-major A): a transpose. Any strides: walk each column once,
            // writing every nr-th slot.
            int done = rs == 1 ? TransposeBlocks(ref corner, cs, ref panel, nr, w & ~3, kc) : 0;
            for (int j = 0; j < w; j++)
            {
                ref T col = ref Unsafe.Add(ref corner, j * cs);
                for (int p = j < (w & ~3) ? done : 0; p < kc; p++) Unsafe.Add(ref panel, p * nr + j) = Unsafe.Add(ref col, p * rs);
            }
            if (w < nr)
                for (int p = 0; p < kc; p++) MemoryMarshal.CreateSpan(ref Unsafe.Add(ref panel, p * nr + w), nr - w).Clear();
        }
    }

    // dst[p * dstStride + i] = src[i * srcStride + p] for i < lines (a multiple of 4) and p below the returned
    // count (kc rounded down to 4), in 4 x 4 float blocks with SSE's shuffles; 0 (nothing done) for other types.
    private static int TransposeBlocks<T>(ref T src, nint srcStride, ref T dst, nint dstStride, int lines, int kc)
    {
        if (typeof(T) != typeof(float) || !Sse.IsSupported || lines % 4 != 0) return 0;
        ref float s = ref Unsafe.As<T, float>(ref src);
        ref float d = ref Unsafe.As<T, float>(ref dst);
        int end = kc & ~3;
        for (int i = 0; i < lines; i += 4)
        {
            ref float s0 = ref Unsafe.Add(ref s, i * srcStride);
            for (int p = 0; p < end; p += 4)
            {
                ref float a = ref Unsafe.Add(ref s0, p);
                var t0 = Sse.UnpackLow(Vector128.LoadUnsafe(ref a), Vector128.LoadUnsafe(ref Unsafe.Add(ref a, srcStride)));
                var t2 = Sse.UnpackHigh(Vector128.LoadUnsafe(ref a), Vector128.LoadUnsafe(ref Unsafe.Add(ref a, srcStride)));
                var t1 = Sse.UnpackLow(Vector128.LoadUnsafe(ref Unsafe.Add(ref a, 2 * srcStride)), Vector128.LoadUnsafe(ref Unsafe.Add(ref a, 3 * srcStride)));
                var t3 = Sse.UnpackHigh(Vector128.LoadUnsafe(ref Unsafe.Add(ref a, 2 * srcStride)), Vector128.LoadUnsafe(ref Unsafe.Add(ref a, 3 * srcStride)));
                ref float o = ref Unsafe.Add(ref d, p * dstStride + i);
                Sse.MoveLowToHigh(t0, t1).StoreUnsafe(ref o);
                Sse.MoveHighToLow(t1, t0).StoreUnsafe(ref Unsafe.Add(ref o, dstStride));
                Sse.MoveLowToHigh(t2, t3).StoreUnsafe(ref Unsafe.Add(ref o, 2 * dstStride));
                Sse.MoveHighToLow(t3, t2).StoreUnsafe(ref Unsafe.Add(ref o, 3 * dstStride));
            }
        }
        return end;
    }

    // The packing loops read without bounds checks: check once that the block's extreme elements lie in the array.
    private static void CheckBlock<T>(MatrixRef<T> x, int r0, int rows, int c0, int cols, string name)
    {
        long first = x.Offset + (long)r0 * x.RowStride + (long)c0 * x.ColStride;
        long last = first + (long)(rows - 1) * x.RowStride + (long)(cols - 1) * x.ColStride;
        long lo = Math.Min(first, Math.Min(first + (long)(rows - 1) * x.RowStride, first + (long)(cols - 1) * x.ColStride));
        long hi = Math.Max(last, Math.Max(first + (long)(rows - 1) * x.RowStride, first + (long)(cols - 1) * x.ColStride));
        if (lo < 0 || hi >= x.Data.Length)
            throw new ArgumentOutOfRangeException(name,
                $"MatMul: the {rows}x{cols} block of {name} at ({r0}, {c0}) with offset {x.Offset} and strides ({x.RowStride}, {x.ColStride}) " +
                $"reaches elements {lo}..{hi}, outside its storage of {x.Data.Length}.");
    }
}
