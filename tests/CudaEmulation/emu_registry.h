// emu_registry.h: how the host builds of the kernels are found. build.sh wraps each native/*.cu in a generated
// file that includes the .cu, then this header, then TENSOR_EMU_REGISTER(name) for every __global__ it found.
// The thunk deduces the kernel's C++ parameter types, so it can check their sizes against the PTX and unpack the
// launch's parameters (one pointer per parameter) into a tuple that every fiber of the grid applies the kernel to.
#pragma once

#include <cstring>
#include <tuple>
#include <type_traits>
#include <utility>

namespace emu {

using KernelBody = void (*)(void* args);

// Runs the kernel body once per thread of the launch configured by the driver; 0 or a CUresult error code.
int run_grid(KernelBody body, void* args);

struct KernelInfo {
    const char* name;
    int param_count;
    const unsigned* sizes;   // sizeof of each C++ parameter
    const unsigned* aligns;  // alignof of each C++ parameter
    int (*invoke)(void* const* params);
};

int register_kernel(const KernelInfo* info);

template <class Sig> struct Thunk;

template <class... A> struct Thunk<void (*)(A...)> {
    using Tuple = std::tuple<std::remove_cv_t<A>...>;
    static constexpr unsigned sizes[sizeof...(A) + 1] = {(unsigned)sizeof(A)..., 0};
    static constexpr unsigned aligns[sizeof...(A) + 1] = {(unsigned)alignof(A)..., 0};

    template <std::size_t... I> static void unpack(Tuple& t, void* const* params, std::index_sequence<I...>) {
        (std::memcpy(&std::get<I>(t), params[I], sizeof(std::get<I>(t))), ...);
    }

    template <auto F> static int invoke(void* const* params) {
        Tuple t;
        unpack(t, params, std::index_sequence_for<A...>{});
        return run_grid([](void* p) { std::apply(F, *static_cast<Tuple*>(p)); }, &t);
    }

    template <auto F> static const KernelInfo* info(const char* name) {
        static const KernelInfo i = {name, (int)sizeof...(A), sizes, aligns, &invoke<F>};
        return &i;
    }
};

} // namespace emu

#define TENSOR_EMU_REGISTER(k) \
    static const int tensor_emu_registered_##k = ::emu::register_kernel(::emu::Thunk<decltype(&k)>::info<&k>(#k))
