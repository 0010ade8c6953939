using Tensors.Backends;
using Xunit;

namespace Tensors.Tests.Conformance;

// Gather and Scatter against the reference backend: every dtype, random strided and broadcast layouts of all three
// operands, indices expanded with stride 0 (IndexSelect / IndexAdd, the CPU's row paths), and repeated indices for Add.
public abstract partial class BackendConformance
{
    [SkippableTheory, MemberData(nameof(AllTypes))]
    public void GatherMatchesTheReference(DType dtype)
    {
        var rng = new System.Random(12);
        for (int c = 0; c < Cases; c++)
        {
            var (shape, dim, indexShape) = IndexCase(rng);
            bool rows = c % 3 == 0; // IndexSelect's form: a 1-d index expanded across the other dims, contiguous operands
            var (ls, lenS) = rows ? (Layout.Contiguous(shape), Layout.ShapeNumel(shape)) : Harness.RandomLayout(rng, shape, true);
            var (ld, lenD) = rows ? (Layout.Contiguous(indexShape), Layout.ShapeNumel(indexShape)) : Harness.RandomLayout(rng, indexShape, false);
            var (li, index) = rows ? ExpandedIndex(rng, indexShape, dim, shape[dim], distinct: false) : RandomIndex(rng, indexShape, shape[dim]);
            var s = H.Random(dtype, Math.Max(lenS, 1), rng);
            var d = H.Random(dtype, Math.Max(lenD, 1), rng);
            Backend.Gather(s.UnderTest, ls, dim, index.UnderTest, li, d.UnderTest, ld);
            Reference.Gather(s.Expected, ls, dim, index.Expected, li, d.Expected, ld);
            H.AssertSame(d, $"Gather {dtype} dim {dim} {ls} by {li} -> {ld}");
        }
    }

    [SkippableTheory, MemberData(nameof(AllTypes))]
    public void ScatterAddAccumulatesRepeatedIndices(DType dtype)
    {
        var rng = new System.Random(13);
        for (int c = 0; c < Cases; c++)
        {
            var (shape, dim, indexShape) = IndexCase(rng);
            bool rows = c % 3 == 0; // IndexAdd's form
            var (ls, lenS) = rows ? (Layout.Contiguous(indexShape), Layout.ShapeNumel(indexShape)) : Harness.RandomLayout(rng, indexShape, true);
            var (ld, lenD) = rows ? (Layout.Contiguous(shape), Layout.ShapeNumel(shape)) : Harness.RandomLayout(rng, shape, false);
            // Indices from a small range, often broadcast: repeats are the rule.
            var (li, index) = rows ? ExpandedIndex(rng, indexShape, dim, shape[dim], distinct: false) : RandomIndex(rng, indexShape, shape[dim]);
            var s = H.Random(dtype, Math.Max(lenS, 1), rng);
            var d = H.Random(dtype, Math.Max(lenD, 1), rng);
            Backend.Scatter(ScatterMode.Add, s.UnderTest, ls, dim, index.UnderTest, li, d.UnderTest, ld);
            Reference.Scatter(ScatterMode.Add, s.Expected, ls, dim, index.Expected, li, d.Expected, ld);
            H.AssertSame(d, $"Scatter Add {dtype} dim {dim} {ls} by {li} -> {ld}", FloatTolerance(dtype), FloatTolerance(dtype));
        }
    }

    [SkippableTheory, MemberData(nameof(AllTypes))]
    public void ScatterAssignWritesEveryIndexedPlace(DType dtype)
    {
        var rng = new System.Random(14);
        for (int c = 0; c < Cases; c++)
        {
            var (shape, dim, indexShape) = IndexCase(rng);
            indexShape[dim] = Math.Min(indexShape[dim], shape[dim]);
            bool rows = c % 3 == 0;
            var (ls, lenS) = rows ? (Layout.Contiguous(indexShape), Layout.ShapeNumel(indexShape)) : Harness.RandomLayout(rng, indexShape, true);
            var (ld, lenD) = rows ? (Layout.Contiguous(shape), Layout.ShapeNumel(shape)) : Harness.RandomLayout(rng, shape, false);
            // Distinct indices along dim, so that the result does not depend on which write lands last.
            var (li, index) = rows ? ExpandedIndex(rng, indexShape, dim, shape[dim], distinct: true) : DistinctIndex(rng, indexShape, dim, shape[dim]);
            var s = H.Random(dtype, Math.Max(lenS, 1), rng);
            var d = H.Random(dtype, Math.Max(lenD, 1), rng);
            Backend.Scatter(ScatterMode.Assign, s.UnderTest, ls, dim, index.UnderTest, li, d.UnderTest, ld);
            Reference.Scatter(ScatterMode.Assign, s.Expected, ls, dim, index.Expected, li, d.Expected, ld);
            H.AssertSame(d, $"Scatter Assign {dtype} dim {dim} {ls} by {li} -> {ld}");
        }
    }

    [SkippableFact]
    public void ScatterAndGatherMatchHandValues()
    {
        // index_add's form: rows 0, 1, 2 of the source go to rows 2, 0, 2 of a [3, 2] destination; row 2 gets two.
        var s = H.Upload(DType.Float32, Harness.Encode(DType.Float32, [1, 2, 3, 4, 5, 6]));
        var d = H.Upload(DType.Float32, Harness.Encode(DType.Float32, [0, 0, 0, 0, 10, 20]));
        var rows = H.Upload(DType.Int64, Harness.Encode(DType.Int64, [2, 0, 2]));
        Backend.Scatter(ScatterMode.Add, s.UnderTest, Layout.Contiguous([3, 2]), 0, rows.UnderTest, new Layout([3, 2], [1, 0], 0),
            d.UnderTest, Layout.Contiguous([3, 2]));
        Assert.Equal([3.0, 4, 0, 0, 16, 28], Read(d.UnderTest, DType.Float32, 6));
        // Bool accumulates as a logical or.
        var bs = H.Upload(DType.Bool, [1, 1, 0]);
        var bd = H.Upload(DType.Bool, [0, 1]);
        var bi = H.Upload(DType.Int64, Harness.Encode(DType.Int64, [0, 0, 1]));
        Backend.Scatter(ScatterMode.Add, bs.UnderTest, Layout.Contiguous([3]), 0, bi.UnderTest, Layout.Contiguous([3]), bd.UnderTest, Layout.Contiguous([2]));
        Assert.Equal([1.0, 1], Read(bd.UnderTest, DType.Bool, 2));
        // PyTorch's gather example: x = [[1, 2], [3, 4]], index [[0, 0], [1, 0]] along dim 1 gives [[1, 1], [4, 3]].
        var x = H.Upload(DType.Int32, Harness.Encode(DType.Int32, [1, 2, 3, 4]));
        var gi = H.Upload(DType.Int64, Harness.Encode(DType.Int64, [0, 0, 1, 0]));
        var g = H.Upload(DType.Int32, new byte[16]);
        Backend.Gather(x.UnderTest, Layout.Contiguous([2, 2]), 1, gi.UnderTest, Layout.Contiguous([2, 2]), g.UnderTest, Layout.Contiguous([2, 2]));
        Assert.Equal([1.0, 1, 4, 3], Read(g.UnderTest, DType.Int32, 4));
    }

    private double[] Read(Storage storage, DType dtype, int n)
    {
        var bytes = new byte[n * dtype.ElementSize()];
        Backend.CopyToHost(storage, 0, bytes);
        return Harness.Decode(dtype, bytes);
    }

    // A shape with every dim at least 1, a dim, and an index shape no larger in the other dims (smaller sometimes);
    // along dim the index is 0..5 long (gather/scatter-add may index more positions than the dim has).
    private static (int[] Shape, int Dim, int[] IndexShape) IndexCase(System.Random rng)
    {
        int[] shape;
        do shape = Harness.RandomShape(rng, 4, 5).Select(s => Math.Max(s, 1)).ToArray();
        while (shape.Length == 0);
        int dim = rng.Next(shape.Length);
        var indexShape = shape.Select((s, k) => k == dim ? rng.Next(0, 6) : rng.Next(3) == 0 ? rng.Next(0, s + 1) : s).ToArray();
        return (shape, dim, indexShape);
    }

    // Values in 0..size-1 written through a random (possibly broadcast) layout of the index's shape.
    private (Layout, Harness.Pair) RandomIndex(System.Random rng, int[] indexShape, int size)
    {
        var (li, len) = Harness.RandomLayout(rng, indexShape, true);
        var values = Enumerable.Range(0, Math.Max(len, 1)).Select(_ => (double)rng.Next(size)).ToArray();
        return (li, H.Upload(DType.Int64, Harness.Encode(DType.Int64, values)));
    }

    // Along every line of dim, distinct values (a shuffled prefix of 0..size-1), through a random unbroadcast layout.
    private (Layout, Harness.Pair) DistinctIndex(System.Random rng, int[] indexShape, int dim, int size)
    {
        var (li, len) = Harness.RandomLayout(rng, indexShape, false);
        var values = new double[Math.Max(len, 1)];
        var line = indexShape.ToArray();
        line[dim] = 1;
        var position = new int[indexShape.Length];
        for (int n = Layout.ShapeNumel(line), i = 0; i < n; i++)
        {
            var order = Enumerable.Range(0, size).OrderBy(_ => rng.Next()).ToArray();
            var p = position.ToArray();
            for (int j = 0; j < indexShape[dim]; j++)
            {
                p[dim] = j;
                values[li.OffsetOf(p)] = order[j];
            }
            Backends.Indexing.Increment(position, line);
        }
        return (li, H.Upload(DType.Int64, Harness.Encode(DType.Int64, values)));
    }

    // A 1-d index along dim expanded (stride 0) across the other dims: IndexSelect's and IndexAdd's layout.
    private (Layout, Harness.Pair) ExpandedIndex(System.Random rng, int[] indexShape, int dim, int size, bool distinct)
    {
        int n = indexShape[dim];
        var order = Enumerable.Range(0, size).OrderBy(_ => rng.Next()).ToArray();
        var values = Enumerable.Range(0, Math.Max(n, 1)).Select(j => (double)(distinct ? order[j % size] : rng.Next(size))).ToArray();
        var strides = new int[indexShape.Length];
        strides[dim] = 1;
        return (new Layout(indexShape, strides, 0), H.Upload(DType.Int64, Harness.Encode(DType.Int64, values)));
    }
}
