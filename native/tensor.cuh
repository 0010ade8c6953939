// tensor.cuh: the one header every kernel file includes. Types, limits, the scalar semantics shared by several
// families (NaN-propagating max/min, wrapping integer arithmetic, conversions) and the strided index arithmetic.
// It must compile under NVRTC (no system headers exist there) and as C++ under g++ with the emulation's
// cuda_emu.h force-included, so it uses nothing but the language and the CUDA built-ins listed in README.md.
#ifndef TENSOR_CUH
#define TENSOR_CUH

#define TENSOR_MAX_DIMS 8

// The block size the host uses for every one-dimensional launch (elementwise, reduce, index, random).
#define TENSOR_BLOCK 256

// Dynamic shared memory: NVRTC's form here; the emulation defines its own before this header is seen.
#ifndef TENSOR_DYNAMIC_SHARED
#define TENSOR_DYNAMIC_SHARED(type, name) \
    extern __shared__ __align__(16) unsigned char tensor_dynamic_shared_[]; \
    type* name = reinterpret_cast<type*>(tensor_dynamic_shared_)
#endif

#define TENSOR_INF_F __int_as_float(0x7f800000)
#define TENSOR_INF_D __longlong_as_double(0x7ff0000000000000LL)
#define TENSOR_INT_MIN (-2147483647 - 1)
#define TENSOR_INT_MAX 2147483647
#define TENSOR_LLONG_MIN (-9223372036854775807LL - 1)
#define TENSOR_LLONG_MAX 9223372036854775807LL

#define TENSOR_DEVICE __device__ __forceinline__

// Loop unrolling: the CUDA compilers' pragma (NVRTC, or nvcc), or GCC's when the emulation compiles the sources as
// C++.
#if defined(__CUDACC_RTC__) || defined(__CUDACC__)
#define TENSOR_UNROLL _Pragma("unroll")
#else
#define TENSOR_UNROLL _Pragma("GCC unroll 16")
#endif

// __launch_bounds__ for the CUDA compilers; nothing for the emulation, whose compiler does not know it.
#if defined(__CUDACC_RTC__) || defined(__CUDACC__)
#define TENSOR_LAUNCH_BOUNDS(threads, min_blocks) __launch_bounds__(threads, min_blocks)
#else
#define TENSOR_LAUNCH_BOUNDS(threads, min_blocks)
#endif

// One operand: see README.md. Passed by value; 144 bytes, 8-byte aligned.
struct Layout {
    long long offset;
    long long shape[TENSOR_MAX_DIMS];
    long long strides[TENSOR_MAX_DIMS];
    int rank;
    int contiguous;
};

// The storage offset of row-major element i, counting only the first `dims` dims (the matmul's batch prefix uses
// fewer than rank). The loop is unrolled over the constant bound so that the layout stays in the parameter
// space: a loop bounded by `rank` would index the struct dynamically and copy it to local memory.
TENSOR_DEVICE long long offset_in(const Layout& l, int dims, long long i) {
    long long offset = l.offset;
    TENSOR_UNROLL
    for (int k = TENSOR_MAX_DIMS - 1; k >= 0; --k) {
        if (k < dims) {
            long long size = l.shape[k];
            offset += (i % size) * l.strides[k];
            i /= size;
        }
    }
    return offset;
}

// One dim's size or stride, for a dim known only at run time. Selecting over the unrolled constant indices keeps
// the layout in the parameter space (l.strides[dim] would copy the struct to local memory).
TENSOR_DEVICE long long stride_of(const Layout& l, int dim) {
    long long v = 0;
    TENSOR_UNROLL
    for (int k = 0; k < TENSOR_MAX_DIMS; ++k) v = k == dim ? l.strides[k] : v;
    return v;
}
TENSOR_DEVICE long long shape_of(const Layout& l, int dim) {
    long long v = 1;
    TENSOR_UNROLL
    for (int k = 0; k < TENSOR_MAX_DIMS; ++k) v = k == dim ? l.shape[k] : v;
    return v;
}

// Element i (row-major over the layout's shape) of an operand.
TENSOR_DEVICE long long offset_of(const Layout& l, long long i) {
    return l.contiguous ? l.offset + i : offset_in(l, l.rank, i);
}

// The grid-stride loop's start and step, in 64 bits (n may exceed 2^31).
TENSOR_DEVICE long long grid_start() { return (long long)blockIdx.x * blockDim.x + threadIdx.x; }
TENSOR_DEVICE long long grid_step() { return (long long)gridDim.x * blockDim.x; }

// ---- Scalar semantics -------------------------------------------------------------------------------------------

template <typename T> struct Limits;
template <> struct Limits<float> {
    static const bool is_float = true;
    static TENSOR_DEVICE float lowest() { return -TENSOR_INF_F; }
    static TENSOR_DEVICE float highest() { return TENSOR_INF_F; }
};
template <> struct Limits<double> {
    static const bool is_float = true;
    static TENSOR_DEVICE double lowest() { return -TENSOR_INF_D; }
    static TENSOR_DEVICE double highest() { return TENSOR_INF_D; }
};
template <> struct Limits<int> {
    static const bool is_float = false;
    static TENSOR_DEVICE int lowest() { return TENSOR_INT_MIN; }
    static TENSOR_DEVICE int highest() { return TENSOR_INT_MAX; }
};
template <> struct Limits<long long> {
    static const bool is_float = false;
    static TENSOR_DEVICE long long lowest() { return TENSOR_LLONG_MIN; }
    static TENSOR_DEVICE long long highest() { return TENSOR_LLONG_MAX; }
};
template <> struct Limits<unsigned char> {
    static const bool is_float = false;
    static TENSOR_DEVICE unsigned char lowest() { return 0; }
    static TENSOR_DEVICE unsigned char highest() { return 255; }
};

// x != x is the NaN test; integers are never NaN (the comparison folds away).
template <typename T> TENSOR_DEVICE bool is_nan(T x) { return x != x; }

// The sign bit, so that -0.0 counts as negative (as .NET's IsNegative does).
template <typename T> TENSOR_DEVICE bool is_negative(T x) { return x < 0; }
template <> TENSOR_DEVICE bool is_negative<float>(float x) { return __float_as_int(x) < 0; }
template <> TENSOR_DEVICE bool is_negative<double>(double x) { return __double_as_longlong(x) < 0; }
template <> TENSOR_DEVICE bool is_negative<unsigned char>(unsigned char) { return false; }

// Integer arithmetic wraps (two's complement), as in .NET and PyTorch; signed overflow is undefined in C++, so
// int and long long go through their unsigned forms. unsigned char arithmetic is done in int and truncated back.
template <typename T> TENSOR_DEVICE T wrap_add(T a, T b) { return (T)(a + b); }
template <typename T> TENSOR_DEVICE T wrap_sub(T a, T b) { return (T)(a - b); }
template <typename T> TENSOR_DEVICE T wrap_mul(T a, T b) { return (T)(a * b); }
template <> TENSOR_DEVICE int wrap_add<int>(int a, int b) { return (int)((unsigned)a + (unsigned)b); }
template <> TENSOR_DEVICE int wrap_sub<int>(int a, int b) { return (int)((unsigned)a - (unsigned)b); }
template <> TENSOR_DEVICE int wrap_mul<int>(int a, int b) { return (int)((unsigned)a * (unsigned)b); }
template <> TENSOR_DEVICE long long wrap_add<long long>(long long a, long long b) {
    return (long long)((unsigned long long)a + (unsigned long long)b);
}
template <> TENSOR_DEVICE long long wrap_sub<long long>(long long a, long long b) {
    return (long long)((unsigned long long)a - (unsigned long long)b);
}
template <> TENSOR_DEVICE long long wrap_mul<long long>(long long a, long long b) {
    return (long long)((unsigned long long)a * (unsigned long long)b);
}
// Negation: -x for floats (so -(+0) is -0); wraps for integers (-MinValue is MinValue, -1 on a byte is 255).
template <typename T> TENSOR_DEVICE T wrap_neg(T x) { return (T)(-x); }
template <> TENSOR_DEVICE int wrap_neg<int>(int x) { return wrap_sub(0, x); }
template <> TENSOR_DEVICE long long wrap_neg<long long>(long long x) { return wrap_sub(0LL, x); }

// .NET's Max and Min (IEEE 754-2019 maximum/minimum): a NaN operand wins, and +0 is above -0.
template <typename T> TENSOR_DEVICE T max_of(T a, T b) {
    if (is_nan(a)) return a;
    if (is_nan(b)) return b;
    if (a == b) return is_negative(a) ? b : a;
    return a > b ? a : b;
}
template <typename T> TENSOR_DEVICE T min_of(T a, T b) {
    if (is_nan(a)) return a;
    if (is_nan(b)) return b;
    if (a == b) return is_negative(a) ? a : b;
    return a < b ? a : b;
}

// Folds shared by the reductions and the scans: an identity and an associative combine.
struct Sum {
    template <typename T> static TENSOR_DEVICE T identity() { return (T)0; }
    template <typename T> static TENSOR_DEVICE T apply(T a, T b) { return wrap_add(a, b); }
};
struct Prod {
    template <typename T> static TENSOR_DEVICE T identity() { return (T)1; }
    template <typename T> static TENSOR_DEVICE T apply(T a, T b) { return wrap_mul(a, b); }
};
struct Max {
    template <typename T> static TENSOR_DEVICE T identity() { return Limits<T>::lowest(); }
    template <typename T> static TENSOR_DEVICE T apply(T a, T b) { return max_of(a, b); }
};
struct Min {
    template <typename T> static TENSOR_DEVICE T identity() { return Limits<T>::highest(); }
    template <typename T> static TENSOR_DEVICE T apply(T a, T b) { return min_of(a, b); }
};

// Conversion between dtypes, as the CPU backend's Convert (TTo.CreateTruncating): integers wrap, floats round to
// nearest, floats to integers truncate toward zero and saturate, NaN giving 0. The explicit saturation keeps the
// result defined in C++ (an out-of-range cast is undefined there) and equal to what the GPU's cvt.rzi does.
template <typename To, typename From> TENSOR_DEVICE To convert(From x) {
    if constexpr (Limits<From>::is_float && !Limits<To>::is_float) {
        if (is_nan(x)) return (To)0;
        // The limits are powers of two (or 0 and 255), exact in float and double; beyond them the cast saturates.
        if (x <= (From)Limits<To>::lowest()) return Limits<To>::lowest();
        if (x >= (From)Limits<To>::highest()) return Limits<To>::highest();
    }
    return (To)x;
}

// The math functions by type, so that templates call the float forms for float (CUDA's overloads of the double
// names are not part of the contract with the emulation).
template <typename T> struct Math;
template <> struct Math<float> {
    static TENSOR_DEVICE float sqrt(float x) { return sqrtf(x); }
    static TENSOR_DEVICE float exp(float x) { return expf(x); }
    static TENSOR_DEVICE float log(float x) { return logf(x); }
    static TENSOR_DEVICE float tanh(float x) { return tanhf(x); }
    static TENSOR_DEVICE float trunc(float x) { return truncf(x); }
    static TENSOR_DEVICE float floor(float x) { return floorf(x); }
    static TENSOR_DEVICE float pow(float x, float y) { return powf(x, y); }
    static TENSOR_DEVICE float fmod(float x, float y) { return fmodf(x, y); }
    static TENSOR_DEVICE float copysign(float x, float y) { return copysignf(x, y); }
};
template <> struct Math<double> {
    static TENSOR_DEVICE double sqrt(double x) { return ::sqrt(x); }
    static TENSOR_DEVICE double exp(double x) { return ::exp(x); }
    static TENSOR_DEVICE double log(double x) { return ::log(x); }
    static TENSOR_DEVICE double tanh(double x) { return ::tanh(x); }
    static TENSOR_DEVICE double trunc(double x) { return ::trunc(x); }
    static TENSOR_DEVICE double floor(double x) { return ::floor(x); }
    static TENSOR_DEVICE double pow(double x, double y) { return ::pow(x, y); }
    static TENSOR_DEVICE double fmod(double x, double y) { return ::fmod(x, y); }
    static TENSOR_DEVICE double copysign(double x, double y) { return ::copysign(x, y); }
};

// ---- Elementwise loops ------------------------------------------------------------------------------------------

// A grid-stride loop over n elements: body(i, contiguous). The body finds its operands' elements with
// at(layout, i, contiguous); grid_loop calls it with the constant true in one loop and false in the other, so once
// inlined the contiguous loop has no index arithmetic (and its reads and writes coalesce). The flag is a constant
// rather than a type because NVRTC refuses generic lambdas in device code without --extended-lambda.
TENSOR_DEVICE long long at(const Layout& l, long long i, bool contiguous) {
    return contiguous ? l.offset + i : offset_in(l, l.rank, i);
}

template <typename Body> TENSOR_DEVICE void grid_loop(long long n, bool contiguous, Body body) {
    long long i = grid_start(), step = grid_step();
    if (contiguous) {
        for (; i < n; i += step) body(i, true);
    } else {
        for (; i < n; i += step) body(i, false);
    }
}

// Contiguous operands (element i at pointer[i]): each thread takes U elements a grid stride apart per step and loads
// all of them before storing any result, so U loads are in flight per thread (stores through d could alias a later
// load, which otherwise keeps the compiler from hoisting it); every access still coalesces across the warp. Each
// element is read and written by one thread only, so in-place calls (d == an input) stay correct.
template <int U, typename To, typename F, typename... From>
TENSOR_DEVICE void contiguous_map(long long n, F f, To* d, const From*... s) {
    long long i = grid_start(), step = grid_step();
    for (; i + (U - 1) * step < n; i += U * step) {
        To r[U];
        TENSOR_UNROLL
        for (int u = 0; u < U; ++u) r[u] = f(s[i + u * step]...);
        TENSOR_UNROLL
        for (int u = 0; u < U; ++u) d[i + u * step] = r[u];
    }
    for (; i < n; i += step) d[i] = f(s[i]...);
}

// ---- Dtype lists: M(C type, suffix, rest...) once per dtype, to instantiate the extern "C" entry points --------

#define TENSOR_FLOAT_DTYPES(M, ...) M(float, f32, __VA_ARGS__) M(double, f64, __VA_ARGS__)
#define TENSOR_INTEGER_DTYPES(M, ...) M(int, i32, __VA_ARGS__) M(long long, i64, __VA_ARGS__) M(unsigned char, u8, __VA_ARGS__)
#define TENSOR_NUMERIC_DTYPES(M, ...) TENSOR_FLOAT_DTYPES(M, __VA_ARGS__) TENSOR_INTEGER_DTYPES(M, __VA_ARGS__)
#define TENSOR_ALL_DTYPES(M, ...) TENSOR_NUMERIC_DTYPES(M, __VA_ARGS__) M(unsigned char, b8, __VA_ARGS__)

// ---- Warp shuffles ----------------------------------------------------------------------------------------------

#define TENSOR_FULL_MASK 0xffffffffu

// The built-in shuffles take int, long long, float and double; a byte travels as an int.
template <typename T> TENSOR_DEVICE T shfl_xor(T v, int lane_mask) {
    return __shfl_xor_sync(TENSOR_FULL_MASK, v, lane_mask);
}
template <> TENSOR_DEVICE unsigned char shfl_xor<unsigned char>(unsigned char v, int lane_mask) {
    return (unsigned char)__shfl_xor_sync(TENSOR_FULL_MASK, (int)v, lane_mask);
}

#endif
