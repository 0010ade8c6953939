using System.Runtime.InteropServices;

namespace Tensors.Cuda.Interop;

/// <summary>The cuBLAS calls behind float and double matrix products (column-major, as BLAS is).</summary>
internal static unsafe partial class Cublas
{
    private const string Lib = NativeLibraries.Cublas;

    static Cublas() => NativeLibraries.EnsureResolver();

    public const int OpN = 0, OpT = 1;
    public const int DefaultMath = 0, Tf32TensorOpMath = 3;

    [LibraryImport(Lib, EntryPoint = "cublasCreate_v2")] public static partial int Create(out IntPtr handle);
    [LibraryImport(Lib, EntryPoint = "cublasDestroy_v2")] public static partial int Destroy(IntPtr handle);
    [LibraryImport(Lib, EntryPoint = "cublasSetStream_v2")] public static partial int SetStream(IntPtr handle, IntPtr stream);
    [LibraryImport(Lib, EntryPoint = "cublasGetVersion_v2")] public static partial int GetVersion(IntPtr handle, out int version);
    [LibraryImport(Lib, EntryPoint = "cublasSetMathMode")] public static partial int SetMathMode(IntPtr handle, int mode);
    [LibraryImport(Lib, EntryPoint = "cublasSgemmStridedBatched")]
    public static partial int SgemmStridedBatched(IntPtr handle, int transA, int transB, int m, int n, int k, float* alpha,
        ulong a, int lda, long strideA, ulong b, int ldb, long strideB, float* beta, ulong c, int ldc, long strideC, int batchCount);
    [LibraryImport(Lib, EntryPoint = "cublasDgemmStridedBatched")]
    public static partial int DgemmStridedBatched(IntPtr handle, int transA, int transB, int m, int n, int k, double* alpha,
        ulong a, int lda, long strideA, ulong b, int ldb, long strideB, double* beta, ulong c, int ldc, long strideC, int batchCount);

    public static void Check(int status, string call)
    {
        if (status != 0) throw new CudaException(call, $"cublasStatus_t {status} ({Name(status)})");
    }

    private static string Name(int status) => status switch
    {
        1 => "CUBLAS_STATUS_NOT_INITIALIZED",
        3 => "CUBLAS_STATUS_ALLOC_FAILED",
        7 => "CUBLAS_STATUS_INVALID_VALUE",
        8 => "CUBLAS_STATUS_ARCH_MISMATCH",
        11 => "CUBLAS_STATUS_MAPPING_ERROR",
        13 => "CUBLAS_STATUS_EXECUTION_FAILED",
        14 => "CUBLAS_STATUS_INTERNAL_ERROR",
        15 => "CUBLAS_STATUS_NOT_SUPPORTED",
        _ => "unknown",
    };
}
