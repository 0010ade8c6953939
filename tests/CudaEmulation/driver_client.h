// driver_client.h: what the C++ test programs of the device (selftest.cpp, kernel_checks.cpp) share to drive a
// libcuda.so.1 (the emulation's, or the real driver) as the C# backend does: the driver entry points loaded with
// dlopen/dlsym, PTX from NVRTC loaded at run time, the kernel parameters in one buffer, and the ok/FAIL checks.
// Header only, for one translation unit per program. Define DRIVER_CLIENT_NAME (the program's name, which prefixes
// its fatal errors) before including it. Every failure to load or compile exits the process with a message.
#pragma once

#ifndef DRIVER_CLIENT_NAME
#error "define DRIVER_CLIENT_NAME before including driver_client.h"
#endif

#include <dlfcn.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

typedef int CUresult;
typedef unsigned long long CUdeviceptr;
typedef void* CUcontext;
typedef void* CUmodule;
typedef void* CUfunction;
typedef void* CUstream;

// ---- Checks -------------------------------------------------------------------------------------------------------

inline int failures;

// Prints "ok    what" or "FAIL  what" and counts the failures.
#define CHECK(cond, ...) do { \
    if (cond) { printf("ok    "); } else { printf("FAIL  "); failures++; } \
    printf(__VA_ARGS__); printf("\n"); } while (0)

[[noreturn]] inline void die(const std::string& message) {
    fprintf(stderr, "%s: %s\n", DRIVER_CLIENT_NAME, message.c_str());
    exit(1);
}

inline void* sym(void* lib, const char* name) {
    void* p = dlsym(lib, name);
    if (!p) die(std::string(name) + " is not exported: " + dlerror());
    return p;
}

inline std::string read_file(const std::string& path) {
    FILE* f = fopen(path.c_str(), "rb");
    if (!f) die("cannot read " + path);
    std::string s;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) s.append(buf, n);
    fclose(f);
    return s;
}

// ---- The driver API -----------------------------------------------------------------------------------------------

// The entry points the programs call, each a global function pointer of the same name, set by load_driver.
#define DRIVER_CLIENT_FUNCTIONS(X) \
    X(cuInit, unsigned) \
    X(cuDriverGetVersion, int*) \
    X(cuDeviceGetCount, int*) \
    X(cuDeviceGet, int*, int) \
    X(cuDeviceGetName, char*, int, int) \
    X(cuDeviceGetAttribute, int*, int, int) \
    X(cuDeviceTotalMem_v2, size_t*, int) \
    X(cuDevicePrimaryCtxRetain, CUcontext*, int) \
    X(cuDevicePrimaryCtxRelease_v2, int) \
    X(cuCtxSetCurrent, CUcontext) \
    X(cuCtxGetCurrent, CUcontext*) \
    X(cuCtxSynchronize, void) \
    X(cuModuleLoadData, CUmodule*, const void*) \
    X(cuModuleUnload, CUmodule) \
    X(cuModuleGetFunction, CUfunction*, CUmodule, const char*) \
    X(cuLaunchKernel, CUfunction, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned, CUstream, \
      void**, void**) \
    X(cuMemAlloc_v2, CUdeviceptr*, size_t) \
    X(cuMemFree_v2, CUdeviceptr) \
    X(cuMemGetInfo_v2, size_t*, size_t*) \
    X(cuMemcpyHtoD_v2, CUdeviceptr, const void*, size_t) \
    X(cuMemcpyDtoH_v2, void*, CUdeviceptr, size_t) \
    X(cuMemcpyDtoD_v2, CUdeviceptr, CUdeviceptr, size_t) \
    X(cuMemcpyHtoDAsync_v2, CUdeviceptr, const void*, size_t, CUstream) \
    X(cuMemcpyDtoHAsync_v2, void*, CUdeviceptr, size_t, CUstream) \
    X(cuMemcpyDtoDAsync_v2, CUdeviceptr, CUdeviceptr, size_t, CUstream) \
    X(cuMemsetD8_v2, CUdeviceptr, unsigned char, size_t) \
    X(cuMemHostAlloc, void**, size_t, unsigned) \
    X(cuMemFreeHost, void*) \
    X(cuStreamCreate, CUstream*, unsigned) \
    X(cuStreamDestroy_v2, CUstream) \
    X(cuStreamSynchronize, CUstream) \
    X(cuGetErrorName, CUresult, const char**) \
    X(cuGetErrorString, CUresult, const char**)

#define DRIVER_CLIENT_DECLARE(name, ...) inline CUresult (*name)(__VA_ARGS__) = nullptr;
DRIVER_CLIENT_FUNCTIONS(DRIVER_CLIENT_DECLARE)
#undef DRIVER_CLIENT_DECLARE

// Opens the driver at `path` (RTLD_LOCAL, as the backend does) and sets every entry point; the handle is returned
// for the libraries' other exports.
inline void* load_driver(const char* path) {
    void* lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!lib) die(dlerror());
#define DRIVER_CLIENT_LOAD(name, ...) name = (CUresult(*)(__VA_ARGS__))sym(lib, #name);
    DRIVER_CLIENT_FUNCTIONS(DRIVER_CLIENT_LOAD)
#undef DRIVER_CLIENT_LOAD
    return lib;
}

// ---- NVRTC --------------------------------------------------------------------------------------------------------

// The NVRTC library nvrtc_ptx loads (Debian's libnvrtc11.2 is NVRTC 11.8).
inline std::string nvrtc_library = "libnvrtc.so.11.2";

// PTX of `source` (called `name` in messages and #line), compiled by NVRTC loaded at run time as the backend does:
// `headers` are (include name, contents) pairs handed to nvrtcCreateProgram, `options` its compile options. A
// failed compile exits with NVRTC's log.
inline std::string nvrtc_ptx(const std::string& source, const std::string& name,
                             const std::vector<std::pair<std::string, std::string>>& headers,
                             const std::vector<std::string>& options) {
    void* nv = dlopen(nvrtc_library.c_str(), RTLD_NOW);
    if (!nv) die("cannot load " + nvrtc_library + ": " + dlerror());
    auto create = (int (*)(void**, const char*, const char*, int, const char* const*, const char* const*))
        sym(nv, "nvrtcCreateProgram");
    auto compile = (int (*)(void*, int, const char* const*))sym(nv, "nvrtcCompileProgram");
    auto log_size = (int (*)(void*, size_t*))sym(nv, "nvrtcGetProgramLogSize");
    auto get_log = (int (*)(void*, char*))sym(nv, "nvrtcGetProgramLog");
    auto ptx_size = (int (*)(void*, size_t*))sym(nv, "nvrtcGetPTXSize");
    auto get_ptx = (int (*)(void*, char*))sym(nv, "nvrtcGetPTX");
    auto destroy = (int (*)(void**))sym(nv, "nvrtcDestroyProgram");
    std::vector<const char*> header_sources, header_names, opts;
    for (auto& h : headers) { header_names.push_back(h.first.c_str()); header_sources.push_back(h.second.c_str()); }
    for (auto& o : options) opts.push_back(o.c_str());
    void* prog = nullptr;
    int r = create(&prog, source.c_str(), name.c_str(), (int)headers.size(), header_sources.data(),
                   header_names.data());
    if (r != 0) die("nvrtcCreateProgram failed (" + std::to_string(r) + ") on " + name);
    r = compile(prog, (int)opts.size(), opts.data());
    size_t n = 0;
    log_size(prog, &n);
    std::string log(n, '\0');
    get_log(prog, &log[0]);
    if (r != 0) die("NVRTC failed (" + std::to_string(r) + ") on " + name + ":\n" + log);
    ptx_size(prog, &n);
    std::string ptx(n, '\0');
    get_ptx(prog, &ptx[0]);
    destroy(&prog);
    return ptx;
}

// ---- Parameters ---------------------------------------------------------------------------------------------------

// Kernel parameters laid out as the PTX .param space: each value at its natural alignment (arrays as their element).
struct ParamBuffer {
    std::vector<char> bytes;

    template <class T> ParamBuffer& operator<<(const T& v) {
        size_t at = (bytes.size() + alignof(T) - 1) / alignof(T) * alignof(T);
        bytes.resize(at + sizeof(T));
        memcpy(&bytes[at], &v, sizeof(T));
        return *this;
    }

    // cuLaunchKernel's `extra`: CU_LAUNCH_PARAM_BUFFER_POINTER, the bytes, CU_LAUNCH_PARAM_BUFFER_SIZE, their size,
    // CU_LAUNCH_PARAM_END. Valid while the buffer lives and nothing is added to it.
    void** extra() {
        extra_size_ = bytes.size();
        extra_[0] = (void*)1;
        extra_[1] = bytes.data();
        extra_[2] = (void*)2;
        extra_[3] = &extra_size_;
        extra_[4] = nullptr;
        return extra_;
    }

private:
    size_t extra_size_ = 0;
    void* extra_[5] = {};
};
