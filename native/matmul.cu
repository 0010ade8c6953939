// matmul_<dt>: d[b, i, j] = sum over p of a[b, i, p] * b[b, p, j], for every batch index b, any strides.
// Launch: blockDim (16, 16, 1); grid (ceil(n / 64), ceil(m / 64), min(batch, 65535)) (batches beyond gridDim.z
// are looped over); no dynamic shared memory (two 16 x 65 tiles in static shared memory: 8.3 KB for 4-byte types,
// 16.6 KB for 8-byte ones). m must stay under 65536 * 64 rows (grid y).
// Each block computes a 64 x 64 tile of C stepping K by 16 through shared memory; each thread a 4 x 4 register
// block, at rows ty + 16 r and columns tx + 16 c, so that shared reads are broadcasts or consecutive and the
// writes of C coalesce. Each output is a sequential sum over p in order; integers wrap.
#include "tensor.cuh"

#define MM_TILE 64
#define MM_STEP 16
#define MM_THREADS 16
#define MM_REG (MM_TILE / MM_THREADS)

// Loads a rows x cols tile (rows * cols == 4 * 256 elements) of a matrix with strides (sr, sc), starting at
// (r0, c0), zero outside [0, nr) x [0, nc), into tile[c][r] (stored transposed: the K index first). Consecutive
// threads walk whichever of the two dims has stride 1, so the global reads coalesce for row- and column-major
// operands alike.
template <typename T, int Rows, int Cols>
__device__ __forceinline__ void load_tile(const T* base, long long sr, long long sc, int r0, int c0, int nr, int nc,
                                          T (*tile)[MM_TILE + 1], bool transposed_store, int t) {
    bool rows_fastest = sr == 1 && sc != 1;
    TENSOR_UNROLL
    for (int q = 0; q < Rows * Cols / (MM_THREADS * MM_THREADS); ++q) {
        int e = t + q * MM_THREADS * MM_THREADS;
        int r = rows_fastest ? e % Rows : e / Cols;
        int c = rows_fastest ? e / Rows : e % Cols;
        int gr = r0 + r, gc = c0 + c;
        T v = gr < nr && gc < nc ? base[gr * sr + gc * sc] : (T)0;
        if (transposed_store) tile[c][r] = v;
        else tile[r][c] = v;
    }
}

template <typename T>
__device__ void matmul_kernel(const T* a, const Layout& la, const T* b, const Layout& lb, T* d, const Layout& ld,
                              long long batch, int m, int n, int k) {
    __shared__ T as[MM_STEP][MM_TILE + 1];  // as[p][i]: the padding column spreads the transposed stores' banks
    __shared__ T bs[MM_STEP][MM_TILE + 1];  // bs[p][j]
    int rank = ld.rank, batch_dims = rank - 2;
    long long sam = stride_of(la, rank - 2), sak = stride_of(la, rank - 1);
    long long sbk = stride_of(lb, rank - 2), sbn = stride_of(lb, rank - 1);
    long long sdm = stride_of(ld, rank - 2), sdn = stride_of(ld, rank - 1);
    int tx = threadIdx.x, ty = threadIdx.y, t = ty * MM_THREADS + tx;
    int row0 = blockIdx.y * MM_TILE, col0 = blockIdx.x * MM_TILE;

    for (long long bt = blockIdx.z; bt < batch; bt += gridDim.z) {
        // The batch offsets, once per block and batch (they include the layouts' offsets).
        const T* ab = a + offset_in(la, batch_dims, bt);
        const T* bb = b + offset_in(lb, batch_dims, bt);
        T* db = d + offset_in(ld, batch_dims, bt);

        T acc[MM_REG][MM_REG];
        TENSOR_UNROLL
        for (int r = 0; r < MM_REG; ++r) {
            TENSOR_UNROLL
            for (int c = 0; c < MM_REG; ++c) acc[r][c] = (T)0;
        }

        for (int p0 = 0; p0 < k; p0 += MM_STEP) {
            // A's tile is 64 rows (i) x 16 columns (p), stored as as[p][i]; B's is 16 rows (p) x 64 columns (j).
            load_tile<T, MM_TILE, MM_STEP>(ab, sam, sak, row0, p0, m, k, as, true, t);
            load_tile<T, MM_STEP, MM_TILE>(bb, sbk, sbn, p0, col0, k, n, bs, false, t);
            __syncthreads();
            TENSOR_UNROLL
            for (int p = 0; p < MM_STEP; ++p) {
                T ar[MM_REG], br[MM_REG];
                TENSOR_UNROLL
                for (int r = 0; r < MM_REG; ++r) ar[r] = as[p][ty + MM_THREADS * r];
                TENSOR_UNROLL
                for (int c = 0; c < MM_REG; ++c) br[c] = bs[p][tx + MM_THREADS * c];
                TENSOR_UNROLL
                for (int r = 0; r < MM_REG; ++r) {
                    TENSOR_UNROLL
                    for (int c = 0; c < MM_REG; ++c) acc[r][c] = wrap_add(acc[r][c], wrap_mul(ar[r], br[c]));
                }
            }
            __syncthreads();  // the tiles are overwritten by the next step
        }

        TENSOR_UNROLL
        for (int r = 0; r < MM_REG; ++r) {
            int i = row0 + ty + MM_THREADS * r;
            TENSOR_UNROLL
            for (int c = 0; c < MM_REG; ++c) {
                int j = col0 + tx + MM_THREADS * c;
                if (i < m && j < n) db[i * sdm + j * sdn] = acc[r][c];
            }
        }
    }
}

// MIN_BLOCKS caps the registers (__launch_bounds__): left alone, ptxas takes 155-195 registers to prefetch the
// shared-memory operands, which allows one block per SM. Three blocks (80 registers) costs 4-byte types no
// spills; 8-byte types spill under any cap, so they keep the compiler's choice (they go through cuBLAS when
// present anyway).
#define MATMUL(T, SFX, MIN_BLOCKS) \
    extern "C" __global__ void TENSOR_LAUNCH_BOUNDS(MM_THREADS * MM_THREADS, MIN_BLOCKS) \
        matmul_##SFX(const T* a, Layout la, const T* b, Layout lb, T* d, Layout ld, long long batch, int m, int n, \
                     int k) { \
        matmul_kernel<T>(a, la, b, lb, d, ld, batch, m, n, k); \
    }

MATMUL(float, f32, 3)
MATMUL(double, f64, 1)
MATMUL(int, i32, 3)
MATMUL(long long, i64, 1)
MATMUL(unsigned char, u8, 3)
