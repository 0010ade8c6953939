using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace Tensors.Backends.Cpu;

// The paths that pay no packing: matrix-vector products and tiny or integer products.
internal static partial class Gemm
{
    // A matrix times a vector (n == 1) or a vector times a matrix (m == 1): packing panels for a single column
    // would waste most of the micro-kernel, so these are dot products or AXPYs over whichever side is contiguous.
    // Rows of A at least a vector long take the kernel's width in RowDots.
    private static bool MatrixVector<T>(MatrixRef<T> a, MatrixRef<T> b, T[] c, int cOffset, int ldc, int m, int n, int k,
        GemmKernel kernel)
        where T : unmanaged, INumber<T>
    {
        if (n == 1 && a.ColStride == 1)
        {
            if (kernel == GemmKernel.Vector512 && k >= Vector512<T>.Count)
                RowDots<Vector512<T>, T, Width512<T>>(a, b, c, cOffset, ldc, m, k);
            else if (kernel == GemmKernel.Vector256 && k >= Vector256<T>.Count)
                RowDots<Vector256<T>, T, Width256<T>>(a, b, c, cOffset, ldc, m, k);
            else
            {
                var column = Column(b.Data, b.Offset, b.RowStride, k);
                for (int i = 0; i < m; i++)
                    c[cOffset + i * ldc] = TensorPrimitives.Dot(a.Data.AsSpan(a.Offset + i * a.RowStride, k), column);
            }
            return true;
        }
        if (n == 1 && a.RowStride == 1 && ldc == 1)
        {
            var result = c.AsSpan(cOffset, m);
            result.Clear();
            for (int p = 0; p < k; p++)
                TensorPrimitives.MultiplyAdd(a.Data.AsSpan(a.Offset + p * a.ColStride, m), b[p, 0], result, result);
            return true;
        }
        if (m == 1 && b.ColStride == 1)
        {
            var result = c.AsSpan(cOffset, n);
            result.Clear();
            for (int p = 0; p < k; p++)
                TensorPrimitives.MultiplyAdd(b.Data.AsSpan(b.Offset + p * b.RowStride, n), a[0, p], result, result);
            return true;
        }
        if (m == 1 && b.RowStride == 1)
        {
            var row = Column(a.Data, a.Offset, a.ColStride, k);
            for (int j = 0; j < n; j++)
                c[cOffset + j] = TensorPrimitives.Dot(b.Data.AsSpan(b.Offset + j * b.ColStride, k), row);
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

    // Row by row, AXPY-style: C is cleared, then each A value scales a row of B into C's row.
    private static void Naive<T>(MatrixRef<T> a, MatrixRef<T> b, T[] c, int cOffset, int ldc, int m, int n, int k)
        where T : unmanaged, INumber<T>
    {
        for (int i = 0; i < m; i++)
        {
            var row = c.AsSpan(cOffset + i * ldc, n);
            row.Clear();
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
}
