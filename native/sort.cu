// sort_<dt>: stable sort of each row, ascending or descending, writing the values and their Int64 positions. The
// host permutes the operands so that the sorted dim is last: row o's element j is row-major element
// o * length + j of each layout (see README.md). One block per row (grid-stride over the rows).
//
// Entries are (value, position) pairs ordered by value (NaN above every number) and then by position: a total
// order, so the result is the stable sort's whatever the algorithm. The sort is a bottom-up merge sort whose merges
// need no sequential pass: in a pass of width w, an entry's place in the merged pair of runs is its place in its
// own run plus the number of entries of the other run that come before it (a binary search), so every thread
// places its entries independently, and one barrier ends the pass. Rows of up to SORT_SHARED entries are sorted in
// shared memory; longer rows ping-pong through the global scratch the host passes (2 * length entries per block).
#include "tensor.cuh"

#define SORT_SHARED 1024

// True when value a comes strictly before b in the requested order.
template <typename T> TENSOR_DEVICE bool sort_before(T a, T b, bool descending) {
    T hi = descending ? a : b, lo = descending ? b : a;  // "hi above lo", NaN the largest
    return !is_nan(lo) && (is_nan(hi) || hi > lo);
}

template <typename T>
TENSOR_DEVICE bool entry_before(T av, long long ai, T bv, long long bi, bool descending) {
    if (sort_before(av, bv, descending)) return true;
    if (sort_before(bv, av, descending)) return false;
    return ai < bi;
}

// The number of entries of the sorted run [lo, hi) that come before (v, i).
template <typename T>
TENSOR_DEVICE long long count_before(const T* values, const long long* indices, long long lo, long long hi, T v,
                                     long long i, bool descending) {
    long long a = lo, b = hi;
    while (a < b) {
        long long mid = a + (b - a) / 2;
        if (entry_before(values[mid], indices[mid], v, i, descending)) a = mid + 1;
        else b = mid;
    }
    return a - lo;
}

// Sorts the n entries in (v0, i0), using (v1, i1) as the other buffer; returns 0 or 1: which buffer holds them.
template <typename T>
__device__ int merge_sort(T* v0, long long* i0, T* v1, long long* i1, long long n, bool descending) {
    int in = 0;
    for (long long w = 1; w < n; w <<= 1) {
        const T* sv = in ? v1 : v0;
        const long long* si = in ? i1 : i0;
        T* dv = in ? v0 : v1;
        long long* di = in ? i0 : i1;
        for (long long p = threadIdx.x; p < n; p += blockDim.x) {
            long long base = p / (2 * w) * (2 * w);
            long long mid = base + w < n ? base + w : n, end = base + 2 * w < n ? base + 2 * w : n;
            long long place = p < mid ? (p - base) + count_before(sv, si, mid, end, sv[p], si[p], descending)
                                      : (p - mid) + count_before(sv, si, base, mid, sv[p], si[p], descending);
            dv[base + place] = sv[p];
            di[base + place] = si[p];
        }
        in = 1 - in;
        __syncthreads();
    }
    return in;
}

template <typename T>
__device__ void sort_rows(const T* s, const Layout& ls, T* v, const Layout& lv, long long* idx, const Layout& li,
                          long long outer, long long length, bool descending, T* scratch_v, long long* scratch_i) {
    __shared__ T shared_v[2][SORT_SHARED];
    __shared__ long long shared_i[2][SORT_SHARED];
    bool in_shared = length <= SORT_SHARED;
    T* v0 = in_shared ? shared_v[0] : scratch_v + 2 * length * blockIdx.x;
    T* v1 = in_shared ? shared_v[1] : v0 + length;
    long long* i0 = in_shared ? shared_i[0] : scratch_i + 2 * length * blockIdx.x;
    long long* i1 = in_shared ? shared_i[1] : i0 + length;
    for (long long o = blockIdx.x; o < outer; o += gridDim.x) {
        long long first = o * length;
        for (long long j = threadIdx.x; j < length; j += blockDim.x) {
            v0[j] = s[offset_of(ls, first + j)];
            i0[j] = j;
        }
        __syncthreads();
        int at = merge_sort(v0, i0, v1, i1, length, descending);
        const T* rv = at ? v1 : v0;
        const long long* ri = at ? i1 : i0;
        for (long long j = threadIdx.x; j < length; j += blockDim.x) {
            v[offset_of(lv, first + j)] = rv[j];
            idx[offset_of(li, first + j)] = ri[j];
        }
        __syncthreads();  // the buffers are reused by the block's next row
    }
}

#define SORT(T, SFX, _) \
    extern "C" __global__ void sort_##SFX(const T* s, Layout ls, T* v, Layout lv, long long* idx, Layout li, \
                                         long long outer, long long length, int descending, T* scratch_v, \
                                         long long* scratch_i) { \
        sort_rows<T>(s, ls, v, lv, idx, li, outer, length, descending != 0, scratch_v, scratch_i); \
    }

TENSOR_ALL_DTYPES(SORT, _)
