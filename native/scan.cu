// scan_<op>_<dt> (sum prod): inclusive scans along a row. The host permutes both operands so that the scanned dim
// is last: row o's element j is row-major element o * length + j of each layout (see README.md). One block per row
// (grid-stride over the rows), blockDim.x <= TENSOR_BLOCK. The block walks the row in chunks of blockDim.x
// elements: each thread loads one, the block scans the chunk in shared memory (Hillis-Steele, one barrier per
// step), and the chunk's total is carried into the next. Accumulates in the element type, as PyTorch's CUDA cumsum
// does for float32; integers wrap; on Bool the running sum is a logical or.
#include "tensor.cuh"

template <typename T, typename Op>
__device__ void scan_rows(const T* s, const Layout& ls, T* d, const Layout& ld, long long outer, long long length) {
    __shared__ T buffer[2][TENSOR_BLOCK];
    int t = threadIdx.x, width = blockDim.x;
    for (long long o = blockIdx.x; o < outer; o += gridDim.x) {
        T carry = Op::template identity<T>();
        long long first = o * length;
        for (long long base = 0; base < length; base += width) {
            long long j = base + t;
            int in = 0;
            buffer[0][t] = j < length ? s[offset_of(ls, first + j)] : Op::template identity<T>();
            __syncthreads();
            for (int step = 1; step < width; step <<= 1) {
                T x = buffer[in][t];
                if (t >= step) x = Op::apply(buffer[in][t - step], x);
                buffer[1 - in][t] = x;
                in = 1 - in;
                __syncthreads();
            }
            if (j < length) d[offset_of(ld, first + j)] = Op::apply(carry, buffer[in][t]);
            carry = Op::apply(carry, buffer[in][width - 1]);
            __syncthreads();  // every thread has read the chunk's total before the next chunk overwrites it
        }
    }
}

#define SCAN(T, SFX, NAME, OP) \
    extern "C" __global__ void scan_##NAME##_##SFX(const T* s, Layout ls, T* d, Layout ld, long long outer, \
                                                    long long length) { \
        scan_rows<T, OP>(s, ls, d, ld, outer, length); \
    }

TENSOR_NUMERIC_DTYPES(SCAN, sum, Sum)
TENSOR_NUMERIC_DTYPES(SCAN, prod, Prod)
SCAN(unsigned char, b8, sum, Max)  // a running or: max of 0/1
SCAN(unsigned char, b8, prod, Prod)
