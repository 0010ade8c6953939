using Tensors.Backends;
using Xunit;

namespace Tensors.Tests.Conformance;

// Scan and Sort against the reference: random shapes and layouts, every dtype, and rows of lengths around the CUDA
// kernels' block (256) and shared-memory (1024) sizes.
public abstract partial class BackendConformance
{
    private static readonly int[] RowLengths = [1, 2, 31, 32, 33, 255, 256, 257, 1023, 1024, 1025, 2100];

    // A random shape with dim `dim` of the given length (a few rows, so long rows stay cheap).
    private static int[] ShapeWithRow(System.Random rng, int length, out int dim)
    {
        var shape = Harness.RandomShape(rng, 3, length > 64 ? 2 : 4);
        dim = rng.Next(shape.Length + 1);
        return [.. shape[..dim], length, .. shape[dim..]];
    }

    private IEnumerable<(int[] Shape, int Dim)> ScanShapes(System.Random rng)
    {
        for (int c = 0; c < Cases; c++)
        {
            var shape = Harness.RandomShape(rng, 4, 6);
            if (shape.Length == 0) continue;
            yield return (shape, rng.Next(shape.Length));
        }
        foreach (var length in RowLengths)
        {
            var shape = ShapeWithRow(rng, length, out int dim);
            yield return (shape, dim);
        }
    }

    [SkippableTheory, MemberData(nameof(AllTypes))]
    public void Scan(DType dtype)
    {
        var rng = new System.Random(15);
        foreach (var op in Enum.GetValues<ScanOp>())
            foreach (var (shape, dim) in ScanShapes(rng))
            {
                var (ls, lenS) = Harness.RandomLayout(rng, shape, true);
                var (ld, lenD) = Harness.RandomLayout(rng, shape, false);
                bool prod = op == ScanOp.Prod && dtype.IsFloatingPoint();
                var s = H.Random(dtype, lenS, rng, prod ? 0.5 : -4, prod ? 1.5 : 4, nanRate: 0.01);
                var d = H.Random(dtype, lenD, rng);
                Backend.Scan(op, s.UnderTest, ls, dim, d.UnderTest, ld);
                Reference.Scan(op, s.Expected, ls, dim, d.Expected, ld);
                var (rtol, atol) = op == ScanOp.Prod ? ProdTolerance(dtype, shape[dim]) : ReduceTolerance(dtype, shape[dim], 4);
                H.AssertSame(d, $"Scan {op} dim {dim} {dtype} {ls} -> {ld}", rtol, atol);
            }
    }

    [SkippableTheory, MemberData(nameof(AllTypes))]
    public void Sort(DType dtype)
    {
        var rng = new System.Random(16);
        foreach (bool descending in new[] { false, true })
            foreach (var (shape, dim) in ScanShapes(rng))
            {
                var (ls, lenS) = Harness.RandomLayout(rng, shape, true);
                var (lv, lenV) = Harness.RandomLayout(rng, shape, false);
                var (li, lenI) = Harness.RandomLayout(rng, shape, false);
                // Few distinct values, so that ties (and NaNs) test stability.
                var s = H.Upload(dtype, Harness.Encode(dtype, Enumerable.Range(0, lenS)
                    .Select(_ => dtype.IsFloatingPoint() && rng.Next(20) == 0 ? double.NaN : rng.Next(dtype == DType.Bool ? 2 : 6) - (dtype is DType.UInt8 or DType.Bool ? 0 : 3) + (dtype.IsFloatingPoint() ? 0.5 : 0))
                    .ToArray()));
                var v = H.Random(dtype, lenV, rng);
                var i = H.Random(DType.Int64, lenI, rng);
                Backend.Sort(s.UnderTest, ls, dim, descending, v.UnderTest, lv, i.UnderTest, li);
                Reference.Sort(s.Expected, ls, dim, descending, v.Expected, lv, i.Expected, li);
                string what = $"Sort dim {dim} descending {descending} {dtype} {ls}";
                H.AssertSame(v, what + " values");
                H.AssertSame(i, what + " indices");
            }
    }
}
