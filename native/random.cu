// random_<kind>_<dt>: destination element at row-major position i gets Draw(kind, seed, counter + i) of
// src/Tensor/Random/CounterRandom.cs, computed in double and rounded to the dtype. The uniform draws are bit for
// bit the CPU's (integer mixing and one exact scaling); normal draws go through log, sqrt and cos, whose last
// bits may differ from .NET's.
// Launch: TENSOR_BLOCK threads, any grid (grid-stride loop), no dynamic shared memory.
#include "tensor.cuh"

// SplitMix64's finaliser of (seed, counter); unsigned arithmetic wraps as ulong's does.
TENSOR_DEVICE unsigned long long counter_bits(unsigned long long seed, unsigned long long counter) {
    unsigned long long z = seed * 0x9E3779B97F4A7C15ULL + (counter + 1) * 0xD1B54A32D192ED03ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

// [0, 1) from the top 53 bits: exact in double.
TENSOR_DEVICE double counter_uniform(unsigned long long seed, unsigned long long counter) {
    return (double)(counter_bits(seed, counter) >> 11) * (1.0 / 9007199254740992.0);
}

struct Uniform {
    static TENSOR_DEVICE double draw(unsigned long long seed, unsigned long long counter) {
        return counter_uniform(seed, counter);
    }
};

// Box-Muller from the two draws of positions 2c and 2c + 1; 1 - u is in (0, 1], so the log is finite.
struct Normal {
    static TENSOR_DEVICE double draw(unsigned long long seed, unsigned long long counter) {
        double u1 = 1.0 - counter_uniform(seed, 2 * counter);
        double u2 = counter_uniform(seed, 2 * counter + 1);
        return sqrt(-2.0 * log(u1)) * cos(2.0 * 3.141592653589793 * u2);
    }
};

template <typename T, typename Kind>
__device__ void random_kernel(T* d, const Layout& ld, unsigned long long seed, unsigned long long counter,
                              long long n) {
    grid_loop(n, ld.contiguous, [&](long long i, bool c) {
        d[at(ld, i, c)] = (T)Kind::draw(seed, counter + (unsigned long long)i);
    });
}

#define RANDOM(T, SFX, NAME, KIND) \
    extern "C" __global__ void random_##NAME##_##SFX(T* d, Layout ld, unsigned long long seed, \
                                                      unsigned long long counter, long long n) { \
        random_kernel<T, KIND>(d, ld, seed, counter, n); \
    }

TENSOR_FLOAT_DTYPES(RANDOM, uniform, Uniform)
TENSOR_FLOAT_DTYPES(RANDOM, normal, Normal)
