// selftest.cpp: exercises the emulated libcuda.so.1 (and libcublas.so.12 beside it) through their public C ABI, as
// the C# backend does: dlopen, cuInit, a primary context, PTX compiled at run time by the real NVRTC, launches with
// the parameters in one buffer (`extra`), copies back, and the errors the emulation must report.
// Usage: selftest LIBCUDA_PATH SELFTEST_KERNELS_CU [NATIVE_CU...]   (build.sh OUT --selftest runs it)
// With native/*.cu given, every kernel of their PTX must resolve to its host build with the same parameters.
#define DRIVER_CLIENT_NAME "selftest"
#include "driver_client.h"

#include <ctime>
#include <cmath>

// PTX of a .cu file's text, its #includes looked up in include_dir.
static std::string ptx_of(const std::string& source, const std::string& include_dir = ".") {
    return nvrtc_ptx(source, "kernels.cu", {},
                     {"--gpu-architecture=compute_75", "--std=c++17", "--include-path=" + include_dir});
}

int main(int argc, char** argv) {
    if (argc < 3) { fprintf(stderr, "usage: selftest LIBCUDA_PATH SELFTEST_KERNELS_CU [NATIVE_CU...]\n"); return 2; }
    setenv("TENSOR_CUDA_EMULATION_MEMORY", "4194304", 1);  // 4 MiB
    load_driver(argv[1]);

    // Devices.
    CUdeviceptr early = 0;
    CHECK(cuMemAlloc_v2(&early, 16) == 3, "cuMemAlloc before cuInit: CUDA_ERROR_NOT_INITIALIZED");
    CHECK(cuInit(0) == 0, "cuInit");
    int version = 0, count = 0, dev = -1, v = 0;
    CHECK(cuDriverGetVersion(&version) == 0 && version >= 12000, "driver version %d", version);
    CHECK(cuDeviceGetCount(&count) == 0 && count == 1, "one device");
    CHECK(cuDeviceGet(&dev, 0) == 0 && dev == 0, "device 0");
    char name[128] = {0};
    CHECK(cuDeviceGetName(name, sizeof name, 0) == 0 && strstr(name, "emulation"), "name: %s", name);
    int attrs[][2] = {{75, 7}, {76, 5}, {16, 2}, {1, 1024}, {10, 32}, {8, 49152}, {97, 49152}};
    for (auto& a : attrs)
        CHECK(cuDeviceGetAttribute(&v, a[0], 0) == 0 && v == a[1], "attribute %d = %d (got %d)", a[0], a[1], v);
    size_t total = 0, free_bytes = 0;
    CHECK(cuDeviceTotalMem_v2(&total, 0) == 0 && total == 4194304, "total memory from TENSOR_CUDA_EMULATION_MEMORY");
    CHECK(cuMemAlloc_v2(&early, 16) == 201, "cuMemAlloc without a current context: CUDA_ERROR_INVALID_CONTEXT");

    CUcontext ctx = nullptr, cur = nullptr;
    CHECK(cuDevicePrimaryCtxRetain(&ctx, 0) == 0 && ctx, "primary context");
    CHECK(cuCtxSetCurrent(ctx) == 0 && cuCtxGetCurrent(&cur) == 0 && cur == ctx, "current context");

    // Memory.
    CUdeviceptr big = 0, big2 = 0, small = 0;
    CHECK(cuMemAlloc_v2(&big, 3 << 20) == 0, "allocate 3 MiB of 4");
    CHECK(cuMemGetInfo_v2(&free_bytes, &total) == 0 && free_bytes == (1 << 20) && total == (4 << 20),
          "cuMemGetInfo: 1 MiB free of 4");
    CHECK(cuMemAlloc_v2(&big2, 2 << 20) == 2, "allocate 2 more MiB: CUDA_ERROR_OUT_OF_MEMORY");
    CHECK(cuMemFree_v2(big) == 0 && cuMemAlloc_v2(&big2, 2 << 20) == 0 && cuMemFree_v2(big2) == 0,
          "after a free the 2 MiB fit");
    CHECK(cuMemAlloc_v2(&small, 16) == 0, "allocate 16 bytes");
    unsigned char bytes[16];
    cuMemcpyDtoH_v2(bytes, small, 16);
    bool poisoned = true;
    for (unsigned char b : bytes) poisoned &= b == 0xFF;
    CHECK(poisoned, "fresh allocations are poisoned with 0xFF");
    CHECK(cuMemcpyHtoD_v2(small + 8, bytes, 9) == 1, "a copy past the end: CUDA_ERROR_INVALID_VALUE");
    CHECK(cuMemcpyDtoH_v2(bytes, small - 1, 2) == 1, "a copy before the start: CUDA_ERROR_INVALID_VALUE");
    CHECK(cuMemcpyDtoH_v2(nullptr, small, 4) == 1, "a copy to a null host pointer: CUDA_ERROR_INVALID_VALUE");
    CHECK(cuMemFree_v2(small + 4) == 1, "freeing an unknown pointer: CUDA_ERROR_INVALID_VALUE");
    CHECK(cuMemsetD8_v2(small, 7, 16) == 0 && cuMemcpyDtoH_v2(bytes, small, 16) == 0 && bytes[0] == 7 &&
          bytes[15] == 7, "cuMemsetD8");
    CUstream stream = nullptr;
    CHECK(cuStreamCreate(&stream, 0) == 0, "stream");
    CUdeviceptr other = 0;
    unsigned char back[16] = {0};
    bytes[3] = 42;
    CHECK(cuMemAlloc_v2(&other, 16) == 0 && cuMemcpyHtoDAsync_v2(small, bytes, 16, stream) == 0 &&
          cuMemcpyDtoDAsync_v2(other, small, 16, stream) == 0 && cuMemcpyDtoHAsync_v2(back, other, 16, stream) == 0 &&
          cuStreamSynchronize(stream) == 0 && back[3] == 42 && back[0] == 7, "async copies on a stream");
    cuMemcpyDtoD_v2(other, small, 16);
    void* pinned = nullptr;
    CHECK(cuMemHostAlloc(&pinned, 100, 0) == 0 && cuMemFreeHost(pinned) == 0 && cuMemFreeHost(pinned) == 1,
          "pinned host memory; a second free is CUDA_ERROR_INVALID_VALUE");
    const char* text = nullptr;
    CHECK(cuGetErrorName(2, &text) == 0 && !strcmp(text, "CUDA_ERROR_OUT_OF_MEMORY"), "cuGetErrorName");
    CHECK(cuGetErrorString(719, &text) == 0 && text, "cuGetErrorString: %s", text);

    // Modules.
    std::string ptx = ptx_of(read_file(argv[2]));
    CUmodule mod = nullptr;
    CUfunction block_sum = nullptr, params = nullptr, warp = nullptr, dynamic = nullptr, deadlock = nullptr,
               partial = nullptr, missing = nullptr;
    CHECK(cuModuleLoadData(&mod, "not ptx") == 200, "garbage image: CUDA_ERROR_INVALID_IMAGE");
    CHECK(cuModuleLoadData(&mod, ptx.c_str()) == 0, "load NVRTC's PTX (%zu bytes)", ptx.size());
    CHECK(cuModuleGetFunction(&missing, mod, "no_such_kernel") == 500, "unknown kernel: CUDA_ERROR_NOT_FOUND");
    CUfunction again = nullptr;
    CHECK(cuModuleGetFunction(&block_sum, mod, "emu_selftest_block_sum") == 0 &&
          cuModuleGetFunction(&again, mod, "emu_selftest_block_sum") == 0 && again == block_sum,
          "a name resolves to the same handle each time");
    CHECK(cuModuleGetFunction(&block_sum, mod, "emu_selftest_block_sum") == 0 &&
          cuModuleGetFunction(&params, mod, "emu_selftest_params") == 0 &&
          cuModuleGetFunction(&warp, mod, "emu_selftest_warp") == 0 &&
          cuModuleGetFunction(&dynamic, mod, "emu_selftest_dynamic") == 0 &&
          cuModuleGetFunction(&deadlock, mod, "emu_selftest_deadlock") == 0 &&
          cuModuleGetFunction(&partial, mod, "emu_selftest_partial_warp") == 0, "the kernels resolve");

    // A block sum: 4 blocks of 256 threads over 1000 floats, launched with the parameters in one buffer.
    const long long n = 1000;
    std::vector<float> x(n);
    for (long long i = 0; i < n; i++) x[i] = (float)i;
    CUdeviceptr dx = 0, dout = 0;
    cuMemAlloc_v2(&dx, n * sizeof(float));
    cuMemAlloc_v2(&dout, 64 * sizeof(long long));
    cuMemcpyHtoD_v2(dx, x.data(), n * sizeof(float));
    ParamBuffer pb;
    pb << dx << n << dout;
    void** extra = pb.extra();
    auto run_sum = [&]() { return cuLaunchKernel(block_sum, 4, 1, 1, 256, 1, 1, 0, stream, nullptr, extra); };
    auto check_sum = [&](const char* what) {
        float got[4] = {0};
        cuMemcpyDtoH_v2(got, dout, sizeof got);
        bool right = true;
        for (int b = 0; b < 4; b++) {
            double want = 0;
            for (long long i = 0; i < n; i++) if (i / 256 % 4 == b) want += (double)i;
            right &= got[b] == (float)want;
        }
        CHECK(right, "%s: %g %g %g %g (total %g, want %g)", what, got[0], got[1], got[2], got[3],
              got[0] + got[1] + got[2] + got[3], n * (n - 1) / 2.0);
    };
    CHECK(run_sum() == 0, "block sum launch (__syncthreads, __shfl_down_sync) through extra");
    check_sum("block sums");
    const int launches = 1000;
    // Process CPU time, not wall time: the machines that run this are often shared.
    clock_t t0 = clock();
    for (int i = 0; i < launches; i++) run_sum();
    double us = (double)(clock() - t0) * 1e6 / CLOCKS_PER_SEC / launches;
    CHECK(us < 1000, "launch of 4 blocks x 256 threads with one __syncthreads and 10 shuffles: %.1f us of CPU time", us);

    CUfunction barrier = nullptr;
    CUdeviceptr db = 0;
    cuMemAlloc_v2(&db, 1024 * sizeof(int));
    ParamBuffer pbar;
    pbar << db;
    void** bextra = pbar.extra();
    std::vector<int> rb(1024);
    CHECK(cuModuleGetFunction(&barrier, mod, "emu_selftest_barrier") == 0 &&
          cuLaunchKernel(barrier, 4, 1, 1, 256, 1, 1, 0, nullptr, nullptr, bextra) == 0 &&
          cuMemcpyDtoH_v2(rb.data(), db, 1024 * sizeof(int)) == 0 && rb[0] == 255 && rb[255] == 0 && rb[256] == 255 &&
          rb[1023] == 0 && rb[700] == 255 - 700 % 256, "__syncthreads orders the shared-memory writes of a block");
    t0 = clock();
    for (int i = 0; i < launches; i++) cuLaunchKernel(barrier, 4, 1, 1, 256, 1, 1, 0, nullptr, nullptr, bextra);
    us = (double)(clock() - t0) * 1e6 / CLOCKS_PER_SEC / launches;
    CHECK(us < 1000, "launch of 4 blocks x 256 threads with one __syncthreads: %.1f us of CPU time", us);
    CHECK(cuLaunchKernel(barrier, 1, 1, 1, 32, 1, 1, 49152 - 4096, nullptr, nullptr, bextra) == 0 &&
          cuLaunchKernel(barrier, 1, 1, 1, 32, 1, 1, 49152 - 4096 + 1, nullptr, nullptr, bextra) == 1,
          "the PTX's 4096 bytes of static shared memory count against the 48 KB with the dynamic bytes");
    cuMemFree_v2(db);

    size_t wrong = pb.bytes.size() + 8;
    void* extra_wrong[] = {(void*)1, pb.bytes.data(), (void*)2, &wrong, (void*)0};
    CHECK(cuLaunchKernel(block_sum, 4, 1, 1, 256, 1, 1, 0, nullptr, nullptr, extra_wrong) == 1,
          "a parameter buffer of the wrong size: CUDA_ERROR_INVALID_VALUE");

    // Mixed parameters, through the buffer and through kernelParams.
    unsigned char c = 200;
    double d = -12345.0;
    int i32 = -7;
    long long i64 = 1LL << 40;
    float f = 3.0f;
    ParamBuffer pp;
    pp << c << d << i32 << i64 << f << dout;
    size_t psize = pp.bytes.size();
    void** pextra = pp.extra();
    long long got[5] = {0};
    CHECK(psize == 48 && cuLaunchKernel(params, 1, 1, 1, 32, 1, 1, 0, nullptr, nullptr, pextra) == 0 &&
          cuMemcpyDtoH_v2(got, dout, sizeof got) == 0 && got[0] == 200 && got[1] == -12345 && got[2] == -7 &&
          got[3] == (1LL << 40) && got[4] == 3, "mixed parameters by PTX offsets: %lld %lld %lld %lld %lld",
          got[0], got[1], got[2], got[3], got[4]);
    cuMemsetD8_v2(dout, 0, 40);
    void* kp[] = {&c, &d, &i32, &i64, &f, &dout};
    CHECK(cuLaunchKernel(params, 1, 1, 1, 1, 1, 1, 0, nullptr, kp, nullptr) == 0 &&
          cuMemcpyDtoH_v2(got, dout, sizeof got) == 0 && got[0] == 200 && got[3] == (1LL << 40) && got[4] == 3,
          "the same through kernelParams");

    // Warp intrinsics on two warps.
    CUdeviceptr dw = 0;
    cuMemAlloc_v2(&dw, 64 * 4 * sizeof(int));
    ParamBuffer pw;
    pw << dw;
    void** wextra = pw.extra();
    std::vector<int> w(64 * 4);
    CHECK(cuLaunchKernel(warp, 1, 1, 1, 64, 1, 1, 0, nullptr, nullptr, wextra) == 0, "warp intrinsics launch");
    cuMemcpyDtoH_v2(w.data(), dw, w.size() * sizeof(int));
    bool shfl_ok = true;
    for (int t = 0; t < 64; t++) {
        int lane = t % 32, base = t - lane;
        unsigned ballot = 0;
        for (int l = 0; l < 32; l++) if ((base + l) % 3 == 0) ballot |= 1u << l;
        shfl_ok &= w[4 * t] == (t ^ 1) && w[4 * t + 1] == (lane >= 3 ? t - 3 : t) &&
                   (unsigned)w[4 * t + 2] == ballot && w[4 * t + 3] == (base + (lane & ~7) + 5) * 10;
    }
    CHECK(shfl_ok, "__shfl_xor_sync, __shfl_up_sync, __ballot_sync, __shfl_sync with width 8");

    // Dynamic shared memory.
    std::vector<float> rev(100);
    CHECK(cuLaunchKernel(dynamic, 1, 1, 1, 100, 1, 1, 100 * sizeof(float), nullptr, nullptr, wextra) == 0 &&
          cuMemcpyDtoH_v2(rev.data(), dw, 100 * sizeof(float)) == 0 && rev[0] == 99 && rev[99] == 0 && rev[40] == 59,
          "TENSOR_DYNAMIC_SHARED reverses a block of 100");
    CHECK(cuLaunchKernel(dynamic, 1, 1, 1, 100, 1, 1, 49153, nullptr, nullptr, wextra) == 1,
          "49153 bytes of dynamic shared memory: CUDA_ERROR_INVALID_VALUE");
    CHECK(cuLaunchKernel(dynamic, 1, 1, 1, 1025, 1, 1, 0, nullptr, nullptr, wextra) == 1,
          "a block of 1025 threads: CUDA_ERROR_INVALID_VALUE");
    CHECK(cuLaunchKernel(dynamic, 0, 1, 1, 32, 1, 1, 0, nullptr, nullptr, wextra) == 1,
          "an empty grid: CUDA_ERROR_INVALID_VALUE");

    // Errors inside kernels are reported, and the next launch still works.
    fprintf(stderr, "selftest: two kernel errors are expected on stderr next\n");
    CHECK(cuLaunchKernel(deadlock, 2, 1, 1, 64, 1, 1, 0, nullptr, nullptr, wextra) == 719,
          "a barrier thread 0 never reaches: CUDA_ERROR_LAUNCH_FAILED");
    CHECK(cuLaunchKernel(partial, 1, 1, 1, 16, 1, 1, 0, nullptr, nullptr, wextra) == 719,
          "a full mask in a warp of 16 lanes: CUDA_ERROR_LAUNCH_FAILED");
    cuMemsetD8_v2(dout, 0, 16);
    CHECK(run_sum() == 0, "a launch after the failures");
    check_sum("block sums again");

    // native/*.cu: every kernel NVRTC emits resolves to a host build whose parameters match the PTX's; fill_f32
    // runs end to end.
    for (int a = 3; a < argc; a++) {
        std::string path = argv[a];
        std::string dir = path.substr(0, path.rfind('/') + 1);
        std::string nptx = ptx_of(read_file(argv[a]), dir.empty() ? "." : dir);
        CUmodule nm = nullptr;
        int entries = 0, resolved = 0;
        if (cuModuleLoadData(&nm, nptx.c_str()) == 0) {
            for (size_t p = 0; (p = nptx.find(".entry ", p)) != std::string::npos; p += 7) {
                size_t e = nptx.find_first_of("( \n", p + 7);
                std::string kname = nptx.substr(p + 7, e - p - 7);
                CUfunction fn = nullptr;
                entries++;
                if (cuModuleGetFunction(&fn, nm, kname.c_str()) == 0) resolved++;
                else printf("      %s does not resolve\n", kname.c_str());
                if (kname == "fill_f32") {
                    // Layout {offset 0, shape [1000], strides [1], rank 1, contiguous 1}: 144 bytes.
                    long long layout[18] = {0};
                    layout[1] = n;
                    layout[9] = 1;
                    int tail[2] = {1, 1};
                    memcpy(&layout[17], tail, sizeof tail);
                    ParamBuffer fb;
                    fb << dx << layout << 2.5f << n;
                    void** fextra = fb.extra();
                    std::vector<float> filled(n);
                    CHECK(cuLaunchKernel(fn, 2, 1, 1, 256, 1, 1, 0, nullptr, nullptr, fextra) == 0 &&
                          cuMemcpyDtoH_v2(filled.data(), dx, n * sizeof(float)) == 0 && filled[0] == 2.5f &&
                          filled[n - 1] == 2.5f && filled[517] == 2.5f, "native fill_f32 of 1000 elements");
                }
            }
            cuModuleUnload(nm);
        }
        CHECK(entries > 0 && resolved == entries, "%s: %d of %d kernels resolve with matching parameters",
              path.c_str(), resolved, entries);
    }

    CHECK(cuLaunchKernel((CUfunction)&again, 1, 1, 1, 1, 1, 1, 0, nullptr, nullptr, nullptr) == 400,
          "an unknown function handle: CUDA_ERROR_INVALID_HANDLE");

    CHECK(cuMemFree_v2(dx) == 0 && cuMemFree_v2(dout) == 0 && cuMemFree_v2(dw) == 0 && cuMemFree_v2(small) == 0 &&
          cuMemFree_v2(other) == 0 && cuStreamDestroy_v2(stream) == 0 && cuModuleUnload(mod) == 0 &&
          cuCtxSynchronize() == 0 && cuDevicePrimaryCtxRelease_v2(0) == 0, "clean up");
    CHECK(cuMemGetInfo_v2(&free_bytes, &total) == 0 && free_bytes == total, "all memory returned");

    // cuBLAS: C (2x2) = A^T (2x3 from a 3x2 A) * B (3x2), column-major, beta 0 over a NaN C.
    std::string dir(argv[1]);
    dir = dir.substr(0, dir.rfind('/') + 1);
    void* blas = dlopen((dir + "libcublas.so.12").c_str(), RTLD_NOW | RTLD_LOCAL);
    CHECK(blas != nullptr, "load libcublas.so.12");
    if (blas) {
        typedef int S;
        auto create = (S(*)(void**))sym(blas, "cublasCreate_v2");
        auto destroy = (S(*)(void*))sym(blas, "cublasDestroy_v2");
        auto set_stream = (S(*)(void*, void*))sym(blas, "cublasSetStream_v2");
        auto get_version = (S(*)(void*, int*))sym(blas, "cublasGetVersion_v2");
        auto set_math = (S(*)(void*, int))sym(blas, "cublasSetMathMode");
        auto sgemm = (S(*)(void*, int, int, int, int, int, const float*, const float*, int, long long, const float*,
                           int, long long, const float*, float*, int, long long, int))
            sym(blas, "cublasSgemmStridedBatched");
        auto dgemm = (S(*)(void*, int, int, int, int, int, const double*, const double*, int, long long,
                           const double*, int, long long, const double*, double*, int, long long, int))
            sym(blas, "cublasDgemmStridedBatched");
        void* h = nullptr;
        int bv = 0;
        CHECK(create(&h) == 0 && set_stream(h, nullptr) == 0 && get_version(h, &bv) == 0 && bv >= 120000 &&
              set_math(h, 0) == 0, "cublas handle, stream, version %d, math mode", bv);
        float A[6] = {1, 2, 3, 4, 5, 6};     // 3x2 column-major: columns (1,2,3), (4,5,6)
        float B[6] = {1, 0, 2, 0, 1, 1};     // 3x2: columns (1,0,2), (0,1,1)
        float C[4] = {NAN, NAN, NAN, NAN};
        float one = 1, zero = 0;
        // A^T B = [[1+6, 2+3], [4+12, 5+6]] = [[7, 5], [16, 11]], column-major (7, 16, 5, 11).
        CHECK(sgemm(h, 1, 0, 2, 2, 3, &one, A, 3, 0, B, 3, 0, &zero, C, 2, 0, 1) == 0 && C[0] == 7 && C[1] == 16 &&
              C[2] == 5 && C[3] == 11, "sgemm A^T B, beta 0 ignores NaN in C: %g %g %g %g", C[0], C[1], C[2], C[3]);
        double dA[8] = {1, 2, 3, 4, 2, 0, 0, 2}, dB[8] = {1, 0, 0, 1, 1, 1, 1, 1}, dC[8] = {1, 1, 1, 1, 1, 1, 1, 1};
        double two = 2, half = 0.5;
        // Two batches of 2x2: C = 2 A B + 0.5 C.
        CHECK(dgemm(h, 0, 0, 2, 2, 2, &two, dA, 2, 4, dB, 2, 4, &half, dC, 2, 4, 2) == 0 && dC[0] == 2.5 &&
              dC[3] == 8.5 && dC[4] == 4.5 && dC[7] == 4.5, "dgemm strided batched: %g %g %g %g / %g %g %g %g",
              dC[0], dC[1], dC[2], dC[3], dC[4], dC[5], dC[6], dC[7]);
        CHECK(sgemm(h, 0, 0, 2, 2, 3, &one, A, 1, 0, B, 3, 0, &zero, C, 2, 0, 1) == 7,
              "lda < m: CUBLAS_STATUS_INVALID_VALUE");
        CHECK(sgemm(h, 5, 0, 2, 2, 3, &one, A, 3, 0, B, 3, 0, &zero, C, 2, 0, 1) == 7,
              "an invalid transa: CUBLAS_STATUS_INVALID_VALUE");
        CHECK(sgemm(nullptr, 0, 0, 2, 2, 3, &one, A, 3, 0, B, 3, 0, &zero, C, 2, 0, 1) == 1,
              "no handle: CUBLAS_STATUS_NOT_INITIALIZED");
        CHECK(destroy(h) == 0, "cublas destroy");
    }

    printf("%s: %d failure(s)\n", failures ? "FAILED" : "PASSED", failures);
    return failures ? 1 : 0;
}
