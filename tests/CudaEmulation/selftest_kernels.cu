// Kernels of the emulation's selftest (selftest.c): compiled to PTX by NVRTC at run time and, by build.sh
// --selftest, into the emulated libcuda.so.1 by g++, exactly as native/*.cu are.
#ifndef TENSOR_DYNAMIC_SHARED
#define TENSOR_DYNAMIC_SHARED(type, name) \
    extern __shared__ __align__(16) unsigned char emu_selftest_dynamic_[]; \
    type* name = reinterpret_cast<type*>(emu_selftest_dynamic_)
#endif

// out[blockIdx.x] = the sum of the elements i of x with (i / blockDim.x) % gridDim.x == blockIdx.x: a grid-stride
// loop, a warp reduction with __shfl_down_sync, the warps' sums through shared memory and __syncthreads.
extern "C" __global__ void emu_selftest_block_sum(const float* __restrict__ x, long long n, float* __restrict__ out) {
    __shared__ float warp_sums[32];
    float sum = 0;
    for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (long long)gridDim.x * blockDim.x)
        sum += x[i];
    for (int d = 16; d > 0; d /= 2) sum += __shfl_down_sync(0xffffffffu, sum, d);
    if (threadIdx.x % 32 == 0) warp_sums[threadIdx.x / 32] = sum;
    __syncthreads();
    if (threadIdx.x < 32) {
        sum = threadIdx.x < blockDim.x / 32 ? warp_sums[threadIdx.x] : 0.0f;
        for (int d = 16; d > 0; d /= 2) sum += __shfl_down_sync(0xffffffffu, sum, d);
        if (threadIdx.x == 0) out[blockIdx.x] = sum;
    }
}

// Mixed sizes and alignments: the parameter buffer is unpacked by the PTX's offsets.
extern "C" __global__ void emu_selftest_params(unsigned char c, double d, int i, long long n, float f,
                                               long long* out) {
    if (threadIdx.x == 0 && blockIdx.x == 0) {
        out[0] = c;
        out[1] = (long long)d;
        out[2] = i;
        out[3] = n;
        out[4] = (long long)f;
    }
}

// The other warp intrinsics; four ints per thread.
extern "C" __global__ void emu_selftest_warp(int* out) {
    int t = threadIdx.x;
    int* o = out + 4 * t;
    o[0] = __shfl_xor_sync(0xffffffffu, t, 1);
    o[1] = __shfl_up_sync(0xffffffffu, t, 3);
    o[2] = (int)__ballot_sync(0xffffffffu, t % 3 == 0);
    o[3] = __shfl_sync(0xffffffffu, t * 10, 5, 8);
}

// Reverses a block through dynamic shared memory.
extern "C" __global__ void emu_selftest_dynamic(float* out) {
    TENSOR_DYNAMIC_SHARED(float, s);
    s[threadIdx.x] = (float)threadIdx.x;
    __syncthreads();
    out[threadIdx.x] = s[blockDim.x - 1 - threadIdx.x];
}

// Thread 0 leaves before the barrier the others wait at: a deadlock on the device.
extern "C" __global__ void emu_selftest_deadlock(int* out) {
    if (threadIdx.x == 0) return;
    __syncthreads();
    out[threadIdx.x] = 1;
}

// A full-warp mask in a block of fewer than 32 threads.
extern "C" __global__ void emu_selftest_partial_warp(int* out) {
    out[threadIdx.x] = __shfl_down_sync(0xffffffffu, (int)threadIdx.x, 1);
}

// One __syncthreads: the launch cost the README quotes. out[i] = the block's thread count - 1 - i, per block.
extern "C" __global__ void emu_selftest_barrier(int* out) {
    __shared__ int s[1024];
    s[threadIdx.x] = (int)threadIdx.x;
    __syncthreads();
    out[blockIdx.x * blockDim.x + threadIdx.x] = s[blockDim.x - 1 - threadIdx.x];
}
