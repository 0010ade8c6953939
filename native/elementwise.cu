// unary_<op>_<dt>, binary_<op>_<dt>, compare_<op>_<dt>, where_<dt>: one value per destination element, with the
// CPU backend's scalar semantics (src/Tensor/Ops). Each op is a struct with a static apply; one kernel template per
// family runs it over the elements, and one macro per family instantiates the extern "C" entry points.
// Launch: TENSOR_BLOCK threads, any grid (grid-stride loops), no dynamic shared memory.
#include "tensor.cuh"

// ---- Unary ------------------------------------------------------------------------------------------------------

struct Neg { template <typename T> static TENSOR_DEVICE T apply(T x) { return wrap_neg(x); } };
// The sign bit decides, so abs(-0.0) is +0.0; an integer MinValue stays itself (negation wraps).
struct Abs { template <typename T> static TENSOR_DEVICE T apply(T x) { return is_negative(x) ? wrap_neg(x) : x; } };
struct Relu { template <typename T> static TENSOR_DEVICE T apply(T x) { return max_of(x, (T)0); } };
struct Sqrt { template <typename T> static TENSOR_DEVICE T apply(T x) { return Math<T>::sqrt(x); } };
struct Exp { template <typename T> static TENSOR_DEVICE T apply(T x) { return Math<T>::exp(x); } };
struct Log { template <typename T> static TENSOR_DEVICE T apply(T x) { return Math<T>::log(x); } };
struct Sigmoid { template <typename T> static TENSOR_DEVICE T apply(T x) { return (T)1 / ((T)1 + Math<T>::exp(-x)); } };
struct Tanh { template <typename T> static TENSOR_DEVICE T apply(T x) { return Math<T>::tanh(x); } };
struct Trunc { template <typename T> static TENSOR_DEVICE T apply(T x) { return Math<T>::trunc(x); } };
// The C math functions only the unary kernels use, overloaded on float and double (tensor.cuh's Math holds those that
// several families share): the f-suffixed float forms, which NVRTC provides and the emulation finds in libm.
#define UNARY_MATH(NAME) \
    TENSOR_DEVICE float NAME##_of(float x) { return NAME##f(x); } \
    TENSOR_DEVICE double NAME##_of(double x) { return NAME(x); }
UNARY_MATH(sin) UNARY_MATH(cos) UNARY_MATH(tan) UNARY_MATH(asin) UNARY_MATH(acos) UNARY_MATH(atan)
UNARY_MATH(sinh) UNARY_MATH(cosh) UNARY_MATH(floor) UNARY_MATH(ceil) UNARY_MATH(rint) UNARY_MATH(log1p)
UNARY_MATH(expm1) UNARY_MATH(log2) UNARY_MATH(log10) UNARY_MATH(exp2) UNARY_MATH(erf)
TENSOR_DEVICE float atan2_of(float y, float x) { return atan2f(y, x); }
TENSOR_DEVICE double atan2_of(double y, double x) { return atan2(y, x); }

#define UNARY_MATH_OP(OP, NAME) struct OP { template <typename T> static TENSOR_DEVICE T apply(T x) { return NAME##_of(x); } };
UNARY_MATH_OP(Sin, sin) UNARY_MATH_OP(Cos, cos) UNARY_MATH_OP(Tan, tan) UNARY_MATH_OP(Asin, asin)
UNARY_MATH_OP(Acos, acos) UNARY_MATH_OP(Atan, atan) UNARY_MATH_OP(Sinh, sinh) UNARY_MATH_OP(Cosh, cosh)
UNARY_MATH_OP(Floor, floor) UNARY_MATH_OP(Ceil, ceil) UNARY_MATH_OP(Log1p, log1p) UNARY_MATH_OP(Expm1, expm1)
UNARY_MATH_OP(Log2, log2) UNARY_MATH_OP(Log10, log10) UNARY_MATH_OP(Exp2, exp2) UNARY_MATH_OP(Erf, erf)
// rint rounds in the default mode, to nearest with halves to even: torch.round.
UNARY_MATH_OP(Round, rint)
// IEEE division and sqrt are correctly rounded (no fast math), so this matches the CPU's 1 / sqrt exactly; CUDA's
// rsqrtf is within 2 ulp only.
struct Rsqrt { template <typename T> static TENSOR_DEVICE T apply(T x) { return (T)1 / Math<T>::sqrt(x); } };
// (x > 0) - (x < 0): 0 for +-0 and NaN, as PyTorch; unsigned bytes are never negative.
struct Sign {
    template <typename T> static TENSOR_DEVICE T apply(T x) {
        if (x > (T)0) return (T)1;
        return x == (T)0 || is_nan(x) ? (T)0 : wrap_neg((T)1);
    }
};
struct BitwiseNot { template <typename T> static TENSOR_DEVICE T apply(T x) { return (T)~x; } };
// On Bool bytes (0 or 1) not is logical: flipping every bit would give 254 and 255.
struct LogicalNot { template <typename T> static TENSOR_DEVICE T apply(T x) { return (T)(x ^ 1); } };

template <typename T, typename Op>
__device__ void unary_kernel(const T* s, const Layout& ls, T* d, const Layout& ld, long long n) {
    if (ls.contiguous && ld.contiguous) {
        contiguous_map<4>(n, [](T x) { return Op::template apply<T>(x); }, d + ld.offset, s + ls.offset);
        return;
    }
    grid_loop(n, false, [&](long long i, bool c) {
        d[at(ld, i, c)] = Op::template apply<T>(s[at(ls, i, c)]);
    });
}

#define UNARY(T, SFX, NAME, OP) \
    extern "C" __global__ void unary_##NAME##_##SFX(const T* s, Layout ls, T* d, Layout ld, long long n) { \
        unary_kernel<T, OP>(s, ls, d, ld, n); \
    }

TENSOR_NUMERIC_DTYPES(UNARY, neg, Neg)
TENSOR_NUMERIC_DTYPES(UNARY, abs, Abs)
TENSOR_NUMERIC_DTYPES(UNARY, relu, Relu)
TENSOR_FLOAT_DTYPES(UNARY, sqrt, Sqrt)
TENSOR_FLOAT_DTYPES(UNARY, exp, Exp)
TENSOR_FLOAT_DTYPES(UNARY, log, Log)
TENSOR_FLOAT_DTYPES(UNARY, sigmoid, Sigmoid)
TENSOR_FLOAT_DTYPES(UNARY, tanh, Tanh)
TENSOR_FLOAT_DTYPES(UNARY, trunc, Trunc)
TENSOR_FLOAT_DTYPES(UNARY, sin, Sin)
TENSOR_FLOAT_DTYPES(UNARY, cos, Cos)
TENSOR_FLOAT_DTYPES(UNARY, tan, Tan)
TENSOR_FLOAT_DTYPES(UNARY, asin, Asin)
TENSOR_FLOAT_DTYPES(UNARY, acos, Acos)
TENSOR_FLOAT_DTYPES(UNARY, atan, Atan)
TENSOR_FLOAT_DTYPES(UNARY, sinh, Sinh)
TENSOR_FLOAT_DTYPES(UNARY, cosh, Cosh)
TENSOR_FLOAT_DTYPES(UNARY, floor, Floor)
TENSOR_FLOAT_DTYPES(UNARY, ceil, Ceil)
TENSOR_FLOAT_DTYPES(UNARY, round, Round)
TENSOR_FLOAT_DTYPES(UNARY, log1p, Log1p)
TENSOR_FLOAT_DTYPES(UNARY, expm1, Expm1)
TENSOR_FLOAT_DTYPES(UNARY, log2, Log2)
TENSOR_FLOAT_DTYPES(UNARY, log10, Log10)
TENSOR_FLOAT_DTYPES(UNARY, exp2, Exp2)
TENSOR_FLOAT_DTYPES(UNARY, rsqrt, Rsqrt)
TENSOR_FLOAT_DTYPES(UNARY, erf, Erf)
TENSOR_NUMERIC_DTYPES(UNARY, sign, Sign)
TENSOR_INTEGER_DTYPES(UNARY, bitwise_not, BitwiseNot)
UNARY(unsigned char, b8, bitwise_not, LogicalNot)

// ---- Binary -----------------------------------------------------------------------------------------------------

struct Add { template <typename T> static TENSOR_DEVICE T apply(T a, T b) { return wrap_add(a, b); } };
struct Sub { template <typename T> static TENSOR_DEVICE T apply(T a, T b) { return wrap_sub(a, b); } };
struct Mul { template <typename T> static TENSOR_DEVICE T apply(T a, T b) { return wrap_mul(a, b); } };
struct Maximum { template <typename T> static TENSOR_DEVICE T apply(T a, T b) { return max_of(a, b); } };
struct Minimum { template <typename T> static TENSOR_DEVICE T apply(T a, T b) { return min_of(a, b); } };
struct BitwiseAnd { template <typename T> static TENSOR_DEVICE T apply(T a, T b) { return (T)(a & b); } };
struct BitwiseOr { template <typename T> static TENSOR_DEVICE T apply(T a, T b) { return (T)(a | b); } };
struct BitwiseXor { template <typename T> static TENSOR_DEVICE T apply(T a, T b) { return (T)(a ^ b); } };
struct Atan2 { template <typename T> static TENSOR_DEVICE T apply(T a, T b) { return atan2_of(a, b); } };

// Integer division truncates; MinValue / -1 wraps to MinValue (C would trap or be undefined). The host refuses
// zero divisors before launching.
struct Div {
    template <typename T> static TENSOR_DEVICE T apply(T a, T b) {
        if constexpr (Limits<T>::is_float) return a / b;
        else return is_negative(b) && b == (T)-1 ? wrap_neg(a) : (T)(a / b);
    }
};

// Python's a // b. Floats as PyTorch: from fmod, so that the quotient is exact (1 // 0.1 is 9), rounded to the
// nearest integer; b == 0 gives IEEE's a / b. Integers: the truncated quotient, one less when inexact with
// differing signs.
struct FloorDivide {
    template <typename T> static TENSOR_DEVICE T apply(T a, T b) {
        if constexpr (Limits<T>::is_float) {
            if (b == (T)0) return a / b;
            T mod = Math<T>::fmod(a, b);
            T div = (a - mod) / b;
            if (mod != (T)0 && is_negative(b) != is_negative(mod)) div -= (T)1;
            if (div == (T)0) return Math<T>::copysign((T)0, a / b);
            T floor = Math<T>::floor(div);
            return div - floor > (T)0.5 ? floor + (T)1 : floor;
        } else {
            T q = Div::apply(a, b);
            return wrap_mul(q, b) != a && is_negative(a) != is_negative(b) ? wrap_sub(q, (T)1) : q;
        }
    }
};

// Python's a % b: the remainder takes the sign of b (floats from fmod, as PyTorch). x % -1 is 0 for integers
// (C's MinValue % -1 would trap).
struct Remainder {
    template <typename T> static TENSOR_DEVICE T apply(T a, T b) {
        T r;
        if constexpr (Limits<T>::is_float) r = Math<T>::fmod(a, b);
        else {
            if (is_negative(b) && b == (T)-1) return (T)0;
            r = (T)(a % b);
        }
        return r != (T)0 && is_negative(r) != is_negative(b) ? wrap_add(r, b) : r;
    }
};

// Floats: x^2 is x * x (exact, as the CPU backend), else pow. Integers: repeated squaring, wrapping; a negative
// exponent gives PyTorch's values (1 for base 1, +-1 for base -1, else 0).
struct Pow {
    template <typename T> static TENSOR_DEVICE T apply(T a, T b) {
        if constexpr (Limits<T>::is_float) return b == (T)2 ? a * a : Math<T>::pow(a, b);
        else {
            if (is_negative(b)) {
                if (a == (T)1) return (T)1;
                if (is_negative(a) && a == (T)-1) return (b & 1) ? (T)-1 : (T)1;
                return (T)0;
            }
            T result = (T)1;
            while (b > (T)0) {
                if (b & 1) result = wrap_mul(result, a);
                a = wrap_mul(a, a);
                b = (T)(b >> 1);
            }
            return result;
        }
    }
};

template <typename T, typename Op>
__device__ void binary_kernel(const T* a, const Layout& la, const T* b, const Layout& lb, T* d, const Layout& ld,
                              long long n) {
    if (la.contiguous && lb.contiguous && ld.contiguous) {
        contiguous_map<4>(n, [](T x, T y) { return Op::template apply<T>(x, y); }, d + ld.offset, a + la.offset, b + lb.offset);
        return;
    }
    grid_loop(n, false, [&](long long i, bool c) {
        d[at(ld, i, c)] = Op::template apply<T>(a[at(la, i, c)], b[at(lb, i, c)]);
    });
}

#define BINARY(T, SFX, NAME, OP) \
    extern "C" __global__ void binary_##NAME##_##SFX(const T* a, Layout la, const T* b, Layout lb, T* d, Layout ld, \
                                                      long long n) { \
        binary_kernel<T, OP>(a, la, b, lb, d, ld, n); \
    }
#define BINARY_BITWISE(NAME, OP) TENSOR_INTEGER_DTYPES(BINARY, NAME, OP) BINARY(unsigned char, b8, NAME, OP)

TENSOR_NUMERIC_DTYPES(BINARY, add, Add)
TENSOR_NUMERIC_DTYPES(BINARY, sub, Sub)
TENSOR_NUMERIC_DTYPES(BINARY, mul, Mul)
TENSOR_NUMERIC_DTYPES(BINARY, maximum, Maximum)
TENSOR_NUMERIC_DTYPES(BINARY, minimum, Minimum)
TENSOR_NUMERIC_DTYPES(BINARY, div, Div)
TENSOR_NUMERIC_DTYPES(BINARY, pow, Pow)
TENSOR_NUMERIC_DTYPES(BINARY, floor_divide, FloorDivide)
TENSOR_NUMERIC_DTYPES(BINARY, remainder, Remainder)
TENSOR_FLOAT_DTYPES(BINARY, atan2, Atan2)
BINARY_BITWISE(bitwise_and, BitwiseAnd)
BINARY_BITWISE(bitwise_or, BitwiseOr)
BINARY_BITWISE(bitwise_xor, BitwiseXor)

// ---- Compare: IEEE comparisons (a NaN is unequal to everything), 0 or 1 into a Bool destination ------------------

struct Eq { template <typename T> static TENSOR_DEVICE bool apply(T a, T b) { return a == b; } };
struct Ne { template <typename T> static TENSOR_DEVICE bool apply(T a, T b) { return a != b; } };
struct Lt { template <typename T> static TENSOR_DEVICE bool apply(T a, T b) { return a < b; } };
struct Le { template <typename T> static TENSOR_DEVICE bool apply(T a, T b) { return a <= b; } };
struct Gt { template <typename T> static TENSOR_DEVICE bool apply(T a, T b) { return a > b; } };
struct Ge { template <typename T> static TENSOR_DEVICE bool apply(T a, T b) { return a >= b; } };

template <typename T, typename Op>
__device__ void compare_kernel(const T* a, const Layout& la, const T* b, const Layout& lb, unsigned char* d,
                               const Layout& ld, long long n) {
    grid_loop(n, la.contiguous && lb.contiguous && ld.contiguous, [&](long long i, bool c) {
        d[at(ld, i, c)] = Op::template apply<T>(a[at(la, i, c)], b[at(lb, i, c)]) ? 1 : 0;
    });
}

#define COMPARE(T, SFX, NAME, OP) \
    extern "C" __global__ void compare_##NAME##_##SFX(const T* a, Layout la, const T* b, Layout lb, \
                                                       unsigned char* d, Layout ld, long long n) { \
        compare_kernel<T, OP>(a, la, b, lb, d, ld, n); \
    }

TENSOR_ALL_DTYPES(COMPARE, eq, Eq)
TENSOR_ALL_DTYPES(COMPARE, ne, Ne)
TENSOR_ALL_DTYPES(COMPARE, lt, Lt)
TENSOR_ALL_DTYPES(COMPARE, le, Le)
TENSOR_ALL_DTYPES(COMPARE, gt, Gt)
TENSOR_ALL_DTYPES(COMPARE, ge, Ge)

// ---- Where: the condition is a Bool tensor; any nonzero byte selects a ------------------------------------------

template <typename T>
__device__ void where_kernel(const unsigned char* cond, const Layout& lc, const T* a, const Layout& la, const T* b,
                             const Layout& lb, T* d, const Layout& ld, long long n) {
    grid_loop(n, lc.contiguous && la.contiguous && lb.contiguous && ld.contiguous, [&](long long i, bool c) {
        d[at(ld, i, c)] = cond[at(lc, i, c)] != 0 ? a[at(la, i, c)] : b[at(lb, i, c)];
    });
}

#define WHERE(T, SFX, _) \
    extern "C" __global__ void where_##SFX(const unsigned char* c, Layout lc, const T* a, Layout la, const T* b, \
                                           Layout lb, T* d, Layout ld, long long n) { \
        where_kernel<T>(c, lc, a, la, b, lb, d, ld, n); \
    }

TENSOR_ALL_DTYPES(WHERE, _)
