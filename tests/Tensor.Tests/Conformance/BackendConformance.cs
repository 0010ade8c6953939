using Tensors.Backends;
using Xunit;

namespace Tensors.Tests.Conformance;

/// <summary>
/// Every <see cref="IBackend"/> primitive against the reference backend on random shapes and layouts (permuted,
/// strided, offset, broadcast), for every dtype the primitive supports. Written once: a backend's test class
/// derives from this and supplies the backend (the CUDA backend's will too).
/// </summary>
public abstract partial class BackendConformance
{
    private const int Cases = 40;

    /// <summary>The backend under test.</summary>
    protected abstract IBackend Backend { get; }

    /// <summary>Tolerance for floating-point results of transcendental ops and reductions.</summary>
    protected virtual double FloatTolerance(DType dtype) => dtype == DType.Float32 ? 2e-5 : 1e-12;

    /// <summary>Relative and absolute tolerance for a reduction over <paramref name="count"/> elements of magnitude
    /// up to <paramref name="scale"/>. Float32 sums accumulate in float64 on both sides, so they agree to the last
    /// float32 bit (one ulp where the float64 sums straddle a rounding boundary); float64 sums differ by the CPU's
    /// rounding, a few eps times the sum of magnitudes.</summary>
    protected virtual (double Rtol, double Atol) ReduceTolerance(DType dtype, int count, double scale) =>
        dtype == DType.Float32 ? (1.2e-7, 1e-12) : (1e-12, 4.5e-16 * count * scale);

    private Harness H => new(Backend);

    protected static readonly UnaryOp[] Unaries = Enum.GetValues<UnaryOp>();
    protected static readonly BinaryOp[] Binaries = Enum.GetValues<BinaryOp>();

    public static IEnumerable<object[]> NumericTypes() =>
        new[] { DType.Float32, DType.Float64, DType.Int32, DType.Int64, DType.UInt8 }.Select(d => new object[] { d });

    public static IEnumerable<object[]> AllTypes() => Harness.DataTypes.Select(d => new object[] { d });

    public static IEnumerable<object[]> StorageTypes() => Harness.StorageTypes.Select(d => new object[] { d });

    [SkippableFact]
    public void HostTransfersRoundTripAtOffsets()
    {
        var rng = new System.Random(1);
        foreach (var dtype in Harness.StorageTypes)
        {
            var p = H.Random(dtype, 37, rng);
            var part = new byte[10 * dtype.ElementSize()];
            Backend.CopyToHost(p.UnderTest, 5, part);
            Assert.Equal(p.Host.AsSpan(5 * dtype.ElementSize(), part.Length).ToArray(), part);
            Backend.CopyFromHost(part, p.UnderTest, 20);
            Reference.CopyFromHost(part, p.Expected, 20);
            H.AssertSame(p, $"CopyFromHost {dtype}");
        }
    }

    private static IBackend Reference => Backends.Reference.ReferenceBackend.Instance;

    [SkippableTheory, MemberData(nameof(StorageTypes))]
    public void Fill(DType dtype)
    {
        var rng = new System.Random(2);
        for (int c = 0; c < Cases; c++)
        {
            var (layout, len) = Harness.RandomLayout(rng, Harness.RandomShape(rng), false);
            var d = H.Random(dtype, len, rng);
            double value = Math.Round(rng.NextDouble() * 10 - 5, 2);
            Backend.Fill(d.UnderTest, layout, value);
            Reference.Fill(d.Expected, layout, value);
            H.AssertSame(d, $"Fill {dtype} {layout}");
        }
    }

    [SkippableTheory, MemberData(nameof(StorageTypes))]
    public void CopyConvertsBetweenEveryPairOfTypes(DType from)
    {
        var rng = new System.Random(3);
        foreach (var to in Harness.StorageTypes)
            for (int c = 0; c < Cases / 2; c++)
            {
                var shape = Harness.RandomShape(rng);
                var (ls, lenS) = Harness.RandomLayout(rng, shape, true);
                var (ld, lenD) = Harness.RandomLayout(rng, shape, false);
                var s = H.Random(from, lenS, rng, -300, 300);
                var d = H.Random(to, lenD, rng);
                Backend.Copy(s.UnderTest, ls, d.UnderTest, ld);
                Reference.Copy(s.Expected, ls, d.Expected, ld);
                H.AssertSame(d, $"Copy {from}->{to} {ls} -> {ld}");
            }
    }

    /// <summary>The roundings of the 16-bit floats at their edges: ties at every exponent, half's subnormals and
    /// the values on both sides of its overflow to infinity, bfloat16's largest finite value, NaN and infinities,
    /// from float32 and float64 (rounded through float32) into every dtype, and those bit patterns back out.</summary>
    [SkippableFact]
    public void CopyRoundsTheEdgesOfTheSixteenBitFloats()
    {
        float P(int e) => MathF.ScaleB(1f, e);
        double[] edges = [1 + P(-11), 1 + 3 * P(-11), 1 + P(-11) + P(-20), 1 + P(-8), 1 + 3 * P(-8), 1 + P(-8) + P(-20), 65504, 65519.99,
            65520, 70000, P(-24), P(-25), P(-25) * 1.0001, 3 * P(-26), P(-14) - P(-25), 6.1e-5, 1e-8, 3.3895313892515355e38, 3.4e38,
            float.MaxValue, 1e-40, double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, -2.5, 127.5, -128.7, 255.9, 1e10,
            1 + Math.Pow(2, -11) + Math.Pow(2, -40), 33554432 + 131072 + 1];
        edges = [.. edges, .. edges.Select(x => -x)];
        var half = Enumerable.Range(0, 1 << 16).Where(i => i % 61 == 0 || (i & 0x7c00) is 0 or 0x7c00).Select(i => (double)BitConverter.UInt16BitsToHalf((ushort)i)).ToArray();
        var bf16 = Enumerable.Range(0, 1 << 16).Where(i => i % 67 == 0 || (i & 0x7f80) is 0 or 0x7f80).Select(i => (double)BFloat16.FromBits((ushort)i)).ToArray();
        foreach (var (from, values) in new[] { (DType.Float32, edges), (DType.Float64, edges), (DType.Half, half), (DType.BFloat16, bf16) })
            foreach (var to in Harness.StorageTypes)
            {
                var s = H.Upload(from, Harness.Encode(from, values));
                var d = H.Upload(to, new byte[values.Length * to.ElementSize()]);
                var l = Layout.Contiguous([values.Length]);
                Backend.Copy(s.UnderTest, l, d.UnderTest, l);
                Reference.Copy(s.Expected, l, d.Expected, l);
                H.AssertSame(d, $"Copy {from}->{to} of edge values");
            }
    }

    [SkippableFact]
    public void CopyTransposesLargeBlocks()
    {
        var rng = new System.Random(4);
        foreach (var (rows, cols) in new[] { (67, 45), (128, 128), (9, 300) })
        {
            var s = H.Random(DType.Float32, rows * cols, rng);
            var d = H.Random(DType.Float32, rows * cols, rng);
            var ls = new Layout([cols, rows], [1, cols], 0); // the transpose of a row-major [rows, cols]
            var ld = Layout.Contiguous([cols, rows]);
            Backend.Copy(s.UnderTest, ls, d.UnderTest, ld);
            Reference.Copy(s.Expected, ls, d.Expected, ld);
            H.AssertSame(d, $"transpose {rows}x{cols}");
        }
    }

    [SkippableTheory, MemberData(nameof(NumericTypes))]
    public void Unary(DType dtype)
    {
        var rng = new System.Random(5);
        foreach (var op in Unaries)
        {
            if (!Harness.Supports(op, dtype)) continue;
            for (int c = 0; c < Cases; c++)
            {
                var shape = Harness.RandomShape(rng);
                var (ls, lenS) = Harness.RandomLayout(rng, shape, true);
                var (ld, lenD) = Harness.RandomLayout(rng, shape, false);
                bool positive = op is UnaryOp.Sqrt or UnaryOp.Log;
                var s = H.Random(dtype, lenS, rng, positive ? 0.01 : -5, 5, nanRate: 0.05);
                var d = H.Random(dtype, lenD, rng);
                Backend.Unary(op, s.UnderTest, ls, d.UnderTest, ld);
                Reference.Unary(op, s.Expected, ls, d.Expected, ld);
                H.AssertSame(d, $"{op} {dtype} {ls} -> {ld}", FloatTolerance(dtype), FloatTolerance(dtype));
            }
        }
    }

    [SkippableTheory, MemberData(nameof(NumericTypes))]
    public void Binary(DType dtype)
    {
        var rng = new System.Random(6);
        foreach (var op in Binaries.Where(op => Harness.Supports(op, dtype)))
            for (int c = 0; c < Cases; c++)
            {
                var shape = Harness.RandomShape(rng);
                var (la, lenA) = Harness.RandomLayout(rng, shape, true);
                var (lb, lenB) = Harness.RandomLayout(rng, shape, true);
                var (ld, lenD) = Harness.RandomLayout(rng, shape, false);
                bool integer = !dtype.IsFloatingPoint();
                // Integer division by zero and negative integer powers are errors, not values.
                var (blo, bhi) = op switch
                {
                    BinaryOp.Pow => (integer ? 0.0 : -2.0, 3.0),
                    _ when integer && Harness.Divides(op) => (1.0, 5.0),
                    _ => (-5.0, 5.0),
                };
                var a = H.Random(dtype, lenA, rng, op == BinaryOp.Pow ? 0.1 : -5, 5, nanRate: 0.03);
                var b = H.Random(dtype, lenB, rng, blo, bhi, nanRate: 0.03);
                var d = H.Random(dtype, lenD, rng);
                Backend.Binary(op, a.UnderTest, la, b.UnderTest, lb, d.UnderTest, ld);
                Reference.Binary(op, a.Expected, la, b.Expected, lb, d.Expected, ld);
                H.AssertSame(d, $"{op} {dtype} {la}, {lb} -> {ld}", FloatTolerance(dtype), FloatTolerance(dtype));
            }
    }

    [SkippableTheory, MemberData(nameof(AllTypes))]
    public void Compare(DType dtype)
    {
        var rng = new System.Random(7);
        foreach (var op in Enum.GetValues<CompareOp>())
            for (int c = 0; c < Cases; c++)
            {
                var shape = Harness.RandomShape(rng);
                var (la, lenA) = Harness.RandomLayout(rng, shape, true);
                var (lb, lenB) = Harness.RandomLayout(rng, shape, true);
                var (ld, lenD) = Harness.RandomLayout(rng, shape, false);
                // Few distinct values, so equal pairs are common.
                var a = H.Random(dtype, lenA, rng, -2, 2, nanRate: 0.05);
                var b = H.Random(dtype, lenB, rng, -2, 2, nanRate: 0.05);
                if (dtype.IsFloatingPoint()) { a = Rounded(a, rng); b = Rounded(b, rng); }
                var d = H.Random(DType.Bool, lenD, rng);
                Backend.Compare(op, a.UnderTest, la, b.UnderTest, lb, d.UnderTest, ld);
                Reference.Compare(op, a.Expected, la, b.Expected, lb, d.Expected, ld);
                H.AssertSame(d, $"{op} {dtype} {la}, {lb} -> {ld}");
            }
    }

    private Harness.Pair Rounded(Harness.Pair p, System.Random rng)
    {
        var v = Harness.Decode(p.DType, p.Host).Select(x => double.IsNaN(x) ? x : Math.Round(x)).ToArray();
        return H.Upload(p.DType, Harness.Encode(p.DType, v));
    }

    [SkippableTheory, MemberData(nameof(AllTypes))]
    public void Where(DType dtype)
    {
        var rng = new System.Random(8);
        for (int c = 0; c < Cases; c++)
        {
            var shape = Harness.RandomShape(rng);
            var (lc, lenC) = Harness.RandomLayout(rng, shape, true);
            var (la, lenA) = Harness.RandomLayout(rng, shape, true);
            var (lb, lenB) = Harness.RandomLayout(rng, shape, true);
            var (ld, lenD) = Harness.RandomLayout(rng, shape, false);
            var cond = H.Random(DType.Bool, lenC, rng);
            var a = H.Random(dtype, lenA, rng);
            var b = H.Random(dtype, lenB, rng);
            var d = H.Random(dtype, lenD, rng);
            Backend.Where(cond.UnderTest, lc, a.UnderTest, la, b.UnderTest, lb, d.UnderTest, ld);
            Reference.Where(cond.Expected, lc, a.Expected, la, b.Expected, lb, d.Expected, ld);
            H.AssertSame(d, $"Where {dtype} -> {ld}");
        }
    }

    [SkippableTheory, MemberData(nameof(NumericTypes))]
    public void Reduce(DType dtype)
    {
        var rng = new System.Random(9);
        foreach (var op in Enum.GetValues<ReduceOp>())
            for (int c = 0; c < Cases; c++)
            {
                var shape = Harness.RandomShape(rng, 4, 6);
                bool arg = op is ReduceOp.ArgMax or ReduceOp.ArgMin;
                bool hasIdentity = op is ReduceOp.Sum or ReduceOp.Prod;
                if (shape.Length == 0 || (!hasIdentity && shape.Contains(0))) continue;
                int[] dims = arg
                    ? [rng.Next(shape.Length)]
                    : Enumerable.Range(0, shape.Length).Where(_ => rng.Next(2) == 0).ToArray();
                if (dims.Length == 0) dims = [rng.Next(shape.Length)];
                var keep = shape.Select((s, i) => dims.Contains(i) ? 1 : s).ToArray();
                var (ls, lenS) = Harness.RandomLayout(rng, shape, true);
                var (ld, lenD) = Harness.RandomLayout(rng, keep, false);
                // Products of many factors near 1 stay finite; nothing guarantees a product of floats is grouped alike.
                var s = op == ReduceOp.Prod
                    ? H.Random(dtype, lenS, rng, dtype.IsFloatingPoint() ? 0.5 : -4, dtype.IsFloatingPoint() ? 1.5 : 4, nanRate: 0.01)
                    : H.Random(dtype, lenS, rng, -4, 4, nanRate: op == ReduceOp.Sum ? 0 : 0.03);
                var d = H.Random(arg ? DType.Int64 : dtype, lenD, rng);
                Backend.Reduce(op, s.UnderTest, ls, dims, d.UnderTest, ld);
                Reference.Reduce(op, s.Expected, ls, dims, d.Expected, ld);
                int count = dims.Aggregate(1, (acc, i) => acc * shape[i]);
                var (rtol, atol) = op == ReduceOp.Prod ? ProdTolerance(dtype, count) : ReduceTolerance(dtype, count, 4);
                H.AssertSame(d, $"{op} over [{string.Join(",", dims)}] {dtype} {ls} -> {ld}", rtol, atol);
            }
    }

    /// <summary>A product of <paramref name="count"/> floats grouped differently is off by about one rounding per
    /// factor, relative to the result.</summary>
    private static (double Rtol, double Atol) ProdTolerance(DType dtype, int count) =>
        (count * (dtype == DType.Float32 ? 1.2e-7 : 2.3e-16), 1e-30);

    [SkippableFact]
    public void ReduceBool()
    {
        // Any and All are Max and Min over Bool; a Bool product is a logical and.
        var rng = new System.Random(14);
        foreach (var op in new[] { ReduceOp.Max, ReduceOp.Min, ReduceOp.Prod })
            for (int c = 0; c < Cases; c++)
            {
                var shape = Harness.RandomShape(rng, 4, 6);
                if (shape.Length == 0 || (op != ReduceOp.Prod && shape.Contains(0))) continue;
                int[] dims = Enumerable.Range(0, shape.Length).Where(_ => rng.Next(2) == 0).ToArray();
                if (dims.Length == 0) dims = [rng.Next(shape.Length)];
                var keep = shape.Select((s, i) => dims.Contains(i) ? 1 : s).ToArray();
                var (ls, lenS) = Harness.RandomLayout(rng, shape, true);
                var (ld, lenD) = Harness.RandomLayout(rng, keep, false);
                var s = H.Random(DType.Bool, lenS, rng);
                var d = H.Random(DType.Bool, lenD, rng);
                Backend.Reduce(op, s.UnderTest, ls, dims, d.UnderTest, ld);
                Reference.Reduce(op, s.Expected, ls, dims, d.Expected, ld);
                H.AssertSame(d, $"{op} over [{string.Join(",", dims)}] Bool {ls} -> {ld}");
            }
    }

    [SkippableTheory, MemberData(nameof(NumericTypes))]
    public void ReduceLargeTensorsToOneValue(DType dtype)
    {
        // Large enough for the per-core partial path; odd lengths leave uneven chunks.
        var rng = new System.Random(13);
        foreach (var n in new[] { (1 << 18) + 7, 1 << 19 })
            foreach (var op in new[] { ReduceOp.Sum, ReduceOp.Max, ReduceOp.Min, ReduceOp.Prod })
            {
                var ls = Layout.Contiguous([n], 3);
                // A long float product stays finite when its factors are 1 or -1.
                var s = op == ReduceOp.Prod && dtype.IsFloatingPoint() ? Signs(H, dtype, n + 3, rng) : H.Random(dtype, n + 3, rng, -1, 1);
                var d = H.Random(dtype, 1, rng);
                Backend.Reduce(op, s.UnderTest, ls, [0], d.UnderTest, Layout.Contiguous([1]));
                Reference.Reduce(op, s.Expected, ls, [0], d.Expected, Layout.Contiguous([1]));
                var (rtol, atol) = ReduceTolerance(dtype, n, 1);
                H.AssertSame(d, $"{op} of {n} {dtype}", rtol, atol);
            }
    }

    private static Harness.Pair Signs(Harness h, DType dtype, int n, System.Random rng) =>
        h.Upload(dtype, Harness.Encode(dtype, Enumerable.Range(0, n).Select(_ => rng.Next(2) == 0 ? -1.0 : 1.0).ToArray()));

    [SkippableTheory, MemberData(nameof(NumericTypes))]
    public void MatMul(DType dtype)
    {
        var rng = new System.Random(10);
        for (int c = 0; c < Cases; c++)
        {
            bool big = c % 8 == 0; // exercise the blocked GEMM and its edge tiles
            int m = rng.Next(big ? 30 : 1, big ? 90 : 9), k = rng.Next(big ? 30 : 0, big ? 300 : 9), n = rng.Next(big ? 20 : 1, big ? 70 : 9);
            var batch = Enumerable.Range(0, rng.Next(3)).Select(_ => rng.Next(1, 4)).ToArray();
            var (la, lenA) = Harness.RandomLayout(rng, [.. batch, m, k], true);
            var (lb, lenB) = Harness.RandomLayout(rng, [.. batch, k, n], true);
            var ld = Layout.Contiguous([.. batch, m, n]);
            var a = H.Random(dtype, lenA, rng);
            var b = H.Random(dtype, lenB, rng);
            var d = H.Random(dtype, ld.Numel, rng);
            Backend.MatMul(a.UnderTest, la, b.UnderTest, lb, d.UnderTest, ld);
            Reference.MatMul(a.Expected, la, b.Expected, lb, d.Expected, ld);
            H.AssertSame(d, $"MatMul {dtype} {la} @ {lb}", FloatTolerance(dtype) * 5, FloatTolerance(dtype) * k * 10);
        }
    }

    [SkippableTheory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void FillRandomMatchesTheCounterStream(DType dtype)
    {
        var rng = new System.Random(11);
        foreach (var kind in Enum.GetValues<RandomKind>())
            for (int c = 0; c < Cases / 4; c++)
            {
                var (ld, len) = Harness.RandomLayout(rng, Harness.RandomShape(rng), false);
                var d = H.Random(dtype, len, rng);
                ulong seed = (ulong)rng.Next(), counter = (ulong)rng.Next(1000);
                Backend.FillRandom(kind, seed, counter, d.UnderTest, ld);
                Reference.FillRandom(kind, seed, counter, d.Expected, ld);
                H.AssertSame(d, $"FillRandom {kind} {dtype}", FloatTolerance(dtype), FloatTolerance(dtype));
            }
    }
}

/// <summary>The managed SIMD backend held to the reference.</summary>
public sealed class CpuBackendConformance : BackendConformance
{
    protected override IBackend Backend => Backends.Cpu.CpuBackend.Instance;
}
