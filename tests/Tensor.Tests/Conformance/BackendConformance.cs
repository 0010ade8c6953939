using Tensors.Backends;
using Xunit;

namespace Tensors.Tests.Conformance;

/// <summary>
/// Every <see cref="IBackend"/> primitive against the reference backend on random shapes and layouts (permuted,
/// strided, offset, broadcast), for every dtype the primitive supports. Written once: a backend's test class
/// derives from this and supplies the backend (the CUDA backend's will too).
/// </summary>
public abstract class BackendConformance
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
                if (shape.Length == 0 || (op != ReduceOp.Sum && shape.Contains(0))) continue;
                int[] dims = arg
                    ? [rng.Next(shape.Length)]
                    : Enumerable.Range(0, shape.Length).Where(_ => rng.Next(2) == 0).ToArray();
                if (dims.Length == 0) dims = [rng.Next(shape.Length)];
                var keep = shape.Select((s, i) => dims.Contains(i) ? 1 : s).ToArray();
                var (ls, lenS) = Harness.RandomLayout(rng, shape, true);
                var (ld, lenD) = Harness.RandomLayout(rng, keep, false);
                var s = H.Random(dtype, lenS, rng, -4, 4, nanRate: op == ReduceOp.Sum ? 0 : 0.03);
                var d = H.Random(arg ? DType.Int64 : dtype, lenD, rng);
                Backend.Reduce(op, s.UnderTest, ls, dims, d.UnderTest, ld);
                Reference.Reduce(op, s.Expected, ls, dims, d.Expected, ld);
                int count = dims.Aggregate(1, (acc, i) => acc * shape[i]);
                var (rtol, atol) = ReduceTolerance(dtype, count, 4);
                H.AssertSame(d, $"{op} over [{string.Join(",", dims)}] {dtype} {ls} -> {ld}", rtol, atol);
            }
    }

    [SkippableTheory, MemberData(nameof(NumericTypes))]
    public void ReduceLargeTensorsToOneValue(DType dtype)
    {
        // Large enough for the per-core partial path; odd lengths leave uneven chunks.
        var rng = new System.Random(13);
        foreach (var n in new[] { (1 << 18) + 7, 1 << 19 })
            foreach (var op in new[] { ReduceOp.Sum, ReduceOp.Max, ReduceOp.Min })
            {
                var ls = Layout.Contiguous([n], 3);
                var s = H.Random(dtype, n + 3, rng, -1, 1);
                var d = H.Random(dtype, 1, rng);
                Backend.Reduce(op, s.UnderTest, ls, [0], d.UnderTest, Layout.Contiguous([1]));
                Reference.Reduce(op, s.Expected, ls, [0], d.Expected, Layout.Contiguous([1]));
                var (rtol, atol) = ReduceTolerance(dtype, n, 1);
                H.AssertSame(d, $"{op} of {n} {dtype}", rtol, atol);
            }
    }

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

    [SkippableTheory, MemberData(nameof(AllTypes))]
    public void IndexSelect(DType dtype)
    {
        var rng = new System.Random(12);
        for (int c = 0; c < Cases; c++)
        {
            var shape = Harness.RandomShape(rng, 4, 5).Select(s => Math.Max(s, 1)).ToArray();
            if (shape.Length == 0) continue;
            int dim = c % 3 == 0 ? 0 : rng.Next(shape.Length);
            var indices = Enumerable.Range(0, rng.Next(0, 7)).Select(_ => rng.Next(shape[dim])).ToArray();
            var outShape = shape.ToArray();
            outShape[dim] = indices.Length;
            // Contiguous layouts take the row-copy path, random ones the general path.
            var (ls, lenS) = c % 2 == 0 ? (Layout.Contiguous(shape), Layout.ShapeNumel(shape)) : Harness.RandomLayout(rng, shape, true);
            var (ld, lenD) = c % 2 == 0 ? (Layout.Contiguous(outShape), Layout.ShapeNumel(outShape)) : Harness.RandomLayout(rng, outShape, false);
            var s = H.Random(dtype, Math.Max(lenS, 1), rng);
            var d = H.Random(dtype, Math.Max(lenD, 1), rng);
            Backend.IndexSelect(s.UnderTest, ls, dim, indices, d.UnderTest, ld);
            Reference.IndexSelect(s.Expected, ls, dim, indices, d.Expected, ld);
            H.AssertSame(d, $"IndexSelect dim {dim} [{string.Join(",", indices)}] {ls} -> {ld}");
        }
    }

    [SkippableTheory, MemberData(nameof(AllTypes))]
    public void IndexAddAccumulatesRepeatedIndices(DType dtype)
    {
        var rng = new System.Random(13);
        for (int c = 0; c < Cases; c++)
        {
            var shape = Harness.RandomShape(rng, 4, 5).Select(s => Math.Max(s, 1)).ToArray();
            if (shape.Length == 0) continue;
            int dim = c % 3 == 0 ? 0 : rng.Next(shape.Length);
            // More indices than entries, from a small range: repeats are the rule, not the exception.
            var indices = Enumerable.Range(0, rng.Next(0, 9)).Select(_ => rng.Next(shape[dim])).ToArray();
            var sourceShape = shape.ToArray();
            sourceShape[dim] = indices.Length;
            // Contiguous layouts take the row path, random ones (broadcast sources included) the general path.
            var (ls, lenS) = c % 2 == 0 ? (Layout.Contiguous(sourceShape), Layout.ShapeNumel(sourceShape)) : Harness.RandomLayout(rng, sourceShape, true);
            var (ld, lenD) = c % 2 == 0 ? (Layout.Contiguous(shape), Layout.ShapeNumel(shape)) : Harness.RandomLayout(rng, shape, false);
            var s = H.Random(dtype, Math.Max(lenS, 1), rng);
            var d = H.Random(dtype, Math.Max(lenD, 1), rng);
            Backend.IndexAdd(s.UnderTest, ls, dim, indices, d.UnderTest, ld);
            Reference.IndexAdd(s.Expected, ls, dim, indices, d.Expected, ld);
            H.AssertSame(d, $"IndexAdd {dtype} dim {dim} [{string.Join(",", indices)}] {ls} -> {ld}", FloatTolerance(dtype), FloatTolerance(dtype));
        }
    }

    [SkippableFact]
    public void IndexAddMatchesHandValues()
    {
        // destination [3, 2] = 0; rows 0, 1, 2 of the source go to rows 2, 0, 2: row 2 gets rows 0 and 2 summed.
        var s = H.Upload(DType.Float32, Harness.Encode(DType.Float32, [1, 2, 3, 4, 5, 6]));
        var d = H.Upload(DType.Float32, Harness.Encode(DType.Float32, [0, 0, 0, 0, 10, 20]));
        Backend.IndexAdd(s.UnderTest, Layout.Contiguous([3, 2]), 0, [2, 0, 2], d.UnderTest, Layout.Contiguous([3, 2]));
        var bytes = new byte[6 * 4];
        Backend.CopyToHost(d.UnderTest, 0, bytes);
        Assert.Equal([3.0, 4, 0, 0, 16, 28], Harness.Decode(DType.Float32, bytes));
        // Bool accumulates as a logical or.
        var bs = H.Upload(DType.Bool, [1, 1, 0]);
        var bd = H.Upload(DType.Bool, [0, 1]);
        Backend.IndexAdd(bs.UnderTest, Layout.Contiguous([3]), 0, [0, 0, 1], bd.UnderTest, Layout.Contiguous([2]));
        var bb = new byte[2];
        Backend.CopyToHost(bd.UnderTest, 0, bb);
        Assert.Equal([1, 1], bb);
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
