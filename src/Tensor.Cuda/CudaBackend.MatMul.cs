using Tensors.Cuda.Interop;

namespace Tensors.Cuda;

public sealed partial class CudaBackend
{
    /// <summary>Whether float32 products may use TF32 tensor cores (PyTorch's <c>allow_tf32</c>): faster on
    /// Ampere and newer, with 10-bit mantissas in the multiplications. Off by default.</summary>
    public static bool AllowTf32 { get; set; }

    /// <inheritdoc />
    public void MatMul(Backends.Storage a, Layout aLayout, Backends.Storage b, Layout bLayout, Backends.Storage destination, Layout destinationLayout)
    {
        int r = destinationLayout.Rank;
        int m = destinationLayout.Shape[r - 2], n = destinationLayout.Shape[r - 1], k = aLayout.Shape[r - 1];
        if ((long)m * n == 0) return;
        var sa = CudaStorage.Of(a, "MatMul");
        var sb = CudaStorage.Of(b, "MatMul");
        var sd = CudaStorage.Of(destination, "MatMul");
        var batchShape = destinationLayout.Shape[..(r - 2)];
        long batch = Layout.ShapeNumel(batchShape);
        if (batch == 0) return;
        if (k > 0 && a.DType is DType.Float32 or DType.Float64 && Context.Cublas != IntPtr.Zero
            && TryCublas(sa, aLayout, sb, bLayout, sd, destinationLayout, batch, m, n, k)) return;
        if ((m + 63) / 64 > 65535)
            throw new NotSupportedException($"MatMul: {m} rows is more than the CUDA kernel's grid takes ({65535 * 64}); split the product into row blocks.");
        var args = new KernelArgs().Operand(sa, Whole(aLayout)).Operand(sb, Whole(bLayout)).Operand(sd, Whole(destinationLayout))
            .Add(batch).Add(m).Add(n).Add(k);
        // 64 x 64 tiles of C per block of 16 x 16 threads (native/matmul.cu).
        Kernels.Launch($"matmul_{Suffix(a.DType)}", new LaunchShape((uint)((n + 63) / 64), (uint)((m + 63) / 64), (uint)Math.Min(batch, 65535), 16, 16), args.Bytes);
    }

    // The matrix dims stay as they are; the batch dims are merged across the three operands.
    private static KernelLayout Whole(Layout l) => LayoutMerge.AsIs("MatMul", l);

    /// <summary>cuBLAS's strided-batched GEMM when every operand is a row- or column-major matrix and the batch
    /// dims collapse to one stride each (broadcast batches have stride 0). Row-major C = A B is computed as the
    /// column-major Cᵀ = Bᵀ Aᵀ, so transposed operands cost a flag, not a copy.</summary>
    private unsafe bool TryCublas(CudaStorage a, Layout la, CudaStorage b, Layout lb, CudaStorage d, Layout ld, long batch, int m, int n, int k)
    {
        int r = ld.Rank;
        if (!Matrix(la, m, k, out int opA, out int ldA) || !Matrix(lb, k, n, out int opB, out int ldB)) return false;
        // C must be row-major with unit column stride.
        if (!(ld.Strides[r - 1] == 1 || n == 1)) return false;
        int ldC = m == 1 ? Math.Max(n, 1) : ld.Strides[r - 2];
        if (ldC < n || batch > int.MaxValue) return false;
        var batchShape = ld.Shape[..(r - 2)].ToArray();
        Layout Batch(Layout l) => new(batchShape, l.Strides[..(r - 2)], 0);
        var merged = LayoutMerge.Merge("MatMul", batchShape, Batch(la), Batch(lb), Batch(ld));
        if (merged[0].Rank > 1) return false;
        long Stride(KernelLayout l) => l.Rank == 0 ? 0 : l.Strides[0];
        Context.MakeCurrent();
        var handle = Context.Cublas;
        bool single = a.DType == DType.Float32;
        Interop.Cublas.Check(Interop.Cublas.SetMathMode(handle, single && AllowTf32 ? Interop.Cublas.Tf32TensorOpMath : Interop.Cublas.DefaultMath), "cublasSetMathMode");
        ulong pa = a.At(la.Offset), pb = b.At(lb.Offset), pc = d.At(ld.Offset);
        if (single)
        {
            float alpha = 1, beta = 0;
            Interop.Cublas.Check(Interop.Cublas.SgemmStridedBatched(handle, opB, opA, n, m, k, &alpha, pb, ldB, Stride(merged[1]), pa, ldA, Stride(merged[0]),
                &beta, pc, ldC, Stride(merged[2]), (int)batch), "cublasSgemmStridedBatched");
        }
        else
        {
            double alpha = 1, beta = 0;
            Interop.Cublas.Check(Interop.Cublas.DgemmStridedBatched(handle, opB, opA, n, m, k, &alpha, pb, ldB, Stride(merged[1]), pa, ldA, Stride(merged[0]),
                &beta, pc, ldC, Stride(merged[2]), (int)batch), "cublasDgemmStridedBatched");
        }
        return true;
    }

    /// <summary>How cuBLAS reads a row-major rows x cols operand: row-major storage is the column-major transpose
    /// (op N, leading dimension the row stride); column-major storage needs op T.</summary>
    private static bool Matrix(Layout l, int rows, int cols, out int op, out int leading)
    {
        int r = l.Rank;
        int rowStride = l.Strides[r - 2], colStride = l.Strides[r - 1];
        if ((colStride == 1 || cols == 1) && (rows == 1 || rowStride >= Math.Max(cols, 1)))
        {
            op = Interop.Cublas.OpN;
            leading = rows == 1 ? Math.Max(cols, 1) : rowStride;
            return true;
        }
        if ((rowStride == 1 || rows == 1) && (cols == 1 || colStride >= Math.Max(rows, 1)))
        {
            op = Interop.Cublas.OpT;
            leading = cols == 1 ? Math.Max(rows, 1) : colStride;
            return true;
        }
        op = leading = 0;
        return false;
    }
}
