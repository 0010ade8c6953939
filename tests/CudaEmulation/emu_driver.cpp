// emu_driver.cpp: the stand-in libcuda.so.1. The CUDA driver API's C ABI (names, CUresult and attribute values of
// cuda.h) over host memory and the fibers of emu_fibers.cpp. Modules are real PTX (from NVRTC), read by emu_ptx.cpp;
// each kernel resolves to its host build (emu_registry.h).
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "cuda_emu.h"
#include "emu_ptx.h"
#include "emu_registry.h"

#define API extern "C" __attribute__((visibility("default")))

typedef int CUresult;
typedef int CUdevice;
typedef unsigned long long CUdeviceptr;
typedef struct Context* CUcontext;
typedef struct Module* CUmodule;
typedef struct Function* CUfunction;
typedef struct Stream* CUstream;

// CUresult values, from cuda.h.
enum {
    CUDA_SUCCESS = 0, CUDA_ERROR_INVALID_VALUE = 1, CUDA_ERROR_OUT_OF_MEMORY = 2, CUDA_ERROR_NOT_INITIALIZED = 3,
    CUDA_ERROR_INVALID_DEVICE = 101, CUDA_ERROR_INVALID_IMAGE = 200, CUDA_ERROR_INVALID_CONTEXT = 201,
    CUDA_ERROR_INVALID_PTX = 218, CUDA_ERROR_INVALID_HANDLE = 400, CUDA_ERROR_NOT_FOUND = 500,
    CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES = 701, CUDA_ERROR_LAUNCH_FAILED = 719, CUDA_ERROR_NOT_SUPPORTED = 801,
    CUDA_ERROR_UNKNOWN = 999,
};

struct Context { int refs; };
struct Stream { int unused; };
using Entry = emu::PtxEntry;
// A name resolves to the same handle each time, as on the real driver.
struct Module { std::map<std::string, Entry> entries; std::map<std::string, Function*> functions; };
struct Function { const Entry* entry; const emu::KernelInfo* host; };

namespace {

constexpr unsigned MaxSharedPerBlock = 48 * 1024;
constexpr const char* DeviceName = "Tensor CUDA emulation (CPU, tests/CudaEmulation)";

std::recursive_mutex api_mutex;  // one call at a time: launches share the fibers and the __shared__ statics
bool initialised;
Context primary{0};
thread_local Context* current_ctx;  // per OS thread, as in the real driver
size_t memory_limit;
size_t memory_used;
std::map<uintptr_t, size_t> allocations;
std::set<void*> host_allocations;
std::set<Module*> modules;
std::set<Function*> functions;  // of the loaded modules
std::set<Stream*> streams;

std::map<std::string, const emu::KernelInfo*>& registry() {
    static std::map<std::string, const emu::KernelInfo*> r;
    return r;
}

CUresult complain(CUresult code, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
CUresult complain(CUresult code, const char* fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "tensor-cuda-emulation: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    return code;
}

// Checks that an API needing a context may run.
CUresult ready() {
    if (!initialised) return CUDA_ERROR_NOT_INITIALIZED;
    if (!current_ctx) return CUDA_ERROR_INVALID_CONTEXT;
    return CUDA_SUCCESS;
}
#define REQUIRE_READY() do { CUresult r_ = ready(); if (r_) return r_; } while (0)
#define LOCK() std::lock_guard<std::recursive_mutex> lock_(api_mutex)

// Whether [p, p + n) lies inside one allocation.
bool in_allocation(CUdeviceptr p, size_t n) {
    auto it = allocations.upper_bound((uintptr_t)p);
    if (it == allocations.begin()) return false;
    --it;
    return p >= it->first && p - it->first <= it->second && n <= it->second - (p - it->first);
}

CUresult check_range(const char* api, CUdeviceptr p, size_t n) {
    if (n == 0 || in_allocation(p, n)) return CUDA_SUCCESS;
    return complain(CUDA_ERROR_INVALID_VALUE, "%s: device range [0x%llx, +%zu) is not inside one allocation",
                    api, p, n);
}

CUresult check_stream(CUstream s) {
    return s == nullptr || streams.count(s) ? CUDA_SUCCESS : CUDA_ERROR_INVALID_HANDLE;
}

} // namespace

namespace emu {
int register_kernel(const KernelInfo* info) {
    auto& r = registry();
    if (r.count(info->name)) {
        fprintf(stderr, "tensor-cuda-emulation: kernel %s is defined twice in native/*.cu\n", info->name);
        abort();
    }
    r[info->name] = info;
    return 0;
}
} // namespace emu

// ---- initialisation and devices ----

API CUresult cuInit(unsigned flags) {
    LOCK();
    if (flags != 0) return CUDA_ERROR_INVALID_VALUE;
    if (!initialised) {
        const char* limit = getenv("TENSOR_CUDA_EMULATION_MEMORY");
        char* end = nullptr;
        memory_limit = limit ? (size_t)strtoull(limit, &end, 10) : (size_t)16 << 30;
        if (limit && (end == limit || *end != '\0'))
            return complain(CUDA_ERROR_INVALID_VALUE, "cuInit: TENSOR_CUDA_EMULATION_MEMORY='%s' is not a number of "
                            "bytes", limit);
        initialised = true;
    }
    return CUDA_SUCCESS;
}

// Emulation only (no such call exists in the real driver): changes the device's size at run time, so that a test
// process can exercise out-of-memory handling without restarting with TENSOR_CUDA_EMULATION_MEMORY. Returns the
// previous size.
API size_t cuEmulationSetMemoryLimit(size_t bytes) {
    LOCK();
    size_t previous = memory_limit;
    memory_limit = bytes;
    return previous;
}

API CUresult cuDriverGetVersion(int* version) {
    if (!version) return CUDA_ERROR_INVALID_VALUE;
    *version = 12000;
    return CUDA_SUCCESS;
}

API CUresult cuDeviceGetCount(int* count) {
    if (!count) return CUDA_ERROR_INVALID_VALUE;
    if (!initialised) return CUDA_ERROR_NOT_INITIALIZED;
    *count = 1;
    return CUDA_SUCCESS;
}

API CUresult cuDeviceGet(CUdevice* device, int ordinal) {
    if (!device) return CUDA_ERROR_INVALID_VALUE;
    if (!initialised) return CUDA_ERROR_NOT_INITIALIZED;
    if (ordinal != 0) return CUDA_ERROR_INVALID_DEVICE;
    *device = 0;
    return CUDA_SUCCESS;
}

API CUresult cuDeviceGetName(char* name, int len, CUdevice dev) {
    if (!initialised) return CUDA_ERROR_NOT_INITIALIZED;
    if (dev != 0) return CUDA_ERROR_INVALID_DEVICE;
    if (!name || len <= 0) return CUDA_ERROR_INVALID_VALUE;
    snprintf(name, (size_t)len, "%s", DeviceName);
    return CUDA_SUCCESS;
}

API CUresult cuDeviceGetAttribute(int* value, int attribute, CUdevice dev) {
    if (!initialised) return CUDA_ERROR_NOT_INITIALIZED;
    if (dev != 0) return CUDA_ERROR_INVALID_DEVICE;
    if (!value) return CUDA_ERROR_INVALID_VALUE;
    switch (attribute) {  // CUdevice_attribute values from cuda.h
    case 1: *value = 1024; break;            // MAX_THREADS_PER_BLOCK
    case 2: case 3: *value = 1024; break;    // MAX_BLOCK_DIM_X, _Y
    case 4: *value = 64; break;              // MAX_BLOCK_DIM_Z
    case 5: *value = 2147483647; break;      // MAX_GRID_DIM_X
    case 6: case 7: *value = 65535; break;   // MAX_GRID_DIM_Y, _Z
    case 8: *value = (int)MaxSharedPerBlock; break;  // MAX_SHARED_MEMORY_PER_BLOCK
    case 9: *value = 65536; break;           // TOTAL_CONSTANT_MEMORY
    case 10: *value = 32; break;             // WARP_SIZE
    case 12: *value = 65536; break;          // MAX_REGISTERS_PER_BLOCK
    case 16: *value = 2; break;              // MULTIPROCESSOR_COUNT: small, so hosts size grids small
    case 39: *value = 1024; break;           // MAX_THREADS_PER_MULTIPROCESSOR
    case 41: *value = 1; break;              // UNIFIED_ADDRESSING
    case 81: *value = 65536; break;          // MAX_SHARED_MEMORY_PER_MULTIPROCESSOR
    case 82: *value = 65536; break;          // MAX_REGISTERS_PER_MULTIPROCESSOR
    case 97: *value = (int)MaxSharedPerBlock; break;  // MAX_SHARED_MEMORY_PER_BLOCK_OPTIN: no opt-in beyond 48 KB
    case 106: *value = 16; break;            // MAX_BLOCKS_PER_MULTIPROCESSOR
    case 75: *value = 7; break;              // COMPUTE_CAPABILITY_MAJOR
    case 76: *value = 5; break;              // COMPUTE_CAPABILITY_MINOR
    default:
        return complain(CUDA_ERROR_INVALID_VALUE, "cuDeviceGetAttribute: attribute %d is not emulated", attribute);
    }
    return CUDA_SUCCESS;
}

API CUresult cuDeviceTotalMem_v2(size_t* bytes, CUdevice dev) {
    if (!initialised) return CUDA_ERROR_NOT_INITIALIZED;
    if (dev != 0) return CUDA_ERROR_INVALID_DEVICE;
    if (!bytes) return CUDA_ERROR_INVALID_VALUE;
    *bytes = memory_limit;
    return CUDA_SUCCESS;
}

// ---- contexts ----

API CUresult cuDevicePrimaryCtxRetain(CUcontext* ctx, CUdevice dev) {
    LOCK();
    if (!initialised) return CUDA_ERROR_NOT_INITIALIZED;
    if (dev != 0) return CUDA_ERROR_INVALID_DEVICE;
    if (!ctx) return CUDA_ERROR_INVALID_VALUE;
    primary.refs++;
    *ctx = &primary;
    return CUDA_SUCCESS;
}

API CUresult cuDevicePrimaryCtxRelease_v2(CUdevice dev) {
    LOCK();
    if (!initialised) return CUDA_ERROR_NOT_INITIALIZED;
    if (dev != 0) return CUDA_ERROR_INVALID_DEVICE;
    if (primary.refs == 0) return CUDA_ERROR_INVALID_CONTEXT;
    primary.refs--;
    return CUDA_SUCCESS;
}

API CUresult cuCtxSetCurrent(CUcontext ctx) {
    if (!initialised) return CUDA_ERROR_NOT_INITIALIZED;
    if (ctx && (ctx != &primary || primary.refs == 0)) return CUDA_ERROR_INVALID_CONTEXT;
    current_ctx = ctx;
    return CUDA_SUCCESS;
}

API CUresult cuCtxGetCurrent(CUcontext* ctx) {
    if (!initialised) return CUDA_ERROR_NOT_INITIALIZED;
    if (!ctx) return CUDA_ERROR_INVALID_VALUE;
    *ctx = current_ctx;
    return CUDA_SUCCESS;
}

API CUresult cuCtxSynchronize() {
    REQUIRE_READY();
    return CUDA_SUCCESS;  // every call completes before it returns
}

// ---- memory ----

API CUresult cuMemAlloc_v2(CUdeviceptr* p, size_t bytes) {
    LOCK();
    REQUIRE_READY();
    if (!p || bytes == 0) return CUDA_ERROR_INVALID_VALUE;
    if (memory_used > memory_limit || bytes > memory_limit - memory_used) return CUDA_ERROR_OUT_OF_MEMORY;
    // The device's 256-byte alignment, and exactly `bytes`, so that ASan's redzone starts right at the end.
    void* mem = nullptr;
    if (posix_memalign(&mem, 256, bytes) != 0) return CUDA_ERROR_OUT_OF_MEMORY;
    memset(mem, 0xFF, bytes);  // poison: NaN floats, -1 integers, never a helpful zero
    allocations[(uintptr_t)mem] = bytes;
    memory_used += bytes;
    *p = (CUdeviceptr)(uintptr_t)mem;
    return CUDA_SUCCESS;
}

API CUresult cuMemFree_v2(CUdeviceptr p) {
    LOCK();
    REQUIRE_READY();
    auto it = allocations.find((uintptr_t)p);
    if (it == allocations.end())
        return complain(CUDA_ERROR_INVALID_VALUE, "cuMemFree: 0x%llx is not the start of an allocation", p);
    memory_used -= it->second;
    free((void*)it->first);
    allocations.erase(it);
    return CUDA_SUCCESS;
}

API CUresult cuMemGetInfo_v2(size_t* free_bytes, size_t* total) {
    LOCK();
    REQUIRE_READY();
    if (!free_bytes || !total) return CUDA_ERROR_INVALID_VALUE;
    *free_bytes = memory_limit - memory_used;
    *total = memory_limit;
    return CUDA_SUCCESS;
}

API CUresult cuMemcpyHtoD_v2(CUdeviceptr dst, const void* src, size_t n) {
    LOCK();
    REQUIRE_READY();
    if (CUresult r = check_range("cuMemcpyHtoD", dst, n)) return r;
    if (n && !src) return CUDA_ERROR_INVALID_VALUE;
    if (n) memcpy((void*)(uintptr_t)dst, src, n);
    return CUDA_SUCCESS;
}

API CUresult cuMemcpyDtoH_v2(void* dst, CUdeviceptr src, size_t n) {
    LOCK();
    REQUIRE_READY();
    if (CUresult r = check_range("cuMemcpyDtoH", src, n)) return r;
    if (n && !dst) return CUDA_ERROR_INVALID_VALUE;
    if (n) memcpy(dst, (const void*)(uintptr_t)src, n);
    return CUDA_SUCCESS;
}

API CUresult cuMemcpyDtoD_v2(CUdeviceptr dst, CUdeviceptr src, size_t n) {
    LOCK();
    REQUIRE_READY();
    if (CUresult r = check_range("cuMemcpyDtoD (destination)", dst, n)) return r;
    if (CUresult r = check_range("cuMemcpyDtoD (source)", src, n)) return r;
    if (n) memmove((void*)(uintptr_t)dst, (const void*)(uintptr_t)src, n);
    return CUDA_SUCCESS;
}

API CUresult cuMemcpyHtoDAsync_v2(CUdeviceptr dst, const void* src, size_t n, CUstream s) {
    LOCK();
    if (CUresult r = check_stream(s)) return r;
    return cuMemcpyHtoD_v2(dst, src, n);
}

API CUresult cuMemcpyDtoHAsync_v2(void* dst, CUdeviceptr src, size_t n, CUstream s) {
    LOCK();
    if (CUresult r = check_stream(s)) return r;
    return cuMemcpyDtoH_v2(dst, src, n);
}

API CUresult cuMemcpyDtoDAsync_v2(CUdeviceptr dst, CUdeviceptr src, size_t n, CUstream s) {
    LOCK();
    if (CUresult r = check_stream(s)) return r;
    return cuMemcpyDtoD_v2(dst, src, n);
}

API CUresult cuMemsetD8_v2(CUdeviceptr dst, unsigned char value, size_t n) {
    LOCK();
    REQUIRE_READY();
    if (CUresult r = check_range("cuMemsetD8", dst, n)) return r;
    if (n) memset((void*)(uintptr_t)dst, value, n);
    return CUDA_SUCCESS;
}

API CUresult cuMemHostAlloc(void** p, size_t bytes, unsigned flags) {
    LOCK();
    REQUIRE_READY();
    (void)flags;
    if (!p || bytes == 0) return CUDA_ERROR_INVALID_VALUE;
    void* mem = aligned_alloc(4096, (bytes + 4095) / 4096 * 4096);
    if (!mem) return CUDA_ERROR_OUT_OF_MEMORY;
    host_allocations.insert(mem);
    *p = mem;
    return CUDA_SUCCESS;
}

API CUresult cuMemFreeHost(void* p) {
    LOCK();
    REQUIRE_READY();
    if (!host_allocations.erase(p))
        return complain(CUDA_ERROR_INVALID_VALUE, "cuMemFreeHost: %p was not allocated by cuMemHostAlloc", p);
    free(p);
    return CUDA_SUCCESS;
}

// ---- streams (accepted; every call is synchronous) ----

API CUresult cuStreamCreate(CUstream* s, unsigned flags) {
    LOCK();
    REQUIRE_READY();
    if (!s || flags > 1) return CUDA_ERROR_INVALID_VALUE;
    *s = new Stream();
    streams.insert(*s);
    return CUDA_SUCCESS;
}

API CUresult cuStreamDestroy_v2(CUstream s) {
    LOCK();
    REQUIRE_READY();
    if (!streams.erase(s)) return CUDA_ERROR_INVALID_HANDLE;
    delete s;
    return CUDA_SUCCESS;
}

API CUresult cuStreamSynchronize(CUstream s) {
    LOCK();
    REQUIRE_READY();
    return check_stream(s);
}

// ---- modules and launches ----

API CUresult cuModuleLoadData(CUmodule* module, const void* image) {
    LOCK();
    REQUIRE_READY();
    if (!module || !image) return CUDA_ERROR_INVALID_VALUE;
    Module* m = new Module();
    std::string error;
    if (int r = emu::parse_ptx((const char*)image, m->entries, error)) {
        delete m;
        return complain(r, "cuModuleLoadData: %s", error.c_str());
    }
    modules.insert(m);
    *module = m;
    return CUDA_SUCCESS;
}

API CUresult cuModuleUnload(CUmodule m) {
    LOCK();
    REQUIRE_READY();
    if (!modules.erase(m)) return CUDA_ERROR_INVALID_HANDLE;
    for (auto& f : m->functions) {
        functions.erase(f.second);
        delete f.second;
    }
    delete m;
    return CUDA_SUCCESS;
}

API CUresult cuModuleGetFunction(CUfunction* fn, CUmodule m, const char* name) {
    LOCK();
    REQUIRE_READY();
    if (!fn || !name) return CUDA_ERROR_INVALID_VALUE;
    if (!modules.count(m)) return CUDA_ERROR_INVALID_HANDLE;
    auto known = m->functions.find(name);
    if (known != m->functions.end()) {
        *fn = known->second;
        return CUDA_SUCCESS;
    }
    auto e = m->entries.find(name);
    if (e == m->entries.end()) return CUDA_ERROR_NOT_FOUND;
    auto h = registry().find(name);
    if (h == registry().end())
        return complain(CUDA_ERROR_NOT_FOUND, "cuModuleGetFunction: the PTX has %s but the emulation's host build "
                        "lacks it (rebuild tests/CudaEmulation from the same native/*.cu)", name);
    const Entry& entry = e->second;
    const emu::KernelInfo* info = h->second;
    bool same = (size_t)info->param_count == entry.params.size();
    for (int i = 0; same && i < info->param_count; i++)
        same = info->sizes[i] == entry.params[i].size && info->aligns[i] == entry.params[i].align;
    if (!same)
        return complain(CUDA_ERROR_INVALID_IMAGE, "cuModuleGetFunction: %s: the host build's parameters (%d) differ "
                        "from the PTX's (%zu) in number, size or alignment", name, info->param_count,
                        entry.params.size());
    Function* f = new Function{&entry, info};
    m->functions[name] = f;
    functions.insert(f);
    *fn = f;
    return CUDA_SUCCESS;
}

API CUresult cuLaunchKernel(CUfunction f, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by,
                            unsigned bz, unsigned shared_bytes, CUstream stream, void** kernel_params, void** extra) {
    LOCK();
    REQUIRE_READY();
    if (!functions.count(f)) return CUDA_ERROR_INVALID_HANDLE;
    if (CUresult r = check_stream(stream)) return r;
    const Entry& e = *f->entry;
    const char* name = e.name.c_str();
    if (gx == 0 || gy == 0 || gz == 0 || gy > 65535 || gz > 65535 || gx > 2147483647u)
        return complain(CUDA_ERROR_INVALID_VALUE, "cuLaunchKernel %s: grid (%u,%u,%u) is empty or too large (x < 2^31, "
                        "y and z <= 65535)", name, gx, gy, gz);
    if (bx == 0 || by == 0 || bz == 0 || bx > 1024 || by > 1024 || bz > 64 || (unsigned long long)bx * by * bz > 1024)
        return complain(CUDA_ERROR_INVALID_VALUE, "cuLaunchKernel %s: block (%u,%u,%u) must have 1 to 1024 threads "
                        "(x, y <= 1024, z <= 64)", name, bx, by, bz);
    if ((unsigned long long)e.static_shared + shared_bytes > MaxSharedPerBlock)
        return complain(CUDA_ERROR_INVALID_VALUE, "cuLaunchKernel %s: %u bytes of static and %u of dynamic shared "
                        "memory pass the 49152 bytes of a block", name, e.static_shared, shared_bytes);
    std::vector<void*> params(e.params.size());
    if (kernel_params && extra)
        return complain(CUDA_ERROR_INVALID_VALUE, "cuLaunchKernel %s: both kernelParams and extra given", name);
    if (kernel_params) {
        for (size_t i = 0; i < params.size(); i++) params[i] = kernel_params[i];
    } else if (extra) {
        char* buf = nullptr;
        size_t* size = nullptr;
        for (void** p = extra; *p != (void*)0; p += 2) {
            if (*p == (void*)1) buf = (char*)p[1];            // CU_LAUNCH_PARAM_BUFFER_POINTER
            else if (*p == (void*)2) size = (size_t*)p[1];    // CU_LAUNCH_PARAM_BUFFER_SIZE
            else return complain(CUDA_ERROR_INVALID_VALUE, "cuLaunchKernel %s: unknown extra option %p", name, *p);
        }
        if (!buf || !size)
            return complain(CUDA_ERROR_INVALID_VALUE, "cuLaunchKernel %s: extra needs both "
                            "CU_LAUNCH_PARAM_BUFFER_POINTER and CU_LAUNCH_PARAM_BUFFER_SIZE", name);
        if (*size != e.param_bytes)
            return complain(CUDA_ERROR_INVALID_VALUE, "cuLaunchKernel %s: parameter buffer of %zu bytes, the PTX "
                            "parameter space is %u bytes (%zu parameters)", name, *size, e.param_bytes,
                            e.params.size());
        for (size_t i = 0; i < params.size(); i++) params[i] = buf + e.params[i].offset;
    } else if (!params.empty()) {
        return complain(CUDA_ERROR_INVALID_VALUE, "cuLaunchKernel %s: %zu parameters but neither kernelParams nor "
                        "extra", name, params.size());
    }
    emu::grid_dim = {gx, gy, gz};
    emu::block_dim = {bx, by, bz};
    std::vector<unsigned char> dynamic(shared_bytes + 16, 0xFF);  // poisoned, as stale shared memory would be
    emu::dynamic_shared = (unsigned char*)(((uintptr_t)dynamic.data() + 15) & ~(uintptr_t)15);
    int r = f->host->invoke(params.data());
    emu::dynamic_shared = nullptr;
    return r;
}

// ---- errors ----

namespace {
struct ErrorText { CUresult code; const char* name; const char* text; };
const ErrorText errors[] = {
    {CUDA_SUCCESS, "CUDA_SUCCESS", "no error"},
    {CUDA_ERROR_INVALID_VALUE, "CUDA_ERROR_INVALID_VALUE", "invalid argument"},
    {CUDA_ERROR_OUT_OF_MEMORY, "CUDA_ERROR_OUT_OF_MEMORY", "out of memory"},
    {CUDA_ERROR_NOT_INITIALIZED, "CUDA_ERROR_NOT_INITIALIZED", "initialization error"},
    {CUDA_ERROR_INVALID_DEVICE, "CUDA_ERROR_INVALID_DEVICE", "invalid device ordinal"},
    {CUDA_ERROR_INVALID_IMAGE, "CUDA_ERROR_INVALID_IMAGE", "device kernel image is invalid"},
    {CUDA_ERROR_INVALID_CONTEXT, "CUDA_ERROR_INVALID_CONTEXT", "invalid device context"},
    {CUDA_ERROR_INVALID_PTX, "CUDA_ERROR_INVALID_PTX", "a PTX JIT compilation failed"},
    {CUDA_ERROR_INVALID_HANDLE, "CUDA_ERROR_INVALID_HANDLE", "invalid resource handle"},
    {CUDA_ERROR_NOT_FOUND, "CUDA_ERROR_NOT_FOUND", "named symbol not found"},
    {CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES, "CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES", "too many resources requested for launch"},
    {CUDA_ERROR_LAUNCH_FAILED, "CUDA_ERROR_LAUNCH_FAILED", "unspecified launch failure"},
    {CUDA_ERROR_NOT_SUPPORTED, "CUDA_ERROR_NOT_SUPPORTED", "operation not supported"},
    {CUDA_ERROR_UNKNOWN, "CUDA_ERROR_UNKNOWN", "unknown error"},
};
const ErrorText* find_error(CUresult code) {
    for (const auto& e : errors)
        if (e.code == code) return &e;
    return nullptr;
}
} // namespace

API CUresult cuGetErrorName(CUresult code, const char** str) {
    if (!str) return CUDA_ERROR_INVALID_VALUE;
    const ErrorText* e = find_error(code);
    *str = e ? e->name : nullptr;
    return e ? CUDA_SUCCESS : CUDA_ERROR_INVALID_VALUE;
}

API CUresult cuGetErrorString(CUresult code, const char** str) {
    if (!str) return CUDA_ERROR_INVALID_VALUE;
    const ErrorText* e = find_error(code);
    *str = e ? e->text : nullptr;
    return e ? CUDA_SUCCESS : CUDA_ERROR_INVALID_VALUE;
}
