// reduce_<op>_<dt> (sum prod max min) and argreduce_<op>_<dt> (argmax argmin) over the rows of a permuted source:
// output o reduces source elements o * inner + j, j in [0, inner) (see README.md). One pass, no dynamic shared
// memory, grid-stride over the outputs (any grid). Two modes, chosen by the block's shape:
// - rows, blockDim (b, 1), b a multiple of 32 up to 1024: one block per output row. Each thread folds its strided
//   share of the row in order, then the block combines the threads' values in a fixed tree (warp shuffles, then
//   32 partials in shared memory): deterministic for a given b.
// - columns, blockDim (32, 8): 32 adjacent outputs per block, for rows whose elements lie a stride apart.
#include "tensor.cuh"

// A reduction: its accumulator, the identity, how an element enters (with its index j), how two accumulators
// combine, how one crosses lanes, and what is written out.
template <typename T, typename Fold> struct Plain {
    typedef T Acc;
    typedef T Out;
    static TENSOR_DEVICE Acc identity() { return Fold::template identity<T>(); }
    static TENSOR_DEVICE Acc load(T x, long long) { return x; }
    static TENSOR_DEVICE Acc combine(Acc a, Acc b) { return Fold::apply(a, b); }
    static TENSOR_DEVICE Acc shuffle(Acc a, int lane_mask) { return shfl_xor(a, lane_mask); }
    static TENSOR_DEVICE Out result(Acc a) { return a; }
};

template <typename T> struct ValueIndex {
    T value;
    long long index;  // -1: no element yet
};

// The first extreme value wins and a NaN beats everything (the first NaN wins): ArgRule of ReduceFunctions.cs,
// made order-free so that the tree may combine in any grouping: b replaces a when it is better, or equally
// extreme with a smaller index.
template <typename T, bool IsMax> struct Arg {
    typedef ValueIndex<T> Acc;
    typedef long long Out;
    static TENSOR_DEVICE Acc identity() { return Acc{(T)0, -1}; }
    static TENSOR_DEVICE Acc load(T x, long long j) { return Acc{x, j}; }
    static TENSOR_DEVICE bool better(T candidate, T best) {
        return !is_nan(best) && (is_nan(candidate) || (IsMax ? candidate > best : candidate < best));
    }
    static TENSOR_DEVICE bool same(T x, T y) { return x == y || (is_nan(x) && is_nan(y)); }
    static TENSOR_DEVICE Acc combine(Acc a, Acc b) {
        if (b.index < 0) return a;
        if (a.index < 0) return b;
        bool take_b = better(b.value, a.value) || (same(b.value, a.value) && b.index < a.index);
        return take_b ? b : a;
    }
    static TENSOR_DEVICE Acc shuffle(Acc a, int lane_mask) {
        return Acc{shfl_xor(a.value, lane_mask), shfl_xor(a.index, lane_mask)};
    }
    static TENSOR_DEVICE Out result(Acc a) { return a.index < 0 ? 0 : a.index; }
};

// Every thread gets the block's value. partials holds one value per warp; the trailing barrier lets the caller
// reuse it for the next row.
template <typename Op> __device__ typename Op::Acc block_reduce(typename Op::Acc v, typename Op::Acc* partials) {
    TENSOR_UNROLL
    for (int mask = 16; mask > 0; mask >>= 1) v = Op::combine(v, Op::shuffle(v, mask));
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    if (lane == 0) partials[warp] = v;
    __syncthreads();
    v = lane < (int)(blockDim.x >> 5) ? partials[lane] : Op::identity();
    TENSOR_UNROLL
    for (int mask = 16; mask > 0; mask >>= 1) v = Op::combine(v, Op::shuffle(v, mask));
    __syncthreads();
    return v;
}

// Rows mode, blockDim (b, 1): one block per output row, the threads striding along the row.
template <typename T, typename Op>
__device__ void reduce_rows(const T* s, const Layout& ls, typename Op::Out* d, const Layout& ld, long long outer,
                            long long inner) {
    __shared__ typename Op::Acc partials[32];
    for (long long o = blockIdx.x; o < outer; o += gridDim.x) {
        typename Op::Acc acc = Op::identity();
        long long first = o * inner;
        if (ls.contiguous) {
            // Four accumulators, four loads in flight per thread: one accumulator would make each step wait for the
            // previous one's load. The partials combine in a fixed order, so the result stays deterministic.
            const T* row = s + ls.offset + first;
            long long j = threadIdx.x, step = blockDim.x;
            typename Op::Acc a1 = Op::identity(), a2 = Op::identity(), a3 = Op::identity();
            for (; j + 3 * step < inner; j += 4 * step) {
                T v0 = row[j], v1 = row[j + step], v2 = row[j + 2 * step], v3 = row[j + 3 * step];
                acc = Op::combine(acc, Op::load(v0, j));
                a1 = Op::combine(a1, Op::load(v1, j + step));
                a2 = Op::combine(a2, Op::load(v2, j + 2 * step));
                a3 = Op::combine(a3, Op::load(v3, j + 3 * step));
            }
            for (; j < inner; j += step) acc = Op::combine(acc, Op::load(row[j], j));
            acc = Op::combine(Op::combine(acc, a1), Op::combine(a2, a3));
        } else {
            for (long long j = threadIdx.x; j < inner; j += blockDim.x)
                acc = Op::combine(acc, Op::load(s[offset_in(ls, ls.rank, first + j)], j));
        }
        acc = block_reduce<Op>(acc, partials);
        if (threadIdx.x == 0) d[offset_of(ld, o)] = Op::result(acc);
    }
}

#define REDUCE_COLUMN_SPLIT 8

// Columns mode, blockDim (32, REDUCE_COLUMN_SPLIT): a block takes 32 consecutive outputs, one per threadIdx.x, and
// threadIdx.y strides along their rows. For a reduction over a leading dim (a bias gradient: sum over dim 0 of
// [N, C]) consecutive outputs are adjacent in memory, so a warp's 32 reads coalesce where rows mode would read
// 32 elements a row stride apart. The split partials combine in order of threadIdx.y through shared memory.
template <typename T, typename Op>
__device__ void reduce_columns(const T* s, const Layout& ls, typename Op::Out* d, const Layout& ld, long long outer,
                               long long inner) {
    __shared__ typename Op::Acc split[REDUCE_COLUMN_SPLIT][32];
    for (long long o0 = (long long)blockIdx.x * 32; o0 < outer; o0 += (long long)gridDim.x * 32) {
        long long o = o0 + threadIdx.x;
        typename Op::Acc acc = Op::identity();
        if (o < outer) {
            for (long long j = threadIdx.y; j < inner; j += REDUCE_COLUMN_SPLIT)
                acc = Op::combine(acc, Op::load(s[offset_of(ls, o * inner + j)], j));
        }
        split[threadIdx.y][threadIdx.x] = acc;
        __syncthreads();
        if (threadIdx.y == 0 && o < outer) {
            for (int y = 1; y < REDUCE_COLUMN_SPLIT; ++y) acc = Op::combine(acc, split[y][threadIdx.x]);
            d[offset_of(ld, o)] = Op::result(acc);
        }
        __syncthreads();  // split is reused by the next 32 outputs
    }
}

// The host picks the mode by the block's shape (README.md: rows for reductions along the innermost dim, columns
// when the reduced elements lie a stride apart and the outputs are adjacent).
template <typename T, typename Op>
__device__ void reduce_kernel(const T* s, const Layout& ls, typename Op::Out* d, const Layout& ld, long long outer,
                              long long inner) {
    if (blockDim.y == 1) reduce_rows<T, Op>(s, ls, d, ld, outer, inner);
    else reduce_columns<T, Op>(s, ls, d, ld, outer, inner);
}

#define REDUCE(T, SFX, NAME, FOLD) \
    extern "C" __global__ void reduce_##NAME##_##SFX(const T* s, Layout ls, T* d, Layout ld, long long outer, \
                                                      long long inner) { \
        reduce_kernel<T, Plain<T, FOLD>>(s, ls, d, ld, outer, inner); \
    }
#define ARGREDUCE(T, SFX, NAME, IS_MAX) \
    extern "C" __global__ void argreduce_##NAME##_##SFX(const T* s, Layout ls, long long* d, Layout ld, \
                                                         long long outer, long long inner) { \
        reduce_kernel<T, Arg<T, IS_MAX>>(s, ls, d, ld, outer, inner); \
    }

TENSOR_ALL_DTYPES(REDUCE, sum, Sum)
TENSOR_ALL_DTYPES(REDUCE, prod, Prod)
TENSOR_ALL_DTYPES(REDUCE, max, Max)
TENSOR_ALL_DTYPES(REDUCE, min, Min)
TENSOR_ALL_DTYPES(ARGREDUCE, argmax, true)
TENSOR_ALL_DTYPES(ARGREDUCE, argmin, false)
