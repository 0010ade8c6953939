using Tensors.Backends;
using Tensors.Backends.Cpu;
using Xunit;

namespace Tensors.Tests.Conformance;

/// <summary>
/// The contiguous SIMD paths at every length 0..256 (every vector tail) and at misaligned starting offsets,
/// against the reference. Random layouts rarely hit these exact lengths, so they get their own sweep.
/// </summary>
public class SimdTailTests
{
    private static readonly Harness H = new(CpuBackend.Instance);
    private static readonly IBackend Ref = Backends.Reference.ReferenceBackend.Instance;
    private static readonly int[] Offsets = [0, 1, 3];

    public static IEnumerable<object[]> FloatTypes() => [[DType.Float32], [DType.Float64]];

    private static IEnumerable<(int N, int Offset, Layout Layout)> Runs()
    {
        for (int n = 0; n <= 256; n++)
            foreach (var o in Offsets)
                yield return (n, o, Layout.Contiguous([n], o));
    }

    [Theory, MemberData(nameof(Conformance.BackendConformance.NumericTypes), MemberType = typeof(Conformance.BackendConformance))]
    public void UnaryAndBinaryAtEveryLength(DType dtype)
    {
        var rng = new System.Random(20);
        double tol = dtype == DType.Float32 ? 2e-6 : 1e-14;
        bool integer = !dtype.IsFloatingPoint();
        foreach (var (n, o, l) in Runs())
        {
            var a = H.Random(dtype, n + o, rng, integer ? -9 : 0.05, integer ? 9 : 4);
            // Integer divisors and exponents stay positive: zero divisors and negative powers are refused upstream.
            var b = H.Random(dtype, n + o, rng, integer ? 1 : -3, 3);
            foreach (var op in Enum.GetValues<UnaryOp>().Where(op => Harness.Supports(op, dtype)))
            {
                var d = H.Random(dtype, n + o, rng);
                CpuBackend.Instance.Unary(op, a.UnderTest, l, d.UnderTest, l);
                Ref.Unary(op, a.Expected, l, d.Expected, l);
                H.AssertSame(d, $"{op} n={n} offset={o}", tol, tol);
            }
            foreach (var op in Enum.GetValues<BinaryOp>().Where(op => Harness.Supports(op, dtype)))
            {
                // Contiguous with contiguous, and with a broadcast scalar on either side.
                var scalar = new Layout([n], [0], o);
                foreach (var (la, lb) in new[] { (l, l), (l, scalar), (scalar, l) })
                {
                    var d = H.Random(dtype, n + o, rng);
                    CpuBackend.Instance.Binary(op, a.UnderTest, la, b.UnderTest, lb, d.UnderTest, l);
                    Ref.Binary(op, a.Expected, la, b.Expected, lb, d.Expected, l);
                    H.AssertSame(d, $"{op} n={n} offset={o} strides {la.Strides[0]},{lb.Strides[0]}", tol, tol);
                }
            }
        }
    }

    [Theory, MemberData(nameof(Conformance.BackendConformance.AllTypes), MemberType = typeof(Conformance.BackendConformance))]
    public void CompareWhereAndCastAtEveryLength(DType dtype)
    {
        var rng = new System.Random(21);
        foreach (var (n, o, l) in Runs())
        {
            var a = H.Random(dtype, n + o, rng, -2, 2);
            var b = H.Random(dtype, n + o, rng, -2, 2);
            // Contiguous, and with a broadcast scalar on either side (ReLU's backward: Where(y <= 0, 0, g)).
            var scalar = new Layout([n], [0], o);
            foreach (var op in Enum.GetValues<CompareOp>())
                foreach (var (la, lb) in new[] { (l, l), (scalar, l), (l, scalar) })
                {
                    var d = H.Random(DType.Bool, n + o, rng);
                    CpuBackend.Instance.Compare(op, a.UnderTest, la, b.UnderTest, lb, d.UnderTest, l);
                    Ref.Compare(op, a.Expected, la, b.Expected, lb, d.Expected, l);
                    H.AssertSame(d, $"{op} {dtype} n={n} offset={o} strides {la.Strides[0]},{lb.Strides[0]}");
                }
            var c = H.Random(DType.Bool, n + o, rng);
            foreach (var (la, lb) in new[] { (l, l), (scalar, l), (l, scalar) })
            {
                var w = H.Random(dtype, n + o, rng);
                CpuBackend.Instance.Where(c.UnderTest, l, a.UnderTest, la, b.UnderTest, lb, w.UnderTest, l);
                Ref.Where(c.Expected, l, a.Expected, la, b.Expected, lb, w.Expected, l);
                H.AssertSame(w, $"Where {dtype} n={n} offset={o} strides {la.Strides[0]},{lb.Strides[0]}");
            }
            var f = H.Random(DType.Float32, n + o, rng);
            CpuBackend.Instance.Copy(a.UnderTest, l, f.UnderTest, l);
            Ref.Copy(a.Expected, l, f.Expected, l);
            H.AssertSame(f, $"cast {dtype}->float32 n={n} offset={o}");
        }
    }

    [Theory, MemberData(nameof(FloatTypes))]
    public void ReductionsAtEveryLength(DType dtype)
    {
        var rng = new System.Random(22);
        foreach (var (n, o, l) in Runs())
        {
            if (n == 0) continue;
            var s = H.Random(dtype, n + o, rng, -4, 4, nanRate: n % 17 == 0 ? 0.05 : 0);
            // Products stay finite with factors near 1; each factor may round differently in another grouping.
            var near1 = H.Random(dtype, n + o, rng, 0.5, 1.5, nanRate: n % 17 == 0 ? 0.05 : 0);
            foreach (var op in Enum.GetValues<ReduceOp>())
            {
                var d = H.Random(op is ReduceOp.ArgMax or ReduceOp.ArgMin ? DType.Int64 : dtype, 1, rng);
                var ld = Layout.Contiguous([1]);
                var x = op == ReduceOp.Prod ? near1 : s;
                CpuBackend.Instance.Reduce(op, x.UnderTest, l, [0], d.UnderTest, ld);
                Ref.Reduce(op, x.Expected, l, [0], d.Expected, ld);
                double tol = dtype == DType.Float32 ? 1e-5 : 1e-12;
                if (op == ReduceOp.Prod) H.AssertSame(d, $"Prod n={n} offset={o}", n * (dtype == DType.Float32 ? 1.2e-7 : 2.3e-16), 0);
                else H.AssertSame(d, $"{op} n={n} offset={o}", tol, tol * n);
            }
        }
    }
    /// <summary>ArgMax and ArgMin along an outer dim ([K, n], reduced over K): the kernel compares a vector of the n
    /// results at a time, so every n from 1 to 40 (whole vectors and tails), with ties (values on a coarse grid, so
    /// the first maximum must win) and NaNs (the first NaN wins), in every 4- and 8-byte type.</summary>
    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    [InlineData(DType.Int32)]
    [InlineData(DType.Int64)]
    public void ArgReductionsAlongAnOuterDimMatchTheReference(DType dtype)
    {
        var rng = new System.Random(23);
        foreach (int k in new[] { 1, 2, 5, 9 })
            for (int n = 1; n <= 40; n++)
            {
                var l = Layout.Contiguous([k, n]);
                var x = H.Random(dtype, k * n, rng, -2, 2, nanRate: dtype.IsFloatingPoint() && n % 3 == 0 ? 0.1 : 0);
                foreach (var op in new[] { ReduceOp.ArgMax, ReduceOp.ArgMin })
                {
                    var d = H.Random(DType.Int64, n, rng);
                    var ld = Layout.Contiguous([1, n]);
                    CpuBackend.Instance.Reduce(op, x.UnderTest, l, [0], d.UnderTest, ld);
                    Ref.Reduce(op, x.Expected, l, [0], d.Expected, ld);
                    H.AssertSame(d, $"{op} {dtype} [{k}, {n}]");
                }
            }
    }
}
