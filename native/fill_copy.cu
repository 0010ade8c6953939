// fill_<dt> and copy_<from>_<to>: writing one value everywhere, and copying with a dtype conversion.
// Launch: TENSOR_BLOCK threads, any grid (grid-stride loops), no dynamic shared memory.
#include "tensor.cuh"

// ---- Storage-only dtypes ------------------------------------------------------------------------------------------
// float16, bfloat16, int8 and int16 have no arithmetic kernels (the host computes them in float32 or int32), only
// fill and copy. The 16-bit floats are kept as their bits and converted here with integer arithmetic, bit for bit as
// the CPU backend (System.Half and Tensors.BFloat16) does: round to nearest, ties to even; overflow to infinity;
// subnormals kept; a NaN stays a NaN (quieted). No cuda_fp16.h: NVRTC has no headers here, and the emulation
// compiles this same code with g++.
struct half_bits { unsigned short bits; };
struct bf16_bits { unsigned short bits; };

template <> struct Limits<signed char> {
    static const bool is_float = false;
    static TENSOR_DEVICE signed char lowest() { return -128; }
    static TENSOR_DEVICE signed char highest() { return 127; }
};
template <> struct Limits<short> {
    static const bool is_float = false;
    static TENSOR_DEVICE short lowest() { return -32768; }
    static TENSOR_DEVICE short highest() { return 32767; }
};

TENSOR_DEVICE unsigned short half_from_float(float f) {
    unsigned u = (unsigned)__float_as_int(f);
    unsigned short sign = (unsigned short)((u >> 16) & 0x8000u);
    unsigned a = u & 0x7fffffffu;
    if (a > 0x7f800000u) return sign | 0x7e00u | ((a >> 13) & 0x3ffu);  // NaN: quiet, top payload bits kept
    if (a >= 0x477ff000u) return sign | 0x7c00u;                         // 65520 and above (and inf): infinity
    if (a >= 0x38800000u) {                                              // a normal half (2^-14 and above)
        a += 0xfffu + ((a >> 13) & 1u);                                  // ties to even on the 13 dropped bits
        return sign | (unsigned short)((a - 0x38000000u) >> 13);        // exponent rebiased from 127 to 15
    }
    if (a <= 0x33000000u) return sign;                                   // 2^-25 and below: zero (2^-25 ties to even)
    unsigned e = a >> 23, m = (a & 0x7fffffu) | 0x800000u, shift = 126u - e;  // subnormal: m * 2^-24 >> shift
    unsigned k = m >> shift, rest = m & ((1u << shift) - 1u), halfway = 1u << (shift - 1u);
    if (rest > halfway || (rest == halfway && (k & 1u))) ++k;            // may carry into the smallest normal
    return sign | (unsigned short)k;
}

TENSOR_DEVICE float half_to_float(unsigned short h) {
    unsigned sign = (unsigned)(h & 0x8000u) << 16, e = (h >> 10) & 0x1fu, m = h & 0x3ffu;
    if (e == 0x1fu) return __int_as_float((int)(sign | 0x7f800000u | (m << 13) | (m ? 0x400000u : 0u)));
    if (e == 0u) {
        float v = (float)m * __int_as_float(0x33800000);  // m * 2^-24, exact
        return sign ? -v : v;
    }
    return __int_as_float((int)(sign | ((e + 112u) << 23) | (m << 13)));
}

// PyTorch's round_to_nearest_even: the upper half of the float, NaN as 0x7FC0.
TENSOR_DEVICE unsigned short bf16_from_float(float f) {
    if (is_nan(f)) return 0x7fc0u;
    unsigned u = (unsigned)__float_as_int(f);
    u += 0x7fffu + ((u >> 16) & 1u);
    return (unsigned short)(u >> 16);
}

// The value a stored element is converted through: itself, or float for the 16-bit floats.
template <typename T> struct Stored {
    typedef T Value;
    static TENSOR_DEVICE T load(T x) { return x; }
    static TENSOR_DEVICE T store(T v) { return v; }
};
template <> struct Stored<half_bits> {
    typedef float Value;
    static TENSOR_DEVICE float load(half_bits x) { return half_to_float(x.bits); }
    static TENSOR_DEVICE half_bits store(float v) { return half_bits{half_from_float(v)}; }
};
template <> struct Stored<bf16_bits> {
    typedef float Value;
    static TENSOR_DEVICE float load(bf16_bits x) { return __int_as_float((int)((unsigned)x.bits << 16)); }
    static TENSOR_DEVICE bf16_bits store(float v) { return bf16_bits{bf16_from_float(v)}; }
};

template <typename A, typename B> struct Same { static const bool value = false; };
template <typename A> struct Same<A, A> { static const bool value = true; };

// ---- Kernels ------------------------------------------------------------------------------------------------------

template <typename T>
__device__ void fill_kernel(T* d, const Layout& ld, T value, long long n) {
    grid_loop(n, ld.contiguous, [&](long long i, bool mode) { d[at(ld, i, mode)] = value; });
}

// To Bool is "not zero" (a NaN is not zero, so it gives 1); every other pair is convert() of the values, which for
// a 16-bit float destination means through float first (a double or a large integer rounds twice, as in PyTorch).
// The same dtype is copied as it is (bits included).
template <typename To, bool ToBool, typename From> TENSOR_DEVICE To cast_value(From x) {
    if constexpr (Same<From, To>::value && !ToBool) return x;
    else {
        typedef typename Stored<To>::Value V;
        auto v = Stored<From>::load(x);
        if constexpr (ToBool) return Stored<To>::store(v != (decltype(v))0 ? (V)1 : (V)0);
        else return Stored<To>::store(convert<V>(v));
    }
}

template <typename From, typename To, bool ToBool>
__device__ void copy_kernel(const From* s, const Layout& ls, To* d, const Layout& ld, long long n) {
    if (ls.contiguous && ld.contiguous) {
        contiguous_map<4>(n, [](From x) { return cast_value<To, ToBool>(x); }, d + ld.offset, s + ls.offset);
        return;
    }
    grid_loop(n, false, [&](long long i, bool mode) {
        d[at(ld, i, mode)] = cast_value<To, ToBool>(s[at(ls, i, mode)]);
    });
}

// Every dtype a storage holds: the kernel dtypes and the storage-only ones.
#define STORAGE_DTYPES(M, ...) TENSOR_ALL_DTYPES(M, __VA_ARGS__) \
    M(half_bits, f16, __VA_ARGS__) M(bf16_bits, bf16, __VA_ARGS__) M(signed char, i8, __VA_ARGS__) M(short, i16, __VA_ARGS__)

#define FILL(T, SFX, _) \
    extern "C" __global__ void fill_##SFX(T* d, Layout ld, T value, long long n) { fill_kernel<T>(d, ld, value, n); }

STORAGE_DTYPES(FILL, _)

// Only Bool destinations test "not zero"; from Bool to Bool that is a plain copy of 0 or 1.
#define TENSOR_IS_BOOL_f32 false
#define TENSOR_IS_BOOL_f64 false
#define TENSOR_IS_BOOL_i32 false
#define TENSOR_IS_BOOL_i64 false
#define TENSOR_IS_BOOL_u8 false
#define TENSOR_IS_BOOL_b8 true
#define TENSOR_IS_BOOL_f16 false
#define TENSOR_IS_BOOL_bf16 false
#define TENSOR_IS_BOOL_i8 false
#define TENSOR_IS_BOOL_i16 false

#define COPY(T, TS, F, FS) \
    extern "C" __global__ void copy_##FS##_##TS(const F* s, Layout ls, T* d, Layout ld, long long n) { \
        copy_kernel<F, T, TENSOR_IS_BOOL_##TS>(s, ls, d, ld, n); \
    }
// The destinations spelled out: a macro cannot expand STORAGE_DTYPES inside its own expansion.
#define COPY_FROM(F, FS, _) \
    COPY(float, f32, F, FS) COPY(double, f64, F, FS) COPY(int, i32, F, FS) \
    COPY(long long, i64, F, FS) COPY(unsigned char, u8, F, FS) COPY(unsigned char, b8, F, FS) \
    COPY(half_bits, f16, F, FS) COPY(bf16_bits, bf16, F, FS) COPY(signed char, i8, F, FS) COPY(short, i16, F, FS)

STORAGE_DTYPES(COPY_FROM, _)
