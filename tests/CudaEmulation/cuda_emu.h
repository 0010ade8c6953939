// cuda_emu.h: force-included (g++ -include cuda_emu.h) when native/*.cu is compiled as C++ for the CPU emulation
// of the device. It supplies the CUDA built-ins the kernels use (native/README.md lists them); the runtime behind
// them (fibers, barriers, warp rendezvous) is emu_fibers.cpp. Test-only code: never shipped.
#pragma once

#include <math.h>
#include <cmath>
#include <cstring>
#include <type_traits>

using std::isfinite;
using std::isinf;
using std::isnan;
using std::signbit;

// Execution-space qualifiers mean nothing on the host. __shared__ is a plain static: launches are serialised and
// the blocks of a launch run one after another on one OS thread, so one static instance is exactly "one per block".
#ifdef TENSOR_EMU_SCAN
// build.sh preprocesses each .cu with this defined and reads the kernel names off the marker.
#define __global__ __tensor_emu_global__
#else
#define __global__
#endif
#define __device__
#define __host__
#define __forceinline__ __attribute__((always_inline)) inline
#define __noinline__ __attribute__((noinline))
#define __restrict__ __restrict
#define __shared__ static
#define __align__(n) __attribute__((aligned(n)))
#define __launch_bounds__(...)

struct uint3 { unsigned x, y, z; };
struct dim3 { unsigned x, y, z; };

namespace emu {
// The fiber now running: its thread index. Plain globals (not thread_local) because only one launch runs at a time.
struct ThreadState { uint3 tid; };
extern ThreadState* current;
extern uint3 block_idx;
extern dim3 block_dim;
extern dim3 grid_dim;
extern unsigned char* dynamic_shared;

enum WarpOpKind { ShflIdx, ShflUp, ShflDown, ShflXor, Ballot, SyncWarp };
void syncthreads_rendezvous();
unsigned long long warp_rendezvous(WarpOpKind kind, unsigned mask, unsigned long long bits, int arg, int width);

// Other fibers run inside these calls and write shared and global memory: the "memory" clobbers make sure the
// compiler keeps no such value in a register across them (the calls are opaque already; this says it outright).
inline void syncthreads() {
    asm volatile("" ::: "memory");
    syncthreads_rendezvous();
    asm volatile("" ::: "memory");
}
// Rendezvous of the lanes in `mask`; returns this lane's result (the shuffled value's bits, or the ballot).
inline unsigned long long warp_op(WarpOpKind kind, unsigned mask, unsigned long long bits, int arg, int width) {
    asm volatile("" ::: "memory");
    unsigned long long r = warp_rendezvous(kind, mask, bits, arg, width);
    asm volatile("" ::: "memory");
    return r;
}

template <class T> inline T shfl(WarpOpKind kind, unsigned mask, T var, int arg, int width) {
    static_assert(std::is_arithmetic<T>::value && (sizeof(T) == 4 || sizeof(T) == 8),
                  "warp shuffles take int, unsigned, long long, unsigned long long, float or double");
    unsigned long long bits = 0;
    std::memcpy(&bits, &var, sizeof(T));
    bits = warp_op(kind, mask, bits, arg, width);
    T r;
    std::memcpy(&r, &bits, sizeof(T));
    return r;
}
template <class To, class From> inline To bit_cast(From v) {
    static_assert(sizeof(To) == sizeof(From), "bit_cast between different sizes");
    To r;
    std::memcpy(&r, &v, sizeof(To));
    return r;
}
} // namespace emu

#define threadIdx (::emu::current->tid)
#define blockIdx (::emu::block_idx)
#define blockDim (::emu::block_dim)
#define gridDim (::emu::grid_dim)
#define warpSize 32

// Dynamic shared memory of the launch, for the current block (cuLaunchKernel's sharedMemBytes, 16-byte aligned).
#define TENSOR_DYNAMIC_SHARED(type, name) type* name = reinterpret_cast<type*>(::emu::dynamic_shared)

inline void __syncthreads() { emu::syncthreads(); }
inline void __syncwarp(unsigned mask = 0xffffffffu) { emu::warp_op(emu::SyncWarp, mask, 0, 0, 32); }
inline void __threadfence() {}
inline void __threadfence_block() {}
template <class T> inline T __shfl_sync(unsigned mask, T var, int srcLane, int width = 32) {
    return emu::shfl(emu::ShflIdx, mask, var, srcLane, width);
}
template <class T> inline T __shfl_up_sync(unsigned mask, T var, unsigned delta, int width = 32) {
    return emu::shfl(emu::ShflUp, mask, var, (int)delta, width);
}
template <class T> inline T __shfl_down_sync(unsigned mask, T var, unsigned delta, int width = 32) {
    return emu::shfl(emu::ShflDown, mask, var, (int)delta, width);
}
template <class T> inline T __shfl_xor_sync(unsigned mask, T var, int laneMask, int width = 32) {
    return emu::shfl(emu::ShflXor, mask, var, laneMask, width);
}
inline unsigned __ballot_sync(unsigned mask, int predicate) {
    return (unsigned)emu::warp_op(emu::Ballot, mask, predicate != 0, 0, 32);
}
template <class T> inline T __ldg(const T* p) { return *p; }

inline float __int_as_float(int v) { return emu::bit_cast<float>(v); }
inline int __float_as_int(float v) { return emu::bit_cast<int>(v); }
inline float __uint_as_float(unsigned v) { return emu::bit_cast<float>(v); }
inline unsigned __float_as_uint(float v) { return emu::bit_cast<unsigned>(v); }
inline double __longlong_as_double(long long v) { return emu::bit_cast<double>(v); }
inline long long __double_as_longlong(double v) { return emu::bit_cast<long long>(v); }

// Integer intrinsics.
inline int __popc(unsigned v) { return __builtin_popcount(v); }
inline int __popcll(unsigned long long v) { return __builtin_popcountll(v); }
inline int __clz(int v) { return v == 0 ? 32 : __builtin_clz((unsigned)v); }
inline int __clzll(long long v) { return v == 0 ? 64 : __builtin_clzll((unsigned long long)v); }
inline int __ffs(int v) { return __builtin_ffs(v); }
inline int __ffsll(long long v) { return __builtin_ffsll(v); }
inline unsigned __brev(unsigned v) {
    unsigned r = 0;
    for (int i = 0; i < 32; i++) r |= ((v >> i) & 1u) << (31 - i);
    return r;
}
inline int __mulhi(int a, int b) { return (int)(((long long)a * b) >> 32); }
inline unsigned __umulhi(unsigned a, unsigned b) { return (unsigned)(((unsigned long long)a * b) >> 32); }
inline long long __mul64hi(long long a, long long b) { return (long long)(((__int128)a * b) >> 64); }
inline unsigned long long __umul64hi(unsigned long long a, unsigned long long b) {
    return (unsigned long long)(((unsigned __int128)a * b) >> 64);
}

// Functions the device has and glibc lacks; the fast-math intrinsics are the precise functions here.
inline float rsqrtf(float x) { return 1.0f / sqrtf(x); }
inline double rsqrt(double x) { return 1.0 / sqrt(x); }
inline float __saturatef(float x) { return x != x ? 0.0f : x < 0.0f ? 0.0f : x > 1.0f ? 1.0f : x; }
inline float __expf(float x) { return expf(x); }
inline float __logf(float x) { return logf(x); }
inline float __sinf(float x) { return sinf(x); }
inline float __cosf(float x) { return cosf(x); }
inline float __powf(float x, float y) { return powf(x, y); }
inline float __fdividef(float x, float y) { return x / y; }

// Atomics: fibers switch only at barriers and warp operations, and one launch runs at a time on one OS thread, so
// a plain read-modify-write is atomic here. Integer sums go through unsigned arithmetic: they wrap, as on the device.
inline int atomicAdd(int* a, int v) { int o = *a; *a = (int)((unsigned)o + (unsigned)v); return o; }
inline unsigned atomicAdd(unsigned* a, unsigned v) { unsigned o = *a; *a = o + v; return o; }
inline unsigned long long atomicAdd(unsigned long long* a, unsigned long long v) {
    unsigned long long o = *a; *a = o + v; return o;
}
inline float atomicAdd(float* a, float v) { float o = *a; *a = o + v; return o; }
inline double atomicAdd(double* a, double v) { double o = *a; *a = o + v; return o; }
inline int atomicCAS(int* a, int cmp, int v) { int o = *a; if (o == cmp) *a = v; return o; }
inline unsigned atomicCAS(unsigned* a, unsigned cmp, unsigned v) { unsigned o = *a; if (o == cmp) *a = v; return o; }
inline unsigned long long atomicCAS(unsigned long long* a, unsigned long long cmp, unsigned long long v) {
    unsigned long long o = *a; if (o == cmp) *a = v; return o;
}
inline int atomicExch(int* a, int v) { int o = *a; *a = v; return o; }
inline unsigned atomicExch(unsigned* a, unsigned v) { unsigned o = *a; *a = v; return o; }
inline unsigned long long atomicExch(unsigned long long* a, unsigned long long v) {
    unsigned long long o = *a; *a = v; return o;
}
inline float atomicExch(float* a, float v) { float o = *a; *a = v; return o; }
inline int atomicMax(int* a, int v) { int o = *a; if (v > o) *a = v; return o; }
inline int atomicMin(int* a, int v) { int o = *a; if (v < o) *a = v; return o; }
inline long long atomicMax(long long* a, long long v) { long long o = *a; if (v > o) *a = v; return o; }
inline long long atomicMin(long long* a, long long v) { long long o = *a; if (v < o) *a = v; return o; }
inline unsigned atomicMax(unsigned* a, unsigned v) { unsigned o = *a; if (v > o) *a = v; return o; }
inline unsigned atomicMin(unsigned* a, unsigned v) { unsigned o = *a; if (v < o) *a = v; return o; }

// CUDA's min/max overloads (the device has them without std::).
#define TENSOR_EMU_MINMAX(T) \
    inline T min(T a, T b) { return a < b ? a : b; } \
    inline T max(T a, T b) { return a > b ? a : b; }
TENSOR_EMU_MINMAX(int)
TENSOR_EMU_MINMAX(unsigned)
TENSOR_EMU_MINMAX(long long)
TENSOR_EMU_MINMAX(unsigned long long)
inline float min(float a, float b) { return fminf(a, b); }
inline float max(float a, float b) { return fmaxf(a, b); }
inline double min(double a, double b) { return fmin(a, b); }
inline double max(double a, double b) { return fmax(a, b); }
#undef TENSOR_EMU_MINMAX
