using Tensors.Backends;
using Tensors.Backends.Cpu;
using Xunit;

namespace Tensors.Tests.Conformance;

/// <summary>
/// Copies and binary ops whose contiguous runs are short (1 to 20 elements, i.e. up to and past the 64-byte limit of
/// the short-run kernels, for element sizes 1 to 8) between rows with gaps, against the reference: every run length
/// meets each of the kernels' head/tail sizes, and the large cases split across cores. Random layouts rarely give
/// unit-stride runs of exactly these lengths in several rows, so they get their own sweep.
/// </summary>
public class ShortRunTests
{
    private static readonly Harness H = new(CpuBackend.Instance);
    private static readonly IBackend Ref = Backends.Reference.ReferenceBackend.Instance;

    public static IEnumerable<object[]> StorageTypes() => Harness.StorageTypes.Select(d => new object[] { d });

    // [outer, rows, n] with rows `gap` elements apart, from `offset`: the last dim is a run of n, `step` apart.
    private static Layout Rows(int outer, int rows, int n, int gap, int offset, int step = 1) =>
        new([outer, rows, n], [rows * (n * step + gap), n * step + gap, step], offset);

    private static IEnumerable<(int Outer, int Rows, int N)> Shapes()
    {
        for (int n = 1; n <= 20; n++)
            foreach (var (outer, rows) in new[] { (1, 1), (1, 5), (3, 7) })
                yield return (outer, rows, n);
        yield return (1400, 7, 7);    // im2col's 7-pixel rows, enough of them to split across cores
        yield return (1100, 4, 16);
    }

    [Theory, MemberData(nameof(StorageTypes))]
    public void CopiesOfShortRunsMatchTheReference(DType dtype)
    {
        var rng = new System.Random(31);
        foreach (var (outer, rows, n) in Shapes())
            foreach (int step in new[] { 1, 2, 3 })   // the source's step: a stride-2 or 3 convolution's windows
            {
                int gapS = rng.Next(0, 4), gapD = 1 + rng.Next(0, 3), offS = rng.Next(0, 3), offD = rng.Next(0, 3);
                Layout ls = Rows(outer, rows, n, gapS, offS, step), ld = Rows(outer, rows, n, gapD, offD);
                var s = H.Random(dtype, offS + outer * rows * (n * step + gapS), rng, -9, 9);
                var d = H.Random(dtype, offD + outer * rows * (n + gapD), rng, -9, 9);
                CpuBackend.Instance.Copy(s.UnderTest, ls, d.UnderTest, ld);
                Ref.Copy(s.Expected, ls, d.Expected, ld);
                // The gaps between the destination's rows must keep their values.
                H.AssertSame(d, $"copy {dtype} [{outer}, {rows}, {n}] step {step} gaps {gapS}/{gapD} offsets {offS}/{offD}");
            }
    }

    [Theory, MemberData(nameof(Conformance.BackendConformance.NumericTypes), MemberType = typeof(Conformance.BackendConformance))]
    public void BinaryOpsOnShortRunsMatchTheReference(DType dtype)
    {
        var rng = new System.Random(32);
        double tol = dtype == DType.Float32 ? 2e-6 : 1e-14;
        bool integer = !dtype.IsFloatingPoint();
        foreach (var (outer, rows, n) in Shapes())
            // Storage for each layout plus one element (a step-0 layout from offset 1 or 2 reads that far). Steps of
            // the destination, a and b: unit (vector forms), a broadcast (per-channel) operand on either side
            // (vector forms too), col2im's stride 2, strided and broadcast.
            foreach (var (sd, sa, sb) in new[] { (1, 1, 1), (1, 1, 0), (1, 0, 1), (2, 2, 1), (1, 2, 0) })
            {
                int gapA = rng.Next(0, 3), gapB = rng.Next(0, 3), gapD = 1 + rng.Next(0, 2);
                Layout la = Rows(outer, rows, n, gapA, 1, sa), lb = Rows(outer, rows, n, gapB, 2, sb), ld = Rows(outer, rows, n, gapD, 0, sd);
                var a = H.Random(dtype, 2 + outer * rows * (n * sa + gapA), rng, integer ? -9 : 0.05, integer ? 9 : 4);
                var b = H.Random(dtype, 3 + outer * rows * (n * sb + gapB), rng, integer ? 1 : -3, 3);
                string what = $"{dtype} [{outer}, {rows}, {n}] steps {sd}/{sa}/{sb} gaps {gapA}/{gapB}/{gapD}";
                foreach (var op in Enum.GetValues<BinaryOp>().Where(op => Harness.Supports(op, dtype)))
                {
                    var d = H.Random(dtype, outer * rows * (n * sd + gapD), rng);
                    CpuBackend.Instance.Binary(op, a.UnderTest, la, b.UnderTest, lb, d.UnderTest, ld);
                    Ref.Binary(op, a.Expected, la, b.Expected, lb, d.Expected, ld);
                    H.AssertSame(d, $"{op} {what}", tol, tol);
                }
                // In place (col2im's Add_): the destination is the first operand.
                var acc = H.Random(dtype, outer * rows * (n * sd + gapD), rng);
                CpuBackend.Instance.Binary(BinaryOp.Add, acc.UnderTest, ld, b.UnderTest, lb, acc.UnderTest, ld);
                Ref.Binary(BinaryOp.Add, acc.Expected, ld, b.Expected, lb, acc.Expected, ld);
                H.AssertSame(acc, $"in-place Add {what}", tol, tol);
            }
    }
}
