using Tensors.Backends.Cpu;
using Tensors.Tests.Conformance;
using Xunit;

namespace Tensors.Tests.Gemm;

/// <summary>
/// The CPU GEMM against the reference backend, for both micro-kernels on any hardware: odd shapes around the tile
/// sizes (4 x 16 and 12 x 32 floats), edge tiles, KC and MC blocks, the split across cores, transposed, strided,
/// sliced, batched and broadcast-batched operands, float32 and float64. The whole destination storage is compared,
/// so a tile written past C's rows or columns fails too.
/// </summary>
public class GemmKernelTests
{
    private static readonly int[] Sizes = [1, 7, 17, 33, 65, 127, 257];

    private readonly Harness _h = new(CpuBackend.Instance);

    /// <summary>Both micro-kernels (Vector512 or not: the kernel type is internal) and both float types.</summary>
    public static TheoryData<bool, DType> KernelsAndTypes() => new()
    {
        { false, DType.Float32 }, { false, DType.Float64 }, { true, DType.Float32 }, { true, DType.Float64 },
    };

    private static GemmKernel Kernel(bool vector512) => vector512 ? GemmKernel.Vector512 : GemmKernel.Vector256;

    /// <summary>How an operand lies in its storage.</summary>
    public enum Lie { Contiguous, Transposed, Strided }

    [Theory, MemberData(nameof(KernelsAndTypes))]
    public void OddShapesMatchTheReference(bool vector512, DType dtype)
    {
        var kernel = Kernel(vector512);
        var rng = new System.Random(1);
        for (int i = 0; i < Sizes.Length; i++)
            for (int j = 0; j < Sizes.Length; j++)
            {
                int m = Sizes[i], n = Sizes[j];
                // Every k meets every m and n over the loop, as do k = 0 and 1; products past 2M multiply-adds are
                // left to the larger tests below to keep the reference backend's time down.
                foreach (var k in new[] { 0, 1, Sizes[(i + j) % Sizes.Length], Sizes[(i + 2 * j + 3) % Sizes.Length] })
                    if ((long)m * n * k <= 2_000_000)
                        Check(kernel, dtype, rng, [], m, k, n, Lie.Contiguous, Lie.Contiguous);
            }
    }

    [Theory, MemberData(nameof(KernelsAndTypes))]
    public void TransposedAndStridedOperandsMatchTheReference(bool vector512, DType dtype)
    {
        var kernel = Kernel(vector512);
        var rng = new System.Random(2);
        foreach (var lieA in Enum.GetValues<Lie>())
            foreach (var lieB in Enum.GetValues<Lie>())
                foreach (var (m, k, n) in new[] { (33, 65, 17), (7, 257, 65), (127, 17, 33), (65, 33, 257) })
                    Check(kernel, dtype, rng, [], m, k, n, lieA, lieB);
    }

    [Theory, MemberData(nameof(KernelsAndTypes))]
    public void BatchedAndBroadcastBatchesMatchTheReference(bool vector512, DType dtype)
    {
        var kernel = Kernel(vector512);
        var rng = new System.Random(3);
        foreach (var (m, k, n) in new[] { (17, 33, 7), (33, 65, 40), (1, 17, 33), (65, 7, 1) })
        {
            Check(kernel, dtype, rng, [3], m, k, n, Lie.Contiguous, Lie.Transposed);
            Check(kernel, dtype, rng, [2, 3], m, k, n, Lie.Strided, Lie.Contiguous, broadcastA: true);
            Check(kernel, dtype, rng, [2, 3], m, k, n, Lie.Transposed, Lie.Strided, broadcastB: true);
        }
    }

    [Theory, MemberData(nameof(KernelsAndTypes))]
    public void LargeProductsSplitAcrossCoresAndCacheBlocksMatchTheReference(bool vector512, DType dtype)
    {
        var kernel = Kernel(vector512);
        // Past 2^22 multiply-adds the product is split across cores, along rows (m has more tiles) or columns;
        // k past KC (about 192 floats, 96-192 doubles) adds the later KC blocks to C; m past MC (hundreds of rows)
        // takes a second block of A.
        var rng = new System.Random(4);
        Check(kernel, dtype, rng, [], 257, 300, 60, Lie.Contiguous, Lie.Contiguous);
        Check(kernel, dtype, rng, [], 33, 520, 257, Lie.Transposed, Lie.Contiguous);
        Check(kernel, dtype, rng, [], 1000, 130, 33, Lie.Strided, Lie.Transposed);
    }

    [Theory, MemberData(nameof(KernelsAndTypes))]
    public void SmallCachesTakeSeveralBlocksOfEachLoop(bool vector512, DType dtype)
    {
        // 4 KiB L1d, 16 KiB L2, 64 KiB L3: KC = 64, MC of a few dozen rows, NC of a few panels, so these products
        // take several KC, MC and NC blocks, with A packed (many panels) and read where it lies (few).
        var kernel = Kernel(vector512);
        var rng = new System.Random(6);
        foreach (var (m, k, n, lieA, lieB) in new[]
                 {
                     (100, 150, 150, Lie.Contiguous, Lie.Contiguous), (100, 150, 150, Lie.Transposed, Lie.Transposed),
                     (90, 200, 40, Lie.Contiguous, Lie.Strided), (90, 200, 40, Lie.Transposed, Lie.Contiguous),
                 })
            Check(kernel, dtype, rng, [], m, k, n, lieA, lieB, caches: (4 << 10, 16 << 10, 64 << 10));
    }

    [Theory, MemberData(nameof(KernelsAndTypes))]
    public void ADestinationInsideALargerStorageKeepsItsOtherElements(bool vector512, DType dtype)
    {
        var kernel = Kernel(vector512);
        var rng = new System.Random(5);
        foreach (var (m, k, n) in new[] { (13, 40, 35), (65, 257, 33), (4, 16, 16) })
        {
            var ld = new Layout([m, n], [n + 5, 1], 3);
            Check(kernel, dtype, rng, [], m, k, n, Lie.Contiguous, Lie.Contiguous, destination: (ld, 3 + m * (n + 5) + 2));
        }
    }

    [Fact]
    public void OverrideSelectsTheKernelOnThisThreadUntilDisposed()
    {
        var other = Backends.Cpu.Gemm.Default == GemmKernel.Vector512 ? GemmKernel.Vector256 : GemmKernel.Vector512;
        using (Backends.Cpu.Gemm.Override(other))
        {
            Assert.Equal(other, Backends.Cpu.Gemm.Current);
            GemmKernel seen = other;
            var thread = new Thread(() => seen = Backends.Cpu.Gemm.Current);
            thread.Start();
            thread.Join();
            Assert.Equal(Backends.Cpu.Gemm.Default, seen); // another thread keeps the default
        }
        Assert.Equal(Backends.Cpu.Gemm.Default, Backends.Cpu.Gemm.Current);
    }

    private void Check(GemmKernel kernel, DType dtype, System.Random rng, int[] batch, int m, int k, int n, Lie lieA, Lie lieB,
        bool broadcastA = false, bool broadcastB = false, (Layout Layout, int Length)? destination = null,
        (int, int, int)? caches = null)
    {
        var (la, lenA) = Operand(rng, batch, m, k, lieA, broadcastA);
        var (lb, lenB) = Operand(rng, batch, k, n, lieB, broadcastB);
        var (ld, lenD) = destination ?? (Layout.Contiguous([.. batch, m, n]), Layout.ShapeNumel([.. batch, m, n]));
        var a = _h.Random(dtype, lenA, rng);
        var b = _h.Random(dtype, lenB, rng);
        var d = _h.Random(dtype, lenD, rng);
        using (Backends.Cpu.Gemm.Override(kernel, caches))
            _h.Backend.MatMul(a.UnderTest, la, b.UnderTest, lb, d.UnderTest, ld);
        _h.Reference.MatMul(a.Expected, la, b.Expected, lb, d.Expected, ld);
        double eps = dtype == DType.Float32 ? 2e-5 : 1e-12;
        _h.AssertSame(d, $"MatMul {kernel} {dtype} [{string.Join(",", batch)}] {m}x{k} ({lieA}) @ {k}x{n} ({lieB}): {la} @ {lb}",
            eps * 5, eps * (k + 1) * 10);
    }

    // A rows x cols operand behind batch dims: contiguous, transposed (columns contiguous), or strided (every other
    // column of a wider parent, rows padded, an offset). A broadcast batch has stride 0 in its first batch dim.
    private static (Layout Layout, int Length) Operand(System.Random rng, int[] batch, int rows, int cols, Lie lie, bool broadcast)
    {
        int offset = rng.Next(1, 4);
        var (rs, cs, size) = lie switch
        {
            Lie.Contiguous => (cols, 1, rows * cols),
            Lie.Transposed => (1, rows, rows * cols),
            _ => (2 * cols + 3, 2, rows * (2 * cols + 3)),
        };
        var strides = new int[batch.Length + 2];
        int stride = Math.Max(size, 1);
        for (int d = batch.Length - 1; d >= 0; d--)
        {
            strides[d] = broadcast && d == 0 ? 0 : stride;
            stride *= broadcast && d == 0 ? 1 : batch[d];
        }
        strides[^2] = rs;
        strides[^1] = cs;
        return (new Layout([.. batch, rows, cols], strides, offset), offset + stride + 1);
    }
}

/// <summary>Block sizes derived from cache sizes, by hand.</summary>
public class GemmBlockingTests
{
    [Fact]
    public void BlocksFollowTheCacheSizes()
    {
        // 12 x 32 floats on 48 KiB L1d, 1 MiB L2, 32 MiB L3: a KC x 32 panel of B in half of L1d gives KC = 192;
        // k = 1000 takes 6 blocks, evened out to 168 (167 rounded up to 8); A's MC x 168 block in half of L2 gives
        // 780 rows (a multiple of 12); B's 168 x NC block in a quarter of L3 gives 12480 columns (a multiple of 32).
        Assert.Equal(new GemmBlocking(168, 780, 12480), GemmBlocking.For(12, 32, 4, 1000, 48 << 10, 1 << 20, 32 << 20));
        // A small k is one block of k rounded up to 8; a tiny L1d still gets KC = 64.
        Assert.Equal(24, GemmBlocking.For(12, 32, 4, 20, 48 << 10, 1 << 20, 32 << 20).KC);
        Assert.Equal(64, GemmBlocking.For(12, 32, 4, 5000, 4 << 10, 1 << 20, 32 << 20).KC);
        // k = 5000 in blocks of 192: 27 blocks of 186, rounded up to 192 again.
        Assert.Equal(192, GemmBlocking.For(12, 32, 4, 5000, 48 << 10, 1 << 20, 32 << 20).KC);
    }
}
