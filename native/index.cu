// index_select_<dt> and index_add_<dt>: gathering and accumulating slices along one dim by a list of int indices
// (checked on the host). The host must not merge `dim` with its neighbours.
// Launch: TENSOR_BLOCK threads, any grid (grid-stride loops), no dynamic shared memory.
#include "tensor.cuh"

// Destination element i at multi-index (.., j, ..), j along dim, is the source element at (.., idx[j], ..).
template <typename T>
__device__ void index_select_kernel(const T* s, const Layout& ls, const int* idx, int count, int dim, T* d,
                                    const Layout& ld, long long n) {
    long long step = grid_step();
    if (ls.contiguous && ld.contiguous) {
        // i = (o * count + j) * inner + r, read from (o * size + idx[j]) * inner + r: whole rows of `inner`
        // elements move together, so the reads coalesce as the writes do.
        long long inner = 1;
        TENSOR_UNROLL
        for (int k = 0; k < TENSOR_MAX_DIMS; ++k)
            if (k > dim && k < ld.rank) inner *= ld.shape[k];
        long long size = shape_of(ls, dim);
        for (long long i = grid_start(); i < n; i += step) {
            long long r = i % inner, q = i / inner;
            long long j = q % count, o = q / count;
            d[ld.offset + i] = s[ls.offset + (o * size + idx[j]) * inner + r];
        }
        return;
    }
    for (long long i = grid_start(); i < n; i += step) {
        long long rest = i, so = ls.offset, dO = ld.offset;
        TENSOR_UNROLL
        for (int k = TENSOR_MAX_DIMS - 1; k >= 0; --k) {
            if (k < ld.rank) {
                long long c = rest % ld.shape[k];
                rest /= ld.shape[k];
                so += (k == dim ? (long long)idx[c] : c) * ls.strides[k];
                dO += c * ld.strides[k];
            }
        }
        d[dO] = s[so];
    }
}

// One thread per position p of a source slice (the source with `dim` removed, row-major): it adds the count
// source elements along dim into the destination rows idx[i], in order. Distinct positions touch distinct
// destination elements, so no atomics are needed and the result is deterministic. The two base offsets are
// computed once per thread and the loop over i is stride arithmetic, so no separate contiguous path is needed.
// On b8 (Bool) the sum is a logical or, as on the CPU.
template <typename T, bool Logical>
__device__ void index_add_kernel(const T* s, const Layout& ls, const int* idx, int count, int dim, T* d,
                                 const Layout& ld, long long slice) {
    long long ss = stride_of(ls, dim), ds = stride_of(ld, dim);
    for (long long p = grid_start(); p < slice; p += grid_step()) {
        long long rest = p, so = ls.offset, dO = ld.offset;
        TENSOR_UNROLL
        for (int k = TENSOR_MAX_DIMS - 1; k >= 0; --k) {
            if (k < ls.rank && k != dim) {
                long long c = rest % ls.shape[k];
                rest /= ls.shape[k];
                so += c * ls.strides[k];
                dO += c * ld.strides[k];
            }
        }
        for (int i = 0; i < count; ++i) {
            T* target = d + dO + idx[i] * ds;
            if constexpr (Logical) *target = (T)(*target | s[so + i * ss]);
            else *target = wrap_add(*target, s[so + i * ss]);
        }
    }
}

#define INDEX_SELECT(T, SFX, _) \
    extern "C" __global__ void index_select_##SFX(const T* s, Layout ls, const int* idx, int count, int dim, T* d, \
                                                  Layout ld, long long n) { \
        index_select_kernel<T>(s, ls, idx, count, dim, d, ld, n); \
    }
#define INDEX_ADD(T, SFX, LOGICAL) \
    extern "C" __global__ void index_add_##SFX(const T* s, Layout ls, const int* idx, int count, int dim, T* d, \
                                               Layout ld, long long slice) { \
        index_add_kernel<T, LOGICAL>(s, ls, idx, count, dim, d, ld, slice); \
    }

TENSOR_ALL_DTYPES(INDEX_SELECT, _)
TENSOR_NUMERIC_DTYPES(INDEX_ADD, false)
INDEX_ADD(unsigned char, b8, true)
