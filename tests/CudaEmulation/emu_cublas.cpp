// emu_cublas.cpp: the stand-in libcublas.so.12. The real C ABI and column-major semantics of the few calls the
// backend makes, as plain CPU loops; argument checks return the real cublasStatus_t codes.
#include <cstdio>

#define API extern "C" __attribute__((visibility("default")))

typedef int cublasStatus_t;
typedef int cublasOperation_t;
typedef int cublasMath_t;
typedef struct CublasContext* cublasHandle_t;
typedef void* cudaStream_t;

// cublasStatus_t, cublasOperation_t and cublasMath_t values, from cublas_api.h.
enum { CUBLAS_STATUS_SUCCESS = 0, CUBLAS_STATUS_NOT_INITIALIZED = 1, CUBLAS_STATUS_INVALID_VALUE = 7 };
enum { CUBLAS_OP_N = 0, CUBLAS_OP_T = 1, CUBLAS_OP_C = 2 };

struct CublasContext { cudaStream_t stream; cublasMath_t math; };

API cublasStatus_t cublasCreate_v2(cublasHandle_t* handle) {
    if (!handle) return CUBLAS_STATUS_INVALID_VALUE;
    *handle = new CublasContext{nullptr, 0};
    return CUBLAS_STATUS_SUCCESS;
}

API cublasStatus_t cublasDestroy_v2(cublasHandle_t handle) {
    if (!handle) return CUBLAS_STATUS_NOT_INITIALIZED;
    delete handle;
    return CUBLAS_STATUS_SUCCESS;
}

API cublasStatus_t cublasSetStream_v2(cublasHandle_t handle, cudaStream_t stream) {
    if (!handle) return CUBLAS_STATUS_NOT_INITIALIZED;
    handle->stream = stream;  // accepted; every call is synchronous
    return CUBLAS_STATUS_SUCCESS;
}

API cublasStatus_t cublasGetVersion_v2(cublasHandle_t handle, int* version) {
    if (!handle) return CUBLAS_STATUS_NOT_INITIALIZED;
    if (!version) return CUBLAS_STATUS_INVALID_VALUE;
    *version = 120000;  // major * 10000 + minor * 100 + patch
    return CUBLAS_STATUS_SUCCESS;
}

API cublasStatus_t cublasSetMathMode(cublasHandle_t handle, cublasMath_t mode) {
    if (!handle) return CUBLAS_STATUS_NOT_INITIALIZED;
    // DEFAULT 0, TENSOR_OP 1, PEDANTIC 2, TF32_TENSOR_OP 3, optionally | DISALLOW_REDUCED_PRECISION_REDUCTION 16.
    if ((mode & ~16) > 3) return CUBLAS_STATUS_INVALID_VALUE;
    handle->math = mode;
    return CUBLAS_STATUS_SUCCESS;
}

namespace {

// C = alpha op(A) op(B) + beta C for each batch, column-major. As in BLAS, C is not read when beta is 0 (it may
// hold NaN) and A, B are not read when alpha is 0 or k is 0.
template <class T>
cublasStatus_t gemm(cublasHandle_t handle, cublasOperation_t ta, cublasOperation_t tb, int m, int n, int k,
                    const T* alpha, const T* A, int lda, long long sa, const T* B, int ldb, long long sb,
                    const T* beta, T* C, int ldc, long long sc, int batch) {
    if (!handle) return CUBLAS_STATUS_NOT_INITIALIZED;
    auto valid_op = [](int op) { return op == CUBLAS_OP_N || op == CUBLAS_OP_T || op == CUBLAS_OP_C; };
    auto at_least_1 = [](int v) { return v < 1 ? 1 : v; };
    if (!valid_op(ta) || !valid_op(tb) || m < 0 || n < 0 || k < 0 || batch < 0 || !alpha || !beta ||
        lda < at_least_1(ta == CUBLAS_OP_N ? m : k) || ldb < at_least_1(tb == CUBLAS_OP_N ? k : n) ||
        ldc < at_least_1(m))
        return CUBLAS_STATUS_INVALID_VALUE;
    const T a = *alpha, b = *beta;
    for (int p = 0; p < batch; p++) {
        const T* Ap = A + p * sa;
        const T* Bp = B + p * sb;
        T* Cp = C + p * sc;
        for (int j = 0; j < n; j++)
            for (int i = 0; i < m; i++) {
                T sum = 0;
                if (a != T(0))
                    for (int l = 0; l < k; l++) {
                        T x = ta == CUBLAS_OP_N ? Ap[i + (long long)l * lda] : Ap[l + (long long)i * lda];
                        T y = tb == CUBLAS_OP_N ? Bp[l + (long long)j * ldb] : Bp[j + (long long)l * ldb];
                        sum += x * y;
                    }
                T& c = Cp[i + (long long)j * ldc];
                c = b == T(0) ? a * sum : a * sum + b * c;
            }
    }
    return CUBLAS_STATUS_SUCCESS;
}

} // namespace

API cublasStatus_t cublasSgemmStridedBatched(cublasHandle_t handle, cublasOperation_t ta, cublasOperation_t tb,
                                             int m, int n, int k, const float* alpha, const float* A, int lda,
                                             long long sa, const float* B, int ldb, long long sb, const float* beta,
                                             float* C, int ldc, long long sc, int batch) {
    return gemm(handle, ta, tb, m, n, k, alpha, A, lda, sa, B, ldb, sb, beta, C, ldc, sc, batch);
}

API cublasStatus_t cublasDgemmStridedBatched(cublasHandle_t handle, cublasOperation_t ta, cublasOperation_t tb,
                                             int m, int n, int k, const double* alpha, const double* A, int lda,
                                             long long sa, const double* B, int ldb, long long sb,
                                             const double* beta, double* C, int ldc, long long sc, int batch) {
    return gemm(handle, ta, tb, m, n, k, alpha, A, lda, sa, B, ldb, sb, beta, C, ldc, sc, batch);
}
