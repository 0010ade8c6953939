// kernel_checks.cpp: hand-checked cases for native/*.cu, run through the CPU emulation of the device
// (tests/CudaEmulation) exactly as the C# backend runs them: NVRTC PTX loaded with cuModuleLoadData, launches with
// the parameters in one buffer. `build.sh OUT --kernel-checks` builds the emulation and this file and runs it.
// Expected values are derived by hand or are PyTorch 1.13's (noted); every check prints ok/FAIL and the exit code
// counts the failures.
#define DRIVER_CLIENT_NAME "kernel_checks"
#include "driver_client.h"

#include <cmath>
#include <initializer_list>

// PTX of one native/*.cu, tensor.cuh handed to NVRTC as a named header (as the C# host does).
static std::string native_ptx(const std::string& dir, const char* file) {
    // KERNEL_CHECKS_ARCH (and KERNEL_CHECKS_NVRTC, read in main) let the same cases run on a machine with a GPU and
    // a newer NVRTC (with LIBCUDA_PATH the real driver).
    const char* arch = getenv("KERNEL_CHECKS_ARCH");
    return nvrtc_ptx(read_file(dir + "/" + file), file, {{"tensor.cuh", read_file(dir + "/tensor.cuh")}},
                     {std::string("--gpu-architecture=") + (arch ? arch : "compute_75"), "--std=c++17"});
}

struct Layout {
    long long offset;
    long long shape[8];
    long long strides[8];
    int rank;
    int contiguous;
};

// A layout from shape and strides (row-major strides when none are given).
static Layout layout(std::initializer_list<long long> shape, std::initializer_list<long long> strides = {},
                     long long offset = 0) {
    Layout l{};
    l.offset = offset;
    l.rank = (int)shape.size();
    int k = 0;
    for (long long s : shape) l.shape[k++] = s;
    if (strides.size() == 0) {
        long long st = 1;
        for (int d = l.rank - 1; d >= 0; --d) { l.strides[d] = st; st *= l.shape[d]; }
    } else {
        k = 0;
        for (long long s : strides) l.strides[k++] = s;
    }
    long long st = 1;
    l.contiguous = 1;
    for (int d = l.rank - 1; d >= 0; --d) {
        if (l.shape[d] != 1 && l.strides[d] != st) l.contiguous = 0;
        st *= l.shape[d];
    }
    return l;
}

static std::vector<void*> modules;

static void launch(const char* name, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by,
                   ParamBuffer& p) {
    void* f = nullptr;
    for (void* m : modules)
        if (cuModuleGetFunction(&f, m, name) == 0) break;
    if (!f) { fprintf(stderr, "kernel_checks: no kernel %s\n", name); exit(1); }
    CUresult r = cuLaunchKernel(f, gx, gy, gz, bx, by, 1, 0, nullptr, nullptr, p.extra());
    if (r == 0) r = cuCtxSynchronize();
    if (r != 0) { fprintf(stderr, "kernel_checks: launching %s: error %d\n", name, r); exit(1); }
}

template <class T> static CUdeviceptr upload(const std::vector<T>& v) {
    CUdeviceptr p = 0;
    cuMemAlloc_v2(&p, v.size() * sizeof(T) + 1);
    if (!v.empty()) cuMemcpyHtoD_v2(p, v.data(), v.size() * sizeof(T));
    return p;
}
template <class T> static std::vector<T> download(CUdeviceptr p, size_t n) {
    std::vector<T> v(n);
    cuMemcpyDtoH_v2(v.data(), p, n * sizeof(T));
    return v;
}
template <class T> static CUdeviceptr alloc(size_t n) { return upload(std::vector<T>(n)); }

static bool same_bits(double a, double b) { return memcmp(&a, &b, sizeof a) == 0; }

// ---- The cases ----------------------------------------------------------------------------------------------------

// Sums of 1..n per row, a contiguous [3, n] source and the same values through a transposed (strided) view, with a
// full block, a single warp and a grid smaller than the rows (grid-stride over rows).
static void check_sums() {
    const long long n = 1000;
    std::vector<float> x(3 * n);
    for (long long r = 0; r < 3; r++)
        for (long long j = 0; j < n; j++) x[r * n + j] = (float)(j + 1 + r);  // row r: (1 + r) .. (n + r)
    CUdeviceptr dx = upload(x), dd = alloc<float>(3);
    for (unsigned block : {256u, 32u}) {
        ParamBuffer p;
        p << dx << layout({3, n}) << dd << layout({3}) << 3LL << n;
        launch("reduce_sum_f32", 2, 1, 1, block, 1, p);
        auto s = download<float>(dd, 3);
        CHECK(s[0] == 500500 && s[1] == 501500 && s[2] == 502500, "reduce_sum_f32 of 1..1000 (+r), block %u: %g %g %g",
              block, s[0], s[1], s[2]);
    }
    // The [n, 3] storage read as its transpose: row r is column r, strides (1, 3).
    std::vector<long long> xt(3 * n);
    for (long long j = 0; j < n; j++)
        for (long long r = 0; r < 3; r++) xt[j * 3 + r] = j + 1 + r;
    CUdeviceptr dxt = upload(xt), di = alloc<long long>(3);
    ParamBuffer p;
    p << dxt << layout({3, n}, {1, 3}) << di << layout({3}) << 3LL << n;
    launch("reduce_sum_i64", 3, 1, 1, 64, 1, p);
    auto s = download<long long>(di, 3);
    CHECK(s[0] == 500500 && s[1] == 501500 && s[2] == 502500, "reduce_sum_i64 over a strided view: %lld %lld %lld",
          s[0], s[1], s[2]);
    // The same in columns mode (blockDim 32 x 8): 3 outputs of a block's 32.
    CUdeviceptr dc = alloc<long long>(3);
    ParamBuffer c;
    c << dxt << layout({3, n}, {1, 3}) << dc << layout({3}) << 3LL << n;
    launch("reduce_sum_i64", 1, 1, 1, 32, 8, c);
    s = download<long long>(dc, 3);
    CHECK(s[0] == 500500 && s[1] == 501500 && s[2] == 502500, "reduce_sum_i64 in columns mode: %lld %lld %lld", s[0],
          s[1], s[2]);
    // Columns mode over 70 outputs with a grid of 2 blocks (grid-stride over groups of 32): output o sums o .. o + 9.
    std::vector<float> y(70 * 10);
    for (int j = 0; j < 10; j++)
        for (int o = 0; o < 70; o++) y[j * 70 + o] = (float)(o + j);
    CUdeviceptr dy = upload(y), dys = alloc<float>(70);
    ParamBuffer e;
    e << dy << layout({70, 10}, {1, 70}) << dys << layout({70}) << 70LL << 10LL;
    launch("reduce_sum_f32", 2, 1, 1, 32, 8, e);
    auto ys = download<float>(dys, 70);
    bool ok = true;
    for (int o = 0; o < 70; o++) ok &= ys[o] == 10.0f * o + 45;
    CHECK(ok, "reduce_sum_f32 in columns mode over 70 outputs, 2 blocks");
    // Integer sums wrap: 2 * INT_MAX + 2 == 0 in int32.
    CUdeviceptr dw = upload(std::vector<int>{2147483647, 1, 2147483647, 1}), dws = alloc<int>(1);
    ParamBuffer q;
    q << dw << layout({4}) << dws << layout({}) << 1LL << 4LL;
    launch("reduce_sum_i32", 1, 1, 1, 32, 1, q);
    CHECK(download<int>(dws, 1)[0] == 0, "reduce_sum_i32 wraps");
}

// max/min propagate NaN; argmax/argmin take the first extreme, a NaN beating everything (the first NaN wins).
static void check_extremes() {
    const float nan = NAN;
    const long long n = 1000;
    std::vector<float> x(2 * n, 1.0f);
    x[100] = 7; x[900] = 7; x[300] = nan; x[700] = nan;     // row 0: NaN first at 300
    x[n + 5] = -3; x[n + 600] = -3; x[n + 400] = 9; x[n + 999] = 9;  // row 1: min at 5, max at 400
    CUdeviceptr dx = upload(x), da = alloc<long long>(2), dm = alloc<float>(2);
    ParamBuffer p;
    p << dx << layout({2, n}) << da << layout({2}) << 2LL << n;
    launch("argreduce_argmax_f32", 1, 1, 1, 256, 1, p);
    auto a = download<long long>(da, 2);
    CHECK(a[0] == 300 && a[1] == 400, "argmax: first NaN (300), first of equal maxima (400): %lld %lld", a[0], a[1]);
    ParamBuffer q;
    q << dx << layout({2, n}) << da << layout({2}) << 2LL << n;
    launch("argreduce_argmin_f32", 1, 1, 1, 128, 1, q);
    a = download<long long>(da, 2);
    CHECK(a[0] == 300 && a[1] == 5, "argmin: first NaN (300), first of equal minima (5): %lld %lld", a[0], a[1]);
    ParamBuffer c;
    c << dx << layout({2, n}) << da << layout({2}) << 2LL << n;
    launch("argreduce_argmax_f32", 1, 1, 1, 32, 8, c);
    a = download<long long>(da, 2);
    CHECK(a[0] == 300 && a[1] == 400, "argmax in columns mode: %lld %lld", a[0], a[1]);
    ParamBuffer r;
    r << dx << layout({2, n}) << dm << layout({2}) << 2LL << n;
    launch("reduce_max_f32", 2, 1, 1, 256, 1, r);
    auto m = download<float>(dm, 2);
    CHECK(std::isnan(m[0]) && m[1] == 9, "reduce_max: NaN propagates, else 9: %g %g", m[0], m[1]);
    // Short rows (inner 3, one warp per block) and ties on a u8 row.
    CUdeviceptr du = upload(std::vector<unsigned char>{2, 5, 5, 0, 0, 0}), dua = alloc<long long>(2);
    ParamBuffer s;
    s << du << layout({2, 3}) << dua << layout({2}) << 2LL << 3LL;
    launch("argreduce_argmax_u8", 1, 1, 1, 32, 1, s);
    a = download<long long>(dua, 2);
    CHECK(a[0] == 1 && a[1] == 0, "argmax_u8 ties: %lld %lld", a[0], a[1]);
}

// A 3x5 @ 5x2 product by hand, the same with B read through a transposed view, and a 2-batch product whose A
// batch is broadcast (stride 0).
static void check_matmul() {
    std::vector<float> a = {1, 2, 3, 4, 5, 0, 1, 0, 1, 0, -1, 2, -3, 4, -5};
    std::vector<float> b = {1, 0, 0, 1, 1, 1, 2, 0, 0, -1};
    // Row 0: (1+3+8, 2+3-5) = (12, 0); row 1: (0+2, 1) = (2, 1); row 2: (-1-3+8, 2-3+5) = (4, 4).
    const float expected[6] = {12, 0, 2, 1, 4, 4};
    CUdeviceptr da = upload(a), db = upload(b), dd = alloc<float>(6);
    ParamBuffer p;
    p << da << layout({3, 5}) << db << layout({5, 2}) << dd << layout({3, 2}) << 1LL << 3 << 2 << 5;
    launch("matmul_f32", 1, 1, 1, 16, 16, p);
    auto d = download<float>(dd, 6);
    CHECK(!memcmp(d.data(), expected, sizeof expected), "matmul_f32 3x5 @ 5x2: %g %g / %g %g / %g %g", d[0], d[1],
          d[2], d[3], d[4], d[5]);
    std::vector<float> bt = {1, 0, 1, 2, 0, 0, 1, 1, 0, -1};  // B stored as its 2x5 transpose
    CUdeviceptr dbt = upload(bt);
    ParamBuffer q;
    q << da << layout({3, 5}) << dbt << layout({5, 2}, {1, 5}) << dd << layout({3, 2}) << 1LL << 3 << 2 << 5;
    launch("matmul_f32", 1, 1, 1, 16, 16, q);
    d = download<float>(dd, 6);
    CHECK(!memcmp(d.data(), expected, sizeof expected), "matmul_f32 with B transposed (strides 1, 5)");
    // Batched int32, A broadcast over 2 batches, B's two batches = B and 2B: outputs E and 2E.
    std::vector<int> ai(a.begin(), a.end()), bi(20);
    for (int i = 0; i < 10; i++) { bi[i] = (int)b[i]; bi[10 + i] = 2 * (int)b[i]; }
    CUdeviceptr dai = upload(ai), dbi = upload(bi), ddi = alloc<int>(12);
    ParamBuffer r;
    r << dai << layout({2, 3, 5}, {0, 5, 1}) << dbi << layout({2, 5, 2}) << ddi << layout({2, 3, 2}) << 2LL << 3 << 2
      << 5;
    launch("matmul_i32", 1, 1, 1, 16, 16, r);
    auto di = download<int>(ddi, 12);
    bool ok = true;
    for (int i = 0; i < 6; i++) ok &= di[i] == (int)expected[i] && di[6 + i] == 2 * (int)expected[i];
    CHECK(ok, "matmul_i32 batched with a broadcast A");
    // Edges of the 64x64 tiles and the 16-deep K steps: 70x33 @ 33x130 in int64 against a plain triple loop.
    const int m = 70, k = 33, n = 130;
    std::vector<long long> A(m * k), B(k * n), E(m * n, 0);
    for (int i = 0; i < m * k; i++) A[i] = (i * 7) % 11 - 5;
    for (int i = 0; i < k * n; i++) B[i] = (i * 5) % 13 - 6;
    for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++)
            for (int t = 0; t < k; t++) E[i * n + j] += A[i * k + t] * B[t * n + j];
    CUdeviceptr dA = upload(A), dB = upload(B), dE = alloc<long long>(m * n);
    ParamBuffer s;
    s << dA << layout({m, k}) << dB << layout({k, n}) << dE << layout({m, n}) << 1LL << m << n << k;
    launch("matmul_i64", 3, 2, 1, 16, 16, s);
    CHECK(download<long long>(dE, m * n) == E, "matmul_i64 70x33 @ 33x130 (tile edges)");
}

// Python's floor division and remainder, values from PyTorch 1.13.
static void check_division() {
    std::vector<int> a = {7, -7, -7, 7, 5, -5, -2147483647 - 1}, b = {-2, 2, -2, 2, 3, -3, -1};
    CUdeviceptr da = upload(a), db = upload(b), dd = alloc<int>(7);
    ParamBuffer p;
    p << da << layout({7}) << db << layout({7}) << dd << layout({7}) << 7LL;
    launch("binary_floor_divide_i32", 1, 1, 1, 32, 1, p);
    auto q = download<int>(dd, 7);
    CHECK((q == std::vector<int>{-4, -4, 3, 3, 1, 1, -2147483647 - 1}), "floor_divide_i32 signs, MinValue // -1");
    ParamBuffer r;
    r << da << layout({7}) << db << layout({7}) << dd << layout({7}) << 7LL;
    launch("binary_remainder_i32", 1, 1, 1, 32, 1, r);
    q = download<int>(dd, 7);
    CHECK((q == std::vector<int>{-1, 1, -1, 1, 2, -2, 0}), "remainder_i32 takes the sign of b");
    std::vector<double> x = {7.0, 1.0, 0.5, -0.5, 0.0, 5.5, -5.5, 1.0}, y = {-2.0, 0.1, -1.0, 2.0, -2.0, -2.0, 2.0, 0.0};
    CUdeviceptr dx = upload(x), dy = upload(y), dz = alloc<double>(8);
    ParamBuffer s;
    s << dx << layout({8}) << dy << layout({8}) << dz << layout({8}) << 8LL;
    launch("binary_floor_divide_f64", 1, 1, 1, 32, 1, s);
    auto z = download<double>(dz, 8);
    CHECK(z[0] == -4 && z[1] == 9 && z[2] == -1 && z[3] == -1 && same_bits(z[4], -0.0) && z[5] == -3 && z[6] == -3 &&
          std::isinf(z[7]) && z[7] > 0, "floor_divide_f64: -4 9 -1 -1 -0 -3 -3 inf");
    ParamBuffer t;
    t << dx << layout({8}) << dy << layout({8}) << dz << layout({8}) << 8LL;
    launch("binary_remainder_f64", 1, 1, 1, 32, 1, t);
    z = download<double>(dz, 8);
    CHECK(z[0] == -1 && z[1] == 0.09999999999999995 && z[2] == -0.5 && z[3] == 1.5 && z[4] == 0 && z[5] == -0.5 &&
          z[6] == 0.5 && std::isnan(z[7]), "remainder_f64: -1 0.09999999999999995 -0.5 1.5 0 -0.5 0.5 nan");
}

// A strided transpose copy, conversions at the edges, and a few unary edges.
static void check_copies() {
    std::vector<float> x = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};  // 3x4
    CUdeviceptr dx = upload(x), dd = alloc<float>(12);
    ParamBuffer p;
    p << dx << layout({4, 3}, {1, 4}) << dd << layout({4, 3}) << 12LL;
    launch("copy_f32_f32", 2, 1, 1, 32, 1, p);  // 64 threads for 12 elements
    CHECK((download<float>(dd, 12) == std::vector<float>{0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11}),
          "copy_f32_f32 of a transposed 3x4 view");
    std::vector<float> f = {3e10f, -3e10f, NAN, -2.7f, 2.7f, 300.5f};
    CUdeviceptr df = upload(f), di = alloc<int>(6), du = alloc<unsigned char>(6), db = alloc<unsigned char>(6);
    ParamBuffer q;
    q << df << layout({6}) << di << layout({6}) << 6LL;
    launch("copy_f32_i32", 1, 1, 1, 32, 1, q);
    CHECK((download<int>(di, 6) == std::vector<int>{2147483647, -2147483647 - 1, 0, -2, 2, 300}),
          "copy_f32_i32 truncates and saturates, NaN to 0");
    ParamBuffer r;
    r << df << layout({6}) << du << layout({6}) << 6LL;
    launch("copy_f32_u8", 1, 1, 1, 32, 1, r);
    CHECK((download<unsigned char>(du, 6) == std::vector<unsigned char>{255, 0, 0, 0, 2, 255}),
          "copy_f32_u8 saturates to 0..255");
    ParamBuffer s;
    s << df << layout({6}) << db << layout({6}) << 6LL;
    launch("copy_f32_b8", 1, 1, 1, 32, 1, s);
    CHECK((download<unsigned char>(db, 6) == std::vector<unsigned char>{1, 1, 1, 1, 1, 1}), "copy_f32_b8: NaN is true");
    CUdeviceptr dw = upload(std::vector<int>{300, -1, 0}), dwu = alloc<unsigned char>(3);
    ParamBuffer t;
    t << dw << layout({3}) << dwu << layout({3}) << 3LL;
    launch("copy_i32_u8", 1, 1, 1, 32, 1, t);
    CHECK((download<unsigned char>(dwu, 3) == std::vector<unsigned char>{44, 255, 0}), "copy_i32_u8 wraps");
    CUdeviceptr dm = upload(std::vector<int>{-2147483647 - 1, -3, 4}), dma = alloc<int>(3);
    ParamBuffer u;
    u << dm << layout({3}) << dma << layout({3}) << 3LL;
    launch("unary_abs_i32", 1, 1, 1, 32, 1, u);
    CHECK((download<int>(dma, 3) == std::vector<int>{-2147483647 - 1, 3, 4}), "abs_i32: MinValue stays itself");
    CUdeviceptr dz = upload(std::vector<float>{-0.0f, NAN, -1.0f}), dzr = alloc<float>(3);
    ParamBuffer v;
    v << dz << layout({3}) << dzr << layout({3}) << 3LL;
    launch("unary_relu_f32", 1, 1, 1, 32, 1, v);
    auto z = download<float>(dzr, 3);
    CHECK(same_bits(z[0], 0.0) && std::isnan(z[1]) && z[2] == 0, "relu_f32: relu(-0) = +0, NaN propagates");
    CUdeviceptr dbn = upload(std::vector<unsigned char>{0, 1}), dbo = alloc<unsigned char>(2);
    ParamBuffer w;
    w << dbn << layout({2}) << dbo << layout({2}) << 2LL;
    launch("unary_bitwise_not_b8", 1, 1, 1, 32, 1, w);
    CHECK((download<unsigned char>(dbo, 2) == std::vector<unsigned char>{1, 0}), "bitwise_not_b8 is logical not");
}

// The 16-bit floats' conversions by hand (bits as PyTorch 1.13 gives them): ties to even, overflow to infinity,
// subnormals, NaN; float64 through float32 (two roundings); and back to float32 exactly; int8 wrap-around.
static void check_sixteen_bit() {
    std::vector<float> f = {1.0f + 0x1p-11f, 1.0f + 3 * 0x1p-11f, 65504.0f, 65520.0f, 0x1p-25f, 3 * 0x1p-26f, -0.0f, NAN,
                            1.0f + 0x1p-8f, 3.4e38f};
    CUdeviceptr df = upload(f), dh = alloc<unsigned short>(10), db = alloc<unsigned short>(10);
    ParamBuffer p;
    p << df << layout({10}) << dh << layout({10}) << 10LL;
    launch("copy_f32_f16", 1, 1, 1, 32, 1, p);
    CHECK((download<unsigned short>(dh, 10) ==
           std::vector<unsigned short>{0x3c00, 0x3c02, 0x7bff, 0x7c00, 0x0000, 0x0001, 0x8000, 0x7e00, 0x3c04, 0x7c00}),
          "copy_f32_f16: ties to even, 65520 to inf, 2^-25 to 0, 3*2^-26 to the smallest subnormal, NaN quiet");
    ParamBuffer q;
    q << df << layout({10}) << db << layout({10}) << 10LL;
    launch("copy_f32_bf16", 1, 1, 1, 32, 1, q);
    CHECK((download<unsigned short>(db, 10) ==
           std::vector<unsigned short>{0x3f80, 0x3f80, 0x4780, 0x4780, 0x3300, 0x3340, 0x8000, 0x7fc0, 0x3f80, 0x7f80}),
          "copy_f32_bf16: ties to even, NaN as 0x7FC0 (PyTorch's scalar form; its vector form gives 0xFFFF), 3.4e38 to inf");
    CUdeviceptr dd = upload(std::vector<double>{1.0 + 0x1p-11 + 0x1p-40}), dd16 = alloc<unsigned short>(1);
    ParamBuffer r;
    r << dd << layout({1}) << dd16 << layout({1}) << 1LL;
    launch("copy_f64_f16", 1, 1, 1, 32, 1, r);
    CHECK(download<unsigned short>(dd16, 1)[0] == 0x3c00, "copy_f64_f16 rounds through float32 (to 1.0, not up)");
    CUdeviceptr dsub = upload(std::vector<unsigned short>{0x0001, 0x83ff, 0x7bff, 0xfc00}), dback = alloc<float>(4);
    ParamBuffer s;
    s << dsub << layout({4}) << dback << layout({4}) << 4LL;
    launch("copy_f16_f32", 1, 1, 1, 32, 1, s);
    auto back = download<float>(dback, 4);
    CHECK(back[0] == 0x1p-24f && back[1] == -1023 * 0x1p-24f && back[2] == 65504.0f && std::isinf(back[3]) && back[3] < 0,
          "copy_f16_f32: subnormals, the largest value and -inf exactly");
    CUdeviceptr dl = upload(std::vector<long long>{200, -129, 70000}), d8 = alloc<signed char>(3);
    ParamBuffer t;
    t << dl << layout({3}) << d8 << layout({3}) << 3LL;
    launch("copy_i64_i8", 1, 1, 1, 32, 1, t);
    CHECK((download<signed char>(d8, 3) == std::vector<signed char>{-56, 127, 112}), "copy_i64_i8 wraps");
}

// gather along dim 1 of a 2x4 by an index expanded over the rows (index_select), through a contiguous and a
// transposed destination; scatter_add of a 2x3 into a 2x3 along dim 1 with a repeated index (index_add); u8 and b8
// adds of repeated indices (the byte compare-and-swap and the or).
static void check_index() {
    std::vector<float> x = {0, 1, 2, 3, 10, 11, 12, 13};
    CUdeviceptr dx = upload(x), di = upload(std::vector<long long>{3, 0, 3}), dd = alloc<float>(6);
    for (int strided = 0; strided < 2; strided++) {
        ParamBuffer p;  // s: the 2x4 over the index's shape [2, 3] with dim 1's stride 0; step 1
        p << dx << layout({2, 3}, {4, 0}) << di << layout({2, 3}, {0, 1}) << dd
          << (strided ? layout({2, 3}, {1, 2}) : layout({2, 3})) << 1LL << 6LL;
        launch("gather_f32", 1, 1, 1, 32, 1, p);
        auto d = download<float>(dd, 6);
        auto expected = strided ? std::vector<float>{3, 13, 0, 10, 3, 13} : std::vector<float>{3, 0, 3, 13, 10, 13};
        CHECK(d == expected, "gather_f32 dim 1 (%s destination)", strided ? "strided" : "contiguous");
    }
    CUdeviceptr dt = upload(std::vector<float>{1, 1, 1, 1, 1, 1}), ds = upload(std::vector<float>{1, 2, 3, 4, 5, 6});
    CUdeviceptr dk = upload(std::vector<long long>{2, 0, 2});
    ParamBuffer q;  // d (2x3) += s (2x3) along dim 1 by idx {2, 0, 2}
    q << ds << layout({2, 3}) << dk << layout({2, 3}, {0, 1}) << dt << layout({2, 3}, {3, 0}) << 1LL << 6LL;
    launch("scatter_add_f32", 1, 1, 1, 32, 1, q);
    CHECK((download<float>(dt, 6) == std::vector<float>{3, 1, 5, 6, 1, 11}), "scatter_add_f32 with a repeated index");
    CUdeviceptr du = upload(std::vector<unsigned char>{250, 7, 9, 0}), dus = upload(std::vector<unsigned char>{3, 4, 5, 6});
    CUdeviceptr dj = upload(std::vector<long long>{0, 2, 0, 0});
    ParamBuffer r;  // u8: d[0] += 3 + 5 + 6 wraps to 8, d[2] += 4
    r << dus << layout({4}) << dj << layout({4}) << du << layout({4}, {0}) << 1LL << 4LL;
    launch("scatter_add_u8", 1, 1, 1, 32, 1, r);
    CHECK((download<unsigned char>(du, 4) == std::vector<unsigned char>{8, 7, 13, 0}), "scatter_add_u8 wraps and accumulates");
    CUdeviceptr db = upload(std::vector<unsigned char>{0, 0, 1, 0}), dbs = upload(std::vector<unsigned char>{1, 0, 0, 1});
    CUdeviceptr dl = upload(std::vector<long long>{0, 1, 2, 0});
    ParamBuffer b;
    b << dbs << layout({4}) << dl << layout({4}) << db << layout({4}, {0}) << 1LL << 4LL;
    launch("scatter_add_b8", 1, 1, 1, 32, 1, b);
    CHECK((download<unsigned char>(db, 4) == std::vector<unsigned char>{1, 0, 1, 0}), "scatter_add_b8 is a logical or");
}

// Uniform draws bit for bit with CounterRandom.cs (values from an independent Python transcription).
static void check_random() {
    CUdeviceptr dd = alloc<double>(3), df = alloc<float>(2);
    ParamBuffer p;
    p << dd << layout({3}) << 42ULL << 7ULL << 3LL;
    launch("random_uniform_f64", 1, 1, 1, 32, 1, p);
    auto u = download<double>(dd, 3);
    CHECK(u[0] == 0.39175588486644874 && u[1] == 0.20209459273837127 && u[2] == 0.6225076957202335,
          "random_uniform_f64 (seed 42, counter 7): %.17g %.17g %.17g", u[0], u[1], u[2]);
    ParamBuffer q;
    q << df << layout({2}) << 42ULL << 7ULL << 2LL;
    launch("random_normal_f32", 1, 1, 1, 32, 1, q);
    auto z = download<float>(df, 2);
    CHECK(z[0] == (float)-1.147063960136084 && z[1] == (float)0.3090265170177625, "random_normal_f32: %.9g %.9g", z[0],
          z[1]);
}

// Scans: running sums of 1..600 (three chunks of a 256-thread block, the carry crossing them), a product, and the
// Bool sum as a running or. Sorts: ties and NaNs in a short row, both orders; a row of 1500 (global scratch).
static void check_scans_and_sorts() {
    const long long n = 600;
    std::vector<long long> x(n);
    for (long long j = 0; j < n; j++) x[j] = j + 1;
    CUdeviceptr dx = upload(x), dd = alloc<long long>(n);
    ParamBuffer p;
    p << dx << layout({1, n}) << dd << layout({1, n}) << 1LL << n;
    launch("scan_sum_i64", 1, 1, 1, 256, 1, p);
    auto c = download<long long>(dd, n);
    bool ok = true;
    for (long long j = 0; j < n; j++) ok = ok && c[j] == (j + 1) * (j + 2) / 2;
    CHECK(ok, "scan_sum_i64 of 1..600 carried across chunks: last %lld", c[n - 1]);
    CUdeviceptr df = upload(std::vector<float>{1, 2, 3, 0.5f}), dfo = alloc<float>(4);
    ParamBuffer q;
    q << df << layout({1, 4}) << dfo << layout({1, 4}) << 1LL << 4LL;
    launch("scan_prod_f32", 1, 1, 1, 32, 1, q);
    auto pr = download<float>(dfo, 4);
    CHECK(pr[0] == 1 && pr[1] == 2 && pr[2] == 6 && pr[3] == 3, "scan_prod_f32: %g %g %g %g", pr[0], pr[1], pr[2], pr[3]);
    CUdeviceptr db = upload(std::vector<unsigned char>{0, 1, 0, 1}), dbo = alloc<unsigned char>(4);
    ParamBuffer b;
    b << db << layout({1, 4}) << dbo << layout({1, 4}) << 1LL << 4LL;
    launch("scan_sum_b8", 1, 1, 1, 32, 1, b);
    auto bo = download<unsigned char>(dbo, 4);
    CHECK(bo[0] == 0 && bo[1] == 1 && bo[2] == 1 && bo[3] == 1, "scan_sum_b8 is a running or");

    const float nan = NAN, inf = INFINITY;
    CUdeviceptr ds = upload(std::vector<float>{2, 1, nan, 1, 2, -inf}), dv = alloc<float>(6), di = alloc<long long>(6);
    for (int descending : {0, 1}) {
        ParamBuffer r;
        r << ds << layout({1, 6}) << dv << layout({1, 6}) << di << layout({1, 6}) << 1LL << 6LL << descending
          << (CUdeviceptr)0 << (CUdeviceptr)0;
        launch("sort_f32", 1, 1, 1, 256, 1, r);
        auto v = download<float>(dv, 6);
        auto i = download<long long>(di, 6);
        // Ascending: -inf(5) 1(1) 1(3) 2(0) 2(4) NaN(2); descending: NaN(2) 2(0) 2(4) 1(1) 1(3) -inf(5).
        const long long up[6] = {5, 1, 3, 0, 4, 2}, down[6] = {2, 0, 4, 1, 3, 5};
        bool same = true;
        for (int k = 0; k < 6; k++) same = same && i[k] == (descending ? down[k] : up[k]);
        CHECK(same && (descending ? std::isnan(v[0]) && v[5] == -inf : v[0] == -inf && std::isnan(v[5])),
              "sort_f32 %s: stable, NaN largest: %lld %lld %lld %lld %lld %lld", descending ? "descending" : "ascending",
              i[0], i[1], i[2], i[3], i[4], i[5]);
    }
    const long long m = 1500;
    std::vector<int> y(m);
    for (long long j = 0; j < m; j++) y[j] = (int)(j * 7 % 10);
    CUdeviceptr dy = upload(y), dyv = alloc<int>(m), dyi = alloc<long long>(m);
    CUdeviceptr sv = alloc<int>(2 * m), si = alloc<long long>(2 * m);
    ParamBuffer t;
    t << dy << layout({1, m}) << dyv << layout({1, m}) << dyi << layout({1, m}) << 1LL << m << 0 << sv << si;
    launch("sort_i32", 1, 1, 1, 256, 1, t);
    auto yv = download<int>(dyv, m);
    auto yi = download<long long>(dyi, m);
    ok = true;
    for (long long k = 0; k < m; k++) ok = ok && yv[k] == y[yi[k]] && yv[k] == (int)(k / 150);
    for (long long k = 1; k < m; k++) ok = ok && (yv[k - 1] < yv[k] || yi[k - 1] < yi[k]);
    CHECK(ok, "sort_i32 of 1500 through global scratch: ordered, stable");
}

static void run_cases() {
    check_sums();
    check_extremes();
    check_matmul();
    check_division();
    check_copies();
    check_sixteen_bit();
    check_index();
    check_random();
    check_scans_and_sorts();
}

int main(int argc, char** argv) {
    if (argc != 3) { fprintf(stderr, "usage: kernel_checks LIBCUDA_PATH NATIVE_DIR\n"); return 2; }
    if (const char* nvrtc = getenv("KERNEL_CHECKS_NVRTC")) nvrtc_library = nvrtc;
    load_driver(argv[1]);
    void* ctx = nullptr;
    if (cuInit(0) != 0 || cuDevicePrimaryCtxRetain(&ctx, 0) != 0 || cuCtxSetCurrent(ctx) != 0) {
        fprintf(stderr, "kernel_checks: no context\n");
        return 1;
    }
    for (const char* file : {"fill_copy.cu", "elementwise.cu", "reduce.cu", "matmul.cu", "index.cu", "random.cu", "scan.cu", "sort.cu"}) {
        std::string ptx = native_ptx(argv[2], file);
        void* m = nullptr;
        if (cuModuleLoadData(&m, ptx.c_str()) != 0) { fprintf(stderr, "kernel_checks: cannot load %s\n", file); return 1; }
        modules.push_back(m);
    }
    run_cases();
    printf("%d failure(s)\n", failures);
    return failures == 0 ? 0 : 1;
}
