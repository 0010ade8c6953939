using Tensors.Backends.Cpu;
using Tensors.Tests.Conformance;
using Xunit;

namespace Tensors.Tests.Gemm;

/// <summary>
/// Matrix-vector products (n = 1) on the CPU backend against the reference backend, for both kernel widths and both
/// float types: every row count from 1 to 20 and counts around the row groups of four up to 257, inner sizes around
/// the vector widths (4, 8 and 16 lanes: 0, 1, 7, 8, 15, 16, 17, 30, 33, 64, 65), and A with contiguous, padded,
/// transposed or strided rows, x with unit or wider steps, C a column inside a wider storage. The whole destination
/// storage is compared, so a row written twice with different values, or an element outside C, fails too.
/// </summary>
public class MatrixVectorTests
{
    private static readonly int[] InnerSizes = [0, 1, 7, 8, 15, 16, 17, 30, 33, 64, 65];

    private static readonly int[] RowCounts =
        [.. Enumerable.Range(1, 20), 31, 32, 33, 63, 64, 65, 127, 128, 129, 255, 256, 257];

    private readonly Harness _h = new(CpuBackend.Instance);

    /// <summary>Both kernel widths (Vector512 or not: the kernel type is internal) and both float types.</summary>
    public static TheoryData<bool, DType> KernelsAndTypes() => new()
    {
        { false, DType.Float32 }, { false, DType.Float64 }, { true, DType.Float32 }, { true, DType.Float64 },
    };

    /// <summary>How A lies in its storage.</summary>
    public enum Lie
    {
        /// <summary>Row-major, rows back to back.</summary>
        Contiguous,

        /// <summary>Row-major, rows further apart than k (a slice of a wider matrix).</summary>
        PaddedRows,

        /// <summary>Column-major (a transposed view).</summary>
        Transposed,

        /// <summary>Every other column of a wider matrix.</summary>
        Strided,
    }

    [Theory, MemberData(nameof(KernelsAndTypes))]
    public void RowMajorMatricesMatchTheReferenceForEveryRowCountAndInnerSize(bool vector512, DType dtype)
    {
        var rng = new System.Random(11);
        foreach (int m in RowCounts)
            foreach (int k in InnerSizes)
                Check(vector512, dtype, rng, m, k, Lie.Contiguous, xStep: 1, ldc: 1);
    }

    [Theory, MemberData(nameof(KernelsAndTypes))]
    public void PaddedTransposedAndStridedOperandsMatchTheReference(bool vector512, DType dtype)
    {
        var rng = new System.Random(12);
        foreach (var lie in Enum.GetValues<Lie>())
            foreach (int m in new[] { 1, 3, 4, 5, 9, 33, 257 })
                foreach (int k in InnerSizes)
                    foreach (var (xStep, ldc) in new[] { (1, 1), (3, 1), (1, 2), (5, 3) })
                        Check(vector512, dtype, rng, m, k, lie, xStep, ldc);
    }

    [Fact]
    public void AHandDerivedProductComesOutExactly()
    {
        // Row i of A is i + 1 everywhere (30 columns) and x = 0, 1, ..., 29 (sum 435): y[i] = 435 (i + 1), exact in
        // float32. 5 rows: one group of four and a last group moved back to rows 1..4.
        using var a = Tensor.From(Enumerable.Range(0, 5 * 30).Select(p => (float)(p / 30 + 1)).ToArray(), [5, 30]);
        using var x = Tensor.From(Enumerable.Range(0, 30).Select(p => (float)p).ToArray(), [30]);
        using var y = a.MatMul(x);
        Assert.Equal([5], y.Shape);
        Assert.Equal(new float[] { 435, 870, 1305, 1740, 2175 }, y.ToArray<float>());
    }

    private void Check(bool vector512, DType dtype, System.Random rng, int m, int k, Lie lie, int xStep, int ldc)
    {
        int offset = rng.Next(0, 3);
        var (rs, cs, lenA) = lie switch
        {
            Lie.Contiguous => (k, 1, m * k),
            Lie.PaddedRows => (k + 3, 1, m * (k + 3)),
            Lie.Transposed => (1, m, m * k),
            _ => (2 * k + 1, 2, m * (2 * k + 1)),
        };
        var la = new Layout([m, k], [rs, cs], offset);
        var lx = new Layout([k, 1], [xStep, 1], offset);
        var ld = new Layout([m, 1], [ldc, 1], offset);
        var a = _h.Random(dtype, offset + lenA + 1, rng);
        var x = _h.Random(dtype, offset + k * xStep + 1, rng);
        var d = _h.Random(dtype, offset + m * ldc + 1, rng);
        using (Backends.Cpu.Gemm.Override(vector512 ? GemmKernel.Vector512 : GemmKernel.Vector256))
            _h.Backend.MatMul(a.UnderTest, la, x.UnderTest, lx, d.UnderTest, ld);
        _h.Reference.MatMul(a.Expected, la, x.Expected, lx, d.Expected, ld);
        double eps = dtype == DType.Float32 ? 2e-5 : 1e-12;
        _h.AssertSame(d, $"MatVec {(vector512 ? 512 : 256)} {dtype} {m}x{k} ({lie}) @ {k}x1 (step {xStep}), ldc {ldc}",
            eps * 5, eps * (k + 1) * 10);
    }
}
