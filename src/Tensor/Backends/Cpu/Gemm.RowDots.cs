using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Tensors.Backends.Cpu;

// The matrix-vector product for a row-major A (rows contiguous): C[i, 0] = A[i, :] . x.
internal static partial class Gemm
{
    // Rows this many at a time: their dot products share each load of x and run as independent FMA chains.
    private const int RowGroup = 4;

    /// <summary>
    /// C[0..m, 0] = A @ x, for an A whose rows are contiguous and at least one vector long (k &gt;= the width).
    /// Each row is read in whole vectors, the last one ending at the row's end and so overlapping the one before it
    /// when k is not a multiple of the width (30 for the chapter's layer): x is copied once into vector-sized
    /// chunks in which the lanes of that overlap are zero, so no lane is counted twice and no read leaves the row.
    /// Rows go four at a time; the last group is moved back to end at row m - 1 (rows recomputed, with the same
    /// result, rather than a second loop for the remainder), and fewer than four rows repeat the last one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RowDots<TV, T, TW>(MatrixRef<T> a, MatrixRef<T> x, T[] c, int cOffset, int ldc, int m, int k)
        where TV : struct where T : unmanaged, INumber<T> where TW : IVectorWidth<TV, T>
    {
        int w = TW.Count, chunks = (k + w - 1) / w, last = (chunks - 1) * w;
        Span<T> xs = chunks * w <= 512 ? stackalloc T[chunks * w] : new T[chunks * w];
        for (int p = 0; p < last; p++) xs[p] = x[p, 0];
        for (int l = 0; l < w; l++)
        {
            int p = k - w + l; // the column the last vector's lane l reads
            xs[last + l] = p < last ? T.Zero : x[p, 0];
        }

        ref T x0 = ref MemoryMarshal.GetReference(xs);
        ref T a0 = ref MemoryMarshal.GetArrayDataReference(a.Data);
        ref T c0 = ref MemoryMarshal.GetArrayDataReference(c);
        nint rowStride = a.RowStride, tailAt = k - w;
        for (int start = 0; start < m; start += RowGroup)
        {
            int i = Math.Max(Math.Min(start, m - RowGroup), 0);
            int i1 = Math.Min(i + 1, m - 1), i2 = Math.Min(i + 2, m - 1), i3 = Math.Min(i + 3, m - 1);
            ref T r0 = ref Unsafe.Add(ref a0, a.Offset + i * rowStride);
            ref T r1 = ref Unsafe.Add(ref a0, a.Offset + i1 * rowStride);
            ref T r2 = ref Unsafe.Add(ref a0, a.Offset + i2 * rowStride);
            ref T r3 = ref Unsafe.Add(ref a0, a.Offset + i3 * rowStride);
            TV s0 = default, s1 = default, s2 = default, s3 = default;
            nint at = 0;
            for (; at < last; at += w)
            {
                var xv = TW.Load(ref Unsafe.Add(ref x0, at));
                s0 = TW.MultiplyAdd(TW.Load(ref Unsafe.Add(ref r0, at)), xv, s0);
                s1 = TW.MultiplyAdd(TW.Load(ref Unsafe.Add(ref r1, at)), xv, s1);
                s2 = TW.MultiplyAdd(TW.Load(ref Unsafe.Add(ref r2, at)), xv, s2);
                s3 = TW.MultiplyAdd(TW.Load(ref Unsafe.Add(ref r3, at)), xv, s3);
            }
            var xt = TW.Load(ref Unsafe.Add(ref x0, last));
            s0 = TW.MultiplyAdd(TW.Load(ref Unsafe.Add(ref r0, tailAt)), xt, s0);
            s1 = TW.MultiplyAdd(TW.Load(ref Unsafe.Add(ref r1, tailAt)), xt, s1);
            s2 = TW.MultiplyAdd(TW.Load(ref Unsafe.Add(ref r2, tailAt)), xt, s2);
            s3 = TW.MultiplyAdd(TW.Load(ref Unsafe.Add(ref r3, tailAt)), xt, s3);
            Unsafe.Add(ref c0, cOffset + i * ldc) = TW.Sum(s0);
            Unsafe.Add(ref c0, cOffset + i1 * ldc) = TW.Sum(s1);
            Unsafe.Add(ref c0, cOffset + i2 * ldc) = TW.Sum(s2);
            Unsafe.Add(ref c0, cOffset + i3 * ldc) = TW.Sum(s3);
        }
    }
}
