using FsCheck;
using FsCheck.Fluent;
using Tensors.Backends;
using Tensors.Backends.Reference;
using Xunit;

namespace Tensors.Tests.Properties;

/// <summary>
/// Properties at PyTorch's edges: in-place ops between views of one storage, 0-d and empty tensors through every
/// elementwise op and reduction (shapes against a plain model of PyTorch's rules, values against the reference
/// backend), and int64 values beyond float32's (2^24) and float64's (2^53) exact range.
/// </summary>
// The reference backend is served as a device through the registry, which other classes in this collection also use.
[Collection(nameof(BackendRegistry))]
public class EdgeProperties
{
    // ------------------------------------------------------------------ overlapping in-place views

    /// <summary>A view of a [Rows, Cols] storage: rows r0, r0+sr, ... and cols c0, c0+sc, ..., maybe transposed, or
    /// (Scalar) the single element (r0, c0).</summary>
    public sealed record ViewSpec(int R0, int Sr, int C0, int Sc, bool Transposed, bool Scalar)
    {
        public Tensor Of(Tensor base2d, int p, int q)
        {
            if (Scalar) return base2d.Select(0, R0).Select(0, C0);
            var (h, w) = Transposed ? (q, p) : (p, q);
            var v = base2d.Slice(0, R0, R0 + (h - 1) * Sr + 1, Sr).Slice(1, C0, C0 + (w - 1) * Sc + 1, Sc);
            return Transposed ? v.T : v;
        }
    }

    private static Gen<ViewSpec> View(int rows, int cols, int p, int q) =>
        from transposed in Gen.Elements(false, true)
        let h = transposed ? q : p
        let w = transposed ? p : q
        from sr in Gen.Choose(1, 2).Where(s => (h - 1) * s < rows)
        from sc in Gen.Choose(1, 2).Where(s => (w - 1) * s < cols)
        from r0 in Gen.Choose(0, rows - 1 - (h - 1) * sr)
        from c0 in Gen.Choose(0, cols - 1 - (w - 1) * sc)
        from scalar in Gen.Elements(false, false, false, false, true)
        select new ViewSpec(r0, sr, c0, sc, transposed, scalar);

    /// <summary>A storage shape, the destination's shape (p, q), the two views and the op; the source is the same
    /// view as the destination now and then (full overlap, which PyTorch allows).</summary>
    private static Gen<(int Rows, int Cols, int P, int Q, ViewSpec Dest, ViewSpec Source, int Op)> ViewPairs() =>
        from rows in Gen.Choose(1, 6)
        from cols in Gen.Choose(1, 6)
        from p in Gen.Choose(1, Math.Min(rows, cols))
        from q in Gen.Choose(1, Math.Min(rows, cols))
        from dest in View(rows, cols, p, q).Where(v => !v.Scalar)
        from other in View(rows, cols, p, q)
        from same in Gen.Elements(false, false, false, true)
        from op in Gen.Choose(0, 3)
        select (rows, cols, p, q, dest, same ? dest : other, op);

    private static readonly Func<Tensor, Tensor, Tensor>[] InPlaceOps = [(a, b) => a.Add_(b), (a, b) => a.Sub_(b), (a, b) => a.Mul_(b), (a, b) => a.Div_(b)];

    /// <summary>The storage offsets a view reads, from its public shape, strides and offset.</summary>
    private static long[] Offsets(Tensor t)
    {
        var offsets = new List<long> { t.StorageOffset };
        for (int d = 0; d < t.Rank; d++)
            offsets = offsets.SelectMany(o => Enumerable.Range(0, t.Shape[d]).Select(i => o + (long)i * t.Strides[d])).ToList();
        return offsets.ToArray();
    }

    private static bool SameLayout(Tensor a, Tensor b) =>
        a.StorageOffset == b.StorageOffset && a.Shape.SequenceEqual(b.Shape) && a.Strides.SequenceEqual(b.Strides);

    /// <summary>Runs dest op= source on views of one storage, unless <paramref name="runPartial"/> is false and the views
    /// partially overlap (share elements without being the same view). Returns the storage after the op (null when
    /// the op threw the overlap error or was not run), the storage computed on clones, and whether they partially
    /// overlap.</summary>
    private static (float[]? Actual, float[] Expected, bool Partial) RunOnViews(
        (int Rows, int Cols, int P, int Q, ViewSpec Dest, ViewSpec Source, int Op) c, bool runPartial)
    {
        var values = Enumerable.Range(0, c.Rows * c.Cols).Select(i => (float)(i % 7 + 1)).ToArray();
        using var storage = Tensor.From(values, c.Rows, c.Cols);
        using var dest = c.Dest.Of(storage, c.P, c.Q);
        using var source = c.Source.Of(storage, c.P, c.Q);
        var destOffsets = Offsets(dest);
        bool partial = !SameLayout(dest, source) && destOffsets.Intersect(Offsets(source)).Any();

        // The answer as if the source had been copied out first.
        using var expectedDest = dest.Clone();
        using (var sourceCopy = source.Clone()) InPlaceOps[c.Op](expectedDest, sourceCopy);
        var expected = values.ToArray();
        var computed = expectedDest.ToArray<float>();
        for (int i = 0; i < destOffsets.Length; i++) expected[destOffsets[i]] = computed[i];
        if (partial && !runPartial) return (null, expected, partial);

        try { InPlaceOps[c.Op](dest, source); }
        catch (InvalidOperationException e) when (e.Message.Contains("overlap", StringComparison.OrdinalIgnoreCase))
        {
            return (null, expected, partial);
        }
        return (storage.ToArray<float>(), expected, partial);
    }

    [Fact]
    public void InPlaceOpsOnDisjointOrIdenticalViewsEqualTheResultOnClones()
    {
        TestUtil.Check(ViewPairs(), c =>
        {
            var (actual, expected, partial) = RunOnViews(c, runPartial: false);
            if (partial) return true; // the next property holds these
            Assert.True(actual is not null, $"{c}: refused as overlapping, but the views are disjoint or identical");
            Assert.Equal(expected, actual);
            return true;
        }, maxTest: 300);
    }

    [Fact]
    public void InPlaceOpsOnPartiallyOverlappingViewsThrowTheOverlapErrorOrEqualTheResultOnClones()
    {
        // PyTorch refuses the partial overlaps it can see (both views dense: "unsupported operation: some elements of
        // the input tensor and the written-to tensor refer to a single memory location"); for strided views it
        // does not look and may silently return an order-dependent result. We ask for no silent wrong answer:
        // the overlap error (an InvalidOperationException naming "overlap"), or the result as if the source had been
        // copied out first. Any other exception fails.
        TestUtil.Check(ViewPairs(), c =>
        {
            var (actual, expected, partial) = RunOnViews(c, runPartial: true);
            if (!partial || actual is null) return true;
            Assert.True(expected.SequenceEqual(actual),
                $"{c}: the views partially overlap and the op returned [{string.Join(", ", actual)}]; copying the source out first gives [{string.Join(", ", expected)}]");
            return true;
        }, maxTest: 300);
    }

    [Fact]
    public void InPlaceIntoAnExpandedViewWithNoElementsIsANoOp()
    {
        using var t = Tensor.From([1f, 2f, 3f], 1, 3);
        using var e = t.Expand(0, 3);
        using var one = Tensor.Ones(3);
        e.Add_(one);
        e.Mul_(2.0);
        Assert.Equal([0, 3], e.Shape);
        Assert.Equal([1f, 2f, 3f], t.ToArray<float>());
    }

    // ------------------------------------------------------------------ 0-d and empty tensors

    private static readonly DType[] NumericTypes = [DType.Float32, DType.Float64, DType.Int32, DType.Int64];

    private static Tensor Values(int[] shape, DType dtype, int seed)
    {
        var rng = new System.Random(seed);
        int n = shape.Aggregate(1, (a, b) => a * b);
        var v = Enumerable.Range(0, n).Select(_ => dtype.IsFloatingPoint() ? Math.Round(rng.NextDouble() * 6 - 3, 2) : rng.Next(-3, 4)).ToArray();
        using var t = Tensor.From(v, shape);
        return t.To(dtype);
    }

    /// <summary>Shapes with 0-d and size-0 dims in good supply.</summary>
    private static Gen<int[]> EdgeShape() =>
        Gen.Frequency((1, Gen.Constant(Array.Empty<int>())), (3, Shapes.Shape(4, 3)),
            (2, Shapes.Shape(3, 3).Select(s => s.Length == 0 ? [0] : s.Select((v, i) => i == 0 ? 0 : v).ToArray())));

    private static readonly (string Name, Func<Tensor, Tensor> Op)[] Unary =
    [
        ("Neg", x => x.Neg()), ("Abs", x => x.Abs()), ("Relu", x => x.Relu()), ("Sqrt", x => x.Sqrt()), ("Exp", x => x.Exp()),
        ("Log", x => x.Log()), ("Sigmoid", x => x.Sigmoid()), ("Tanh", x => x.Tanh()), ("Clamp", x => x.Clamp(-1, 1)),
    ];

    private static readonly (string Name, Func<Tensor, Tensor, Tensor> Op)[] Binary =
    [
        ("Add", (a, b) => a + b), ("Sub", (a, b) => a - b), ("Mul", (a, b) => a * b), ("Div", (a, b) => a / b),
        ("Maximum", (a, b) => a.Maximum(b)), ("Minimum", (a, b) => a.Minimum(b)), ("Eq", (a, b) => a.Eq(b)), ("Ne", (a, b) => a.Ne(b)),
        ("Lt", (a, b) => a.Lt(b)), ("Le", (a, b) => a.Le(b)), ("Gt", (a, b) => a.Gt(b)), ("Ge", (a, b) => a.Ge(b)),
        ("Where", (a, b) => { using var c = a.Gt(0); return Tensor.Where(c, a, b); }),
        ("Pow", (a, b) => { using var fa = a.To(DType.Float64); using var abs = fa.Abs(); using var fb = b.To(DType.Float64); return abs.Pow(fb); }),
    ];

    /// <summary>Runs <paramref name="op"/> on the CPU and on the reference backend (registered as a device) and
    /// asserts they agree: both throw, or give the same shape, dtype and values. Returns the CPU result or null.</summary>
    private static Tensor? OnBothBackends(string what, Tensor[] inputs, Func<Tensor[], Tensor> op)
    {
        Tensor? cpu = null, reference = null;
        Exception? cpuError = null, referenceError = null;
        try { cpu = op(inputs); } catch (Exception e) { cpuError = e; }
        var onReference = inputs.Select(t => t.To(ReferenceDevice)).ToArray();
        try { reference = op(onReference); } catch (Exception e) { referenceError = e; }
        Assert.True((cpuError is null) == (referenceError is null),
            $"{what}: the CPU {(cpuError is null ? "returned a value" : $"threw {cpuError.Message}")}, the reference {(referenceError is null ? "returned a value" : $"threw {referenceError.Message}")}");
        if (cpuError is not null)
        {
            Assert.True(Fixtures.LibraryError.IsClear(cpuError), $"{what}: threw {cpuError.GetType().Name}: {cpuError.Message}");
            return null;
        }
        Assert.True(cpu is not null && reference is not null);
        Assert.Equal(reference.Shape, cpu.Shape);
        Assert.Equal(reference.DType, cpu.DType);
        using var back = reference.To(Device.Cpu);
        using var r64 = back.To(DType.Float64);
        using var c64 = cpu.To(DType.Float64);
        TestUtil.AllClose(r64.ToArray<double>(), c64.ToArray<double>(), 1e-5, 1e-5);
        return cpu;
    }

    private static readonly Device ReferenceDevice = Device.Cuda(7);

    private static void WithReferenceDevice(Action body)
    {
        BackendRegistry.Register(DeviceType.Cuda, _ => ReferenceBackend.Instance);
        try { body(); }
        finally { BackendRegistry.Unregister(DeviceType.Cuda); }
    }

    [Fact]
    public void ElementwiseOpsOnZeroDAndEmptyTensorsFollowTheShapeRuleAndTheReference()
    {
        var gen = from a in EdgeShape()
                  from b in Gen.OneOf(EdgeShape(), Gen.Constant(a), Gen.Constant(a.Length > 0 ? a[1..] : a))
                  from da in Gen.Elements(NumericTypes)
                  from db in Gen.Elements(NumericTypes)
                  from seed in Gen.Choose(0, 10000)
                  select (a, b, da, db, seed);
        WithReferenceDevice(() => TestUtil.Check(gen, c =>
        {
            using var x = Values(c.a, c.da, c.seed);
            using var y = Values(c.b, c.db, c.seed + 1);
            foreach (var (name, op) in Unary)
            {
                using var r = OnBothBackends($"{name}{Layout.Format(c.a)}", [x], t => op(t[0]));
                Assert.Equal(c.a, r!.Shape);
            }
            var expected = Shapes.Reference(c.a, c.b);
            foreach (var (name, op) in Binary)
            {
                using var r = OnBothBackends($"{name}({Layout.Format(c.a)} {c.da}, {Layout.Format(c.b)} {c.db})", [x, y], t => op(t[0], t[1]));
                if (expected is null) Assert.Null(r);
                else Assert.Equal(expected, r!.Shape);
            }
            return true;
        }, maxTest: 120));
    }

    /// <summary>PyTorch's reduced shape: the dims removed, or kept as 1 with keepDim; a 0-d input stays 0-d.</summary>
    private static int[] ReducedShape(int[] shape, int[]? dims, bool keepDim)
    {
        if (shape.Length == 0) return [];
        var reduced = (dims ?? Enumerable.Range(0, shape.Length).ToArray()).Select(d => d < 0 ? d + shape.Length : d).ToHashSet();
        return shape.Select((s, i) => reduced.Contains(i) ? (keepDim ? 1 : -1) : s).Where(s => s >= 0).ToArray();
    }

    private static Gen<(int[] Shape, int[]? Dims, bool KeepDim, DType DType, int Seed)> Reductions() =>
        from shape in EdgeShape().Where(s => s.Length > 0)
        from all in Gen.Elements(true, false, false)
        from dims in Gen.SubListOf(Enumerable.Range(0, shape.Length).ToArray()).Where(d => d.Count > 0)
        from negate in Gen.Elements(true, false)
        from keepDim in Gen.Elements(true, false)
        from dtype in Gen.Elements(NumericTypes)
        from seed in Gen.Choose(0, 10000)
        select (shape, all ? null : dims.Select(d => negate ? d - shape.Length : d).ToArray(), keepDim, dtype, seed);

    [Fact]
    public void ReductionsOfEmptyTensorsFollowPyTorchsShapeRulesAndTheReference()
    {
        WithReferenceDevice(() => TestUtil.Check(Reductions(), c =>
        {
            using var x = Values(c.Shape, c.DType, c.Seed);
            var expected = ReducedShape(c.Shape, c.Dims, c.Dims is not null && c.KeepDim);
            bool emptyReduced = (c.Dims ?? Enumerable.Range(0, c.Shape.Length).ToArray()).Any(d => c.Shape[d < 0 ? d + c.Shape.Length : d] == 0);
            string what = $"{Layout.Format(c.Shape)} {c.DType} dims {(c.Dims is null ? "all" : Layout.Format(c.Dims))} keepDim {c.KeepDim}";
            var ops = new List<(string, Func<Tensor, Tensor>, bool NeedsElements)>
            {
                ("Sum", t => c.Dims is null ? t.Sum() : t.Sum(c.Dims, c.KeepDim), false),
                ("Max", t => c.Dims is null ? t.Max() : t.Max(c.Dims, c.KeepDim), true),
                ("Min", t => c.Dims is null ? t.Min() : t.Min(c.Dims, c.KeepDim), true),
            };
            if (c.DType.IsFloatingPoint()) ops.Add(("Mean", t => c.Dims is null ? t.Mean() : t.Mean(c.Dims, c.KeepDim), false));
            if (c.Dims is { Length: 1 })
            {
                ops.Add(("ArgMax", t => t.ArgMax(c.Dims[0], c.KeepDim), true));
                ops.Add(("ArgMin", t => t.ArgMin(c.Dims[0], c.KeepDim), true));
            }
            foreach (var (name, op, needsElements) in ops)
            {
                using var r = OnBothBackends($"{name} {what}", [x], t => op(t[0]));
                if (needsElements && emptyReduced)
                {
                    Assert.True(r is null, $"{name} {what}: PyTorch refuses to reduce over a size-0 dim (no identity), but we returned a value");
                    continue;
                }
                Assert.True(r is not null, $"{name} {what} threw");
                Assert.Equal(expected, r!.Shape);
                if (emptyReduced)
                {
                    // Over nothing: the sum is 0 and the mean 0/0.
                    using var f = r.To(DType.Float64);
                    Assert.All(f.ToArray<double>(), v => Assert.True(name == "Sum" ? v == 0 : double.IsNaN(v), $"{name} {what}: {v}"));
                }
            }
            return true;
        }, maxTest: 200));
    }

    [Fact]
    public void ReductionsOfZeroDTensorsAcceptDimZeroAndMinusOne()
    {
        // PyTorch treats a 0-d tensor as having one dim for reductions: t.sum(0), t.amax(-1), t.argmax(0, keepdim=True)
        // are all 0-d, with the value itself (argmax: 0).
        foreach (var dtype in NumericTypes)
        foreach (int dim in new[] { 0, -1 })
        foreach (bool keepDim in new[] { false, true })
        {
            using var x = Values([], dtype, 3);
            double v = x.To(DType.Float64).Item<double>();
            var ops = new (string, Func<Tensor>, double)[]
            {
                ("Sum", () => x.Sum(dim, keepDim), v), ("Max", () => x.Max(dim, keepDim), v), ("Min", () => x.Min(dim, keepDim), v),
                ("ArgMax", () => x.ArgMax(dim, keepDim), 0), ("ArgMin", () => x.ArgMin(dim, keepDim), 0),
            };
            foreach (var (name, op, expected) in ops)
            {
                using var r = op();
                Assert.True(r.Rank == 0, $"{name}({dim}, keepDim {keepDim}) of a 0-d {dtype}: shape {Layout.Format(r.Shape)}");
                Assert.Equal(expected, r.To(DType.Float64).Item<double>());
            }
            if (dtype.IsFloatingPoint())
            {
                using var m = x.Mean(dim, keepDim);
                Assert.Equal(v, m.To(DType.Float64).Item<double>(), 6);
            }
        }
    }

    // ------------------------------------------------------------------ int64 beyond 2^24 and 2^53

    /// <summary>±(2^m + r) with 24 &lt; m &lt; log2(limit) and 0 &lt;= r &lt; 2^m: beyond float32's exact integers, below limit.</summary>
    private static Gen<long> Big(long limit) =>
        from m in Gen.Choose(25, (int)Math.Log2(limit) - 1)
        from hi in Gen.Choose(0, int.MaxValue)
        from lo in Gen.Choose(0, int.MaxValue)
        from sign in Gen.Elements(1L, -1L)
        select sign * ((1L << m) + ((((long)hi << 31) | (long)lo) & ((1L << m) - 1)));

    private static Gen<long[]> BigArray(long limit) => Gen.Choose(1, 12).SelectMany(n => Gen.ArrayOf(Big(limit), n));

    [Fact]
    public void Int64SumsAreExact()
    {
        var gen = from v in BigArray(1L << 58) from cols in Gen.Elements(1, 2, 3) select (v, cols);
        TestUtil.Check(gen, c =>
        {
            var v = c.v.Take(c.v.Length / c.cols * c.cols).ToArray();
            if (v.Length == 0) return true;
            using var t = Tensor.From(v, v.Length / c.cols, c.cols);
            using var total = t.Sum();
            using var perCol = t.Sum(0);
            Assert.Equal(DType.Int64, total.DType);
            Assert.Equal(v.Sum(), total.Item<long>());
            var expectedCols = Enumerable.Range(0, c.cols).Select(j => v.Where((_, i) => i % c.cols == j).Sum()).ToArray();
            Assert.Equal(expectedCols, perCol.ToArray<long>());
            return true;
        });
    }

    [Fact]
    public void Int64TensorArithmeticIsExactAndWraps()
    {
        var gen = from a in BigArray(1L << 62) from b in Gen.ArrayOf(Big(1L << 62), a.Length) select (a, b);
        TestUtil.Check(gen, c =>
        {
            using var a = Tensor.From(c.a);
            using var b = Tensor.From(c.b);
            using var sum = a + b;
            using var diff = a - b;
            using var prod = a * b;
            Assert.Equal(c.a.Zip(c.b, (x, y) => unchecked(x + y)).ToArray(), sum.ToArray<long>());
            Assert.Equal(c.a.Zip(c.b, (x, y) => unchecked(x - y)).ToArray(), diff.ToArray<long>());
            Assert.Equal(c.a.Zip(c.b, (x, y) => unchecked(x * y)).ToArray(), prod.ToArray<long>());
            using var eq = a.Eq(b);
            using var lt = a.Lt(b);
            Assert.Equal(c.a.Zip(c.b, (x, y) => x == y).ToArray(), eq.ToArray<bool>());
            Assert.Equal(c.a.Zip(c.b, (x, y) => x < y).ToArray(), lt.ToArray<bool>());
            return true;
        });
    }

    [Fact]
    public void Int64ArithmeticWithIntegerScalarsIsExact()
    {
        // A C# long is a Python int: int64 tensor + int stays int64 and exact, even beyond 2^53.
        var gen = from a in BigArray(1L << 62) from s in Big(1L << 62) select (a, s);
        TestUtil.Check(gen, c =>
        {
            using var a = Tensor.From(c.a);
            using var sum = a + c.s;
            using var diff = a - c.s;
            using var rdiff = c.s - a;
            Assert.Equal(DType.Int64, sum.DType);
            Assert.Equal(c.a.Select(x => unchecked(x + c.s)).ToArray(), sum.ToArray<long>());
            Assert.Equal(c.a.Select(x => unchecked(x - c.s)).ToArray(), diff.ToArray<long>());
            Assert.Equal(c.a.Select(x => unchecked(c.s - x)).ToArray(), rdiff.ToArray<long>());
            return true;
        });
    }

    [Fact]
    public void Int64ComparisonsWithIntegerScalarsAreExact()
    {
        // [16777217] == 16777216 is False in PyTorch: the integer scalar does not make the comparison float32.
        var gen = from a in BigArray(1L << 60) from i in Gen.Choose(0, 11) from d in Gen.Choose(-1, 1) select (a, s: a[i % a.Length] + d);
        TestUtil.Check(gen, c =>
        {
            using var a = Tensor.From(c.a);
            var checks = new (string, Tensor, Func<long, bool>)[]
            {
                ("Eq", a.Eq(c.s), x => x == c.s), ("Ne", a.Ne(c.s), x => x != c.s), ("Lt", a.Lt(c.s), x => x < c.s),
                ("Le", a.Le(c.s), x => x <= c.s), ("Gt", a.Gt(c.s), x => x > c.s), ("Ge", a.Ge(c.s), x => x >= c.s),
            };
            foreach (var (name, r, f) in checks)
                using (r)
                    Assert.True(c.a.Select(f).SequenceEqual(r.ToArray<bool>()), $"{name}([{string.Join(", ", c.a)}], {c.s})");
            return true;
        });
    }
}
