using Xunit;

namespace Tensors.Tests.Indexing;

/// <summary>Hand-derived values and the error messages of the index-tensor ops.</summary>
public class IndexingTests
{
    private static Tensor L(params long[] v) => Tensor.From(v);

    private static Tensor X23() => Tensor.From(new double[,] { { 1, 2, 3 }, { 4, 5, 6 } });

    [Fact]
    public void GatherPicksAlongTheDim()
    {
        using var x = X23();
        using var i = Tensor.From(new long[,] { { 2, 0 }, { 1, 1 } });
        using var g = x.Gather(1, i);
        Assert.Equal([2, 2], g.Shape);
        Assert.Equal([3.0, 1, 5, 5], g.ToArray<double>());
        using var i0 = Tensor.From(new long[,] { { 1, 0, 1 } });
        using var g0 = x.Gather(0, i0);
        Assert.Equal([4.0, 2, 6], g0.ToArray<double>());
    }

    [Fact]
    public void ScatterWritesAndScatterAddAccumulates()
    {
        using var x = Tensor.Zeros([2, 3], DType.Float64);
        using var i = Tensor.From(new long[,] { { 2, 0, 2 }, { 1, 1, 1 } });
        using var s = X23();
        using var added = x.ScatterAdd(1, i, s);
        Assert.Equal([2.0, 0, 4, 0, 15, 0], added.ToArray<double>());
        using var i2 = Tensor.From(new long[,] { { 2, 0 } });
        using var written = x.Scatter(1, i2, s);
        Assert.Equal([2.0, 0, 1, 0, 0, 0], written.ToArray<double>());
        using var filled = x.Scatter(1, i2, 7);
        Assert.Equal([7.0, 0, 7, 0, 0, 0], filled.ToArray<double>());
        Assert.Equal(0.0, x.Sum().Item<double>()); // out of place
        x.ScatterAdd_(1, i, s);
        Assert.Equal(added.ToArray<double>(), x.ToArray<double>());
        x.Scatter_(1, i2, -1.5);
        Assert.Equal([-1.5, 0, -1.5, 0, 15, 0], x.ToArray<double>());
    }

    [Fact]
    public void IndexSelectAndIndexAddWithTensorIndices()
    {
        using var x = X23();
        using var idx = L(2, 0, 2);
        using var picked = x.IndexSelect(1, idx);
        Assert.Equal([3.0, 1, 3, 6, 4, 6], picked.ToArray<double>());
        using var idx32 = Tensor.From(new[] { 1 });
        Assert.Equal([4.0, 5, 6], x.IndexSelect(0, idx32).ToArray<double>());
        using var scalarIndex = Tensor.From(new long[] { 1 }).View();
        using var one = x.IndexSelect(0, scalarIndex);
        Assert.Equal([1, 3], one.Shape);
        // index_add: rows 0 and 1 of the source both land on row 1, times alpha.
        using var src = Tensor.From(new double[,] { { 1, 1, 1 }, { 10, 20, 30 } });
        using var rows = L(1, 1);
        using var sum = x.IndexAdd(0, rows, src, alpha: 2);
        Assert.Equal([1.0, 2, 3, 26, 47, 68], sum.ToArray<double>());
        x.IndexAdd_(0, rows, src);
        Assert.Equal([1.0, 2, 3, 15, 26, 37], x.ToArray<double>());
    }

    [Fact]
    public void MasksFillSelectAndFindNonzero()
    {
        using var x = X23();
        using var m = Tensor.From(new[,] { { true, false, true }, { false, false, true } });
        using var filled = x.MaskedFill(m, -1);
        Assert.Equal([-1.0, 2, -1, 4, 5, -1], filled.ToArray<double>());
        using var row = Tensor.From(new[] { false, true, false });
        using var byRow = x.MaskedFill(row, 0);
        Assert.Equal([1.0, 0, 3, 4, 0, 6], byRow.ToArray<double>());
        using var selected = x.MaskedSelect(m);
        Assert.Equal([1.0, 3, 6], selected.ToArray<double>());
        using var nz = m.Nonzero();
        Assert.Equal([3, 2], nz.Shape);
        Assert.Equal(DType.Int64, nz.DType);
        Assert.Equal([0L, 0, 0, 2, 1, 2], nz.ToArray<long>());
        var tuple = m.NonzeroAsTuple();
        Assert.Equal([0L, 0, 1], tuple[0].ToArray<long>());
        Assert.Equal([0L, 2, 2], tuple[1].ToArray<long>());
        x.MaskedFill_(m, 9);
        Assert.Equal([9.0, 2, 9, 4, 5, 9], x.ToArray<double>());
        using var none = Tensor.Zeros(3).Nonzero();
        Assert.Equal([0, 1], none.Shape);
    }

    [Fact]
    public void IndexersReadAndWriteThroughTensors()
    {
        using var x = Tensor.Arange(0.0, 12.0, dtype: DType.Float64).View(3, 4);
        using var idx = L(2, -3);
        using var rows = x[idx];
        Assert.Equal([2, 4], rows.Shape);
        Assert.Equal([8.0, 9, 10, 11, 0, 1, 2, 3], rows.ToArray<double>());
        using var cols = x[.., L(3, 0)];
        Assert.Equal([3.0, 0, 7, 4, 11, 8], cols.ToArray<double>());
        using var grid = x[Tensor.From(new long[,] { { 0, 1 }, { 1, 1 } })];
        Assert.Equal([2, 2, 4], grid.Shape);
        using var mask = x.Gt(6.5);
        using var big = x[mask];
        Assert.Equal([7.0, 8, 9, 10, 11], big.ToArray<double>());
        using var rowMask = Tensor.From(new[] { true, false, true });
        Assert.Equal([2, 4], x[rowMask].Shape);
        using var one = x[1, L(0, 2)];
        Assert.Equal([4.0, 6], one.ToArray<double>());
        // Writes: index_put_ with a mask, with indices, and accumulating repeated indices.
        x[mask] = Tensor.Full([], -1.0, DType.Float64);
        Assert.Equal(-5.0, x.Sum().Item<double>() - 21);
        x[L(0, 0)] = Tensor.From(new double[] { 100, 101, 102, 103 });
        Assert.Equal([100.0, 101, 102, 103], x[0].ToArray<double>());
        x.IndexPut_(L(2, 2), Tensor.Ones([4], DType.Float64), accumulate: true);
        Assert.Equal([1.0, 1, 1, 1], x[2].ToArray<double>());
        x[.., L(1)] = Tensor.Zeros([3, 1], DType.Float64);
        Assert.Equal([0.0, 0, 0], x[.., 1].ToArray<double>());
    }

    [Fact]
    public void AMaskOverDimsThatDoNotFlattenAsAViewIsWrittenBack()
    {
        using var x = Tensor.Arange(0.0, 6.0, dtype: DType.Float64).View(2, 3);
        using var t = x.T; // [3, 2], not flattenable as a view
        using var m = Tensor.From(new[,] { { true, false }, { false, true }, { true, true } });
        t[m] = Tensor.From(new double[] { -1, -2, -3, -4 });
        // t = [[-1, 3], [1, -2], [-3, -4]], so x = t.T
        Assert.Equal([-1.0, 1, -3, 3, -2, -4], x.ToArray<double>());
    }

    [Fact]
    public void OutOfRangeIndicesNameTheOpDimAndSize()
    {
        using var x = X23();
        var e = Assert.Throws<IndexOutOfRangeException>(() => x.Gather(1, Tensor.From(new long[,] { { 3 } })));
        Assert.Equal("Gather: index 3 is out of range for dim 1 of size 3 (shape [2, 3]); valid indices are 0..2.", e.Message);
        e = Assert.Throws<IndexOutOfRangeException>(() => x.IndexSelect(0, L(-1)));
        Assert.StartsWith("IndexSelect: index -1 is out of range for dim 0 of size 2", e.Message);
        e = Assert.Throws<IndexOutOfRangeException>(() => x[L(-3)]);
        Assert.Equal("Index: index -3 is out of range for dim 0 of size 2 (shape [2, 3]); valid indices are 0..1 or -2..-1.", e.Message);
        e = Assert.Throws<IndexOutOfRangeException>(() => x.ScatterAdd(0, Tensor.From(new long[,] { { 2 } }), X23()));
        Assert.StartsWith("ScatterAdd: index 2 is out of range", e.Message);
        e = Assert.Throws<IndexOutOfRangeException>(() => x[Tensor.From(new[] { true, false, true })]);
        Assert.StartsWith("Index: the mask's shape [3] does not match the shape of the indexed tensor [2, 3]", e.Message);
    }

    [Fact]
    public void WrongIndexDTypesShapesAndDevicesAreRefused()
    {
        using var x = X23();
        var a = Assert.Throws<ArgumentException>(() => x.Gather(1, Tensor.From(new[,] { { 0 } })));
        Assert.StartsWith("Gather: the index must be an Int64 tensor, but it is int32", a.Message);
        a = Assert.Throws<ArgumentException>(() => x[Tensor.From(new[] { 0.0 })]);
        Assert.StartsWith("Index: the index must be an Int64 or Int32 tensor, but it is float64", a.Message);
        a = Assert.Throws<ArgumentException>(() => x.MaskedFill(Tensor.From(new[] { 1, 0, 1 }), 0));
        Assert.StartsWith("MaskedFill: the mask must be a Bool tensor, but it is int32", a.Message);
        a = Assert.Throws<ArgumentException>(() => x.IndexSelect(0, Tensor.From(new long[,] { { 0 } })));
        Assert.StartsWith("IndexSelect: the index must be a vector", a.Message);
        a = Assert.Throws<ArgumentException>(() => x.Scatter(1, Tensor.From(new long[,] { { 0 } }), Tensor.From(new float[,] { { 1 } })));
        Assert.StartsWith("Scatter: src is float32 but the tensor is float64", a.Message);
        a = Assert.Throws<ArgumentException>(() => x.Gather(1, L(0)));
        Assert.StartsWith("Gather: the index (shape [1]) must have as many dims as the tensor (shape [2, 3])", a.Message);
        a = Assert.Throws<ArgumentException>(() => x.IndexAdd(0, L(0), Tensor.Zeros([1, 2], DType.Float64)));
        Assert.StartsWith("IndexAdd: source has shape [1, 2] but must be [1, 3]", a.Message);
        a = Assert.Throws<ArgumentException>(() => x.IndexPut_(L(0, 1), Tensor.Zeros([2], DType.Float64)));
        Assert.StartsWith("IndexPut_: shapes [2] and [2, 3] cannot be broadcast", a.Message);
        a = Assert.Throws<ArgumentException>(() => x.IndexPut_(L(0), Tensor.Zeros([2, 3], DType.Float64)));
        Assert.StartsWith("IndexPut_: values of shape [2, 3] do not broadcast to the selection's shape [1, 3]", a.Message);
        var n = Assert.Throws<NotSupportedException>(() => x[L(0), L(1)]);
        Assert.StartsWith("Index: only one index tensor or mask per indexer", n.Message);
    }

    [Fact]
    public void RepeatedAssignKeepsOneOfTheValues()
    {
        using var x = Tensor.Zeros(2);
        x[L(1, 1, 1)] = Tensor.From(new float[] { 5, 6, 7 });
        Assert.Contains(x.ToArray<float>()[1], new float[] { 5, 6, 7 });
        Assert.Equal(0f, x.ToArray<float>()[0]);
    }
}
