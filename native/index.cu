// gather_<dt>, scatter_assign_<dt>, scatter_add_<dt>: PyTorch's gather and scatter along one dim by an Int64 index
// tensor on the device. The host passes three layouts of the index's shape, merged together: the plain operand
// (gather's destination, scatter's source), the index, and the indexed operand with dim's stride set to 0 (its base
// offset at each position); `step` is the indexed operand's stride along dim. Indices are already checked on the
// host (0 <= index < size along dim). IndexSelect and IndexAdd are these with an index expanded (stride 0) across
// the other dims.
// Launch: TENSOR_BLOCK threads, any grid (grid-stride loops), no dynamic shared memory.
#include "tensor.cuh"

// d[p] = s[base(p) + idx[p] * step]. Each layout takes its own contiguous fast path inside offset_of.
template <typename T>
__device__ void gather_kernel(const T* s, const Layout& ls, const long long* idx, const Layout& li, T* d,
                              const Layout& ld, long long step, long long n) {
    for (long long i = grid_start(); i < n; i += grid_step())
        d[offset_of(ld, i)] = s[offset_of(ls, i) + idx[offset_of(li, i)] * step];
}

// Accumulation into memory other threads may hit too (repeated indices). Floats and 32/64-bit integers have
// hardware atomics (integer sums wrap, as two's complement does); a byte has none, so u8 adds go through a
// compare-and-swap of the aligned 32-bit word that holds it (allocations are 256-byte aligned and whole words, so
// the word is inside the allocation). Bool's sum is a logical or: every writer stores the same 1, so a plain byte
// store is enough.
TENSOR_DEVICE void atomic_accumulate(float* p, float v) { atomicAdd(p, v); }
TENSOR_DEVICE void atomic_accumulate(double* p, double v) { atomicAdd(p, v); }
TENSOR_DEVICE void atomic_accumulate(int* p, int v) { atomicAdd(p, v); }
TENSOR_DEVICE void atomic_accumulate(long long* p, long long v) {
    atomicAdd(reinterpret_cast<unsigned long long*>(p), (unsigned long long)v);
}
TENSOR_DEVICE void atomic_accumulate(unsigned char* p, unsigned char v) {
    unsigned long long address = reinterpret_cast<unsigned long long>(p);
    unsigned* word = reinterpret_cast<unsigned*>(address & ~3ULL);
    unsigned shift = (unsigned)(address & 3ULL) * 8u;
    unsigned old = *word, assumed;
    do {
        assumed = old;
        unsigned sum = (((assumed >> shift) & 0xffu) + v) & 0xffu;
        old = atomicCAS(word, assumed, (assumed & ~(0xffu << shift)) | (sum << shift));
    } while (old != assumed);
}

// Mode 0 assigns (repeated indices: one of the writes wins), 1 adds, 2 is Bool's or.
template <typename T, int Mode>
__device__ void scatter_kernel(const T* s, const Layout& ls, const long long* idx, const Layout& li, T* d,
                               const Layout& ld, long long step, long long n) {
    for (long long i = grid_start(); i < n; i += grid_step()) {
        T* target = d + offset_of(ld, i) + idx[offset_of(li, i)] * step;
        T v = s[offset_of(ls, i)];
        if constexpr (Mode == 0) *target = v;
        else if constexpr (Mode == 1) atomic_accumulate(target, v);
        else if (v) *target = (T)1;
    }
}

#define GATHER(T, SFX, _) \
    extern "C" __global__ void gather_##SFX(const T* s, Layout ls, const long long* idx, Layout li, T* d, Layout ld, \
                                            long long step, long long n) { \
        gather_kernel<T>(s, ls, idx, li, d, ld, step, n); \
    }
#define SCATTER(T, SFX, NAME, MODE) \
    extern "C" __global__ void scatter_##NAME##_##SFX(const T* s, Layout ls, const long long* idx, Layout li, T* d, \
                                                      Layout ld, long long step, long long n) { \
        scatter_kernel<T, MODE>(s, ls, idx, li, d, ld, step, n); \
    }
#define SCATTER_ASSIGN(T, SFX, _) SCATTER(T, SFX, assign, 0)
#define SCATTER_ADD(T, SFX, _) SCATTER(T, SFX, add, 1)

TENSOR_ALL_DTYPES(GATHER, _)
TENSOR_ALL_DTYPES(SCATTER_ASSIGN, _)
TENSOR_NUMERIC_DTYPES(SCATTER_ADD, _)
SCATTER(unsigned char, b8, add, 2)
