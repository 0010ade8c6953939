// fill_<dt> and copy_<from>_<to>: writing one value everywhere, and copying with a dtype conversion.
// Launch: TENSOR_BLOCK threads, any grid (grid-stride loops), no dynamic shared memory.
#include "tensor.cuh"

template <typename T>
__device__ void fill_kernel(T* d, const Layout& ld, T value, long long n) {
    grid_loop(n, ld.contiguous, [&](long long i, bool mode) { d[at(ld, i, mode)] = value; });
}

// To Bool is "not zero" (a NaN is not zero, so it gives 1); every other pair is convert().
template <typename To, bool ToBool, typename From> TENSOR_DEVICE To cast_value(From x) {
    if constexpr (ToBool) return x != (From)0 ? (To)1 : (To)0;
    else return convert<To>(x);
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

#define FILL(T, SFX, _) \
    extern "C" __global__ void fill_##SFX(T* d, Layout ld, T value, long long n) { fill_kernel<T>(d, ld, value, n); }

TENSOR_ALL_DTYPES(FILL, _)

// Only Bool destinations test "not zero"; from Bool to Bool that is a plain copy of 0 or 1.
#define TENSOR_IS_BOOL_f32 false
#define TENSOR_IS_BOOL_f64 false
#define TENSOR_IS_BOOL_i32 false
#define TENSOR_IS_BOOL_i64 false
#define TENSOR_IS_BOOL_u8 false
#define TENSOR_IS_BOOL_b8 true

#define COPY(T, TS, F, FS) \
    extern "C" __global__ void copy_##FS##_##TS(const F* s, Layout ls, T* d, Layout ld, long long n) { \
        copy_kernel<F, T, TENSOR_IS_BOOL_##TS>(s, ls, d, ld, n); \
    }
// The destinations spelled out: a macro cannot expand TENSOR_ALL_DTYPES inside its own expansion.
#define COPY_FROM(F, FS, _) \
    COPY(float, f32, F, FS) COPY(double, f64, F, FS) COPY(int, i32, F, FS) \
    COPY(long long, i64, F, FS) COPY(unsigned char, u8, F, FS) COPY(unsigned char, b8, F, FS)

TENSOR_ALL_DTYPES(COPY_FROM, _)
