using Xunit;

namespace Tensors.Tests.ShapeOps;

/// <summary>Hand-derived values of the shape ops, which results are views, and their errors. PyTorch's own values
/// are in Fixtures/pytorch/shapes.json; gradients in <see cref="ShapeGradCheckTests"/>.</summary>
public class ShapeOpTests
{
    private static Tensor Seq(params int[] shape) => TestUtil.Seq(shape);

    [Fact]
    public void SplitChunkAndUnbindAreViewsThatCoverTheTensor()
    {
        using var x = Seq(5, 2);
        var pieces = x.Split(2);
        Assert.Equal([2, 2, 1], pieces.Select(p => p.Shape[0]));
        Assert.Equal([8f, 9], pieces[2].ToArray<float>());
        Assert.All(pieces, p => Assert.True(p.SharesStorageWith(x)));
        var sections = x.Split([1, 0, 4]);
        Assert.Equal([1, 0, 4], sections.Select(p => p.Shape[0]));
        var chunks = x.Chunk(3, 0);
        Assert.Equal([2, 2, 1], chunks.Select(p => p.Shape[0]));
        // ceil(6 / 4) = 2 per chunk gives three chunks, not four, as in PyTorch.
        using var six = Seq(6);
        Assert.Equal(3, six.Chunk(4).Length);
        var rows = x.Unbind(1);
        Assert.Equal([0f, 2, 4, 6, 8], rows[0].ToArray<float>());
        Assert.True(rows[1].SharesStorageWith(x));
        rows[1].Fill_(-1);
        Assert.Equal(-1f, x[4, 1].Item<float>());
        foreach (var p in pieces.Concat(sections).Concat(chunks).Concat(rows)) p.Dispose();
    }

    [Fact]
    public void PiecesOfATensorEmptyAlongAnotherDim()
    {
        // Narrow and Select used to step the offset past the end of the (empty) storage here.
        using var x = Tensor.Zeros(0, 5);
        using var narrow = x.Narrow(1, 4, 1);
        Assert.Equal([0, 1], narrow.Shape);
        var pieces = x.Split(2, 1);
        Assert.Equal([2, 2, 1], pieces.Select(p => p.Shape[1]));
        using var y = Tensor.Zeros(3, 0);
        using var row = y.Select(0, 2);
        Assert.Equal([0], row.Shape);
        using var z = Tensor.Zeros(0, 3, 3);
        using var d = z.Diagonal(1, 1, 2);
        Assert.Equal([0, 2], d.Shape);
        foreach (var p in pieces) p.Dispose();
    }

    [Fact]
    public void MovedimMatchesPermute()
    {
        using var x = Seq(2, 3, 4, 5);
        using var a = x.Movedim(0, -1);
        Assert.Equal([3, 4, 5, 2], a.Shape);
        using var b = x.Movedim([3, 0], [0, 2]);
        // dim 3 goes first, dim 0 to position 2, the rest (1, 2) fill positions 1 and 3 in order.
        Assert.Equal([5, 3, 2, 4], b.Shape);
        using var p = x.Permute(3, 1, 0, 2);
        Assert.Equal(p.ToArray<float>(), b.ToArray<float>());
        Assert.True(b.SharesStorageWith(x));
    }

    [Fact]
    public void FlipAndRollByHand()
    {
        using var x = Seq(2, 3);
        using var f = x.Flip(1);
        Assert.Equal([2f, 1, 0, 5, 4, 3], f.ToArray<float>());
        using var f2 = x.Flip(0, 1);
        Assert.Equal([5f, 4, 3, 2, 1, 0], f2.ToArray<float>());
        using var r = x.Roll(1, 1);
        Assert.Equal([2f, 0, 1, 5, 3, 4], r.ToArray<float>());
        using var flat = x.Roll(-2);
        Assert.Equal([2f, 3, 4, 5, 0, 1], flat.ToArray<float>());
        Assert.Equal([2, 3], flat.Shape);
        using var both = x.Roll([1, 4], [0, 1]);
        Assert.Equal([5f, 3, 4, 2, 0, 1], both.ToArray<float>());
        Assert.False(f.SharesStorageWith(x));
    }

    [Fact]
    public void RepeatTileAndRepeatInterleaveByHand()
    {
        using var x = Tensor.From([1, 2]);
        using var r = x.Repeat(2, 2);
        Assert.Equal([2, 4], r.Shape);
        Assert.Equal([1, 2, 1, 2, 1, 2, 1, 2], r.ToArray<int>());
        using var once = x.Repeat(1);
        Assert.False(once.SharesStorageWith(x));
        using var t = x.Tile(3);
        Assert.Equal([1, 2, 1, 2, 1, 2], t.ToArray<int>());
        using var ri = x.RepeatInterleave(3);
        Assert.Equal([1, 1, 1, 2, 2, 2], ri.ToArray<int>());
        using var m = Seq(2, 2);
        using var counts = Tensor.From([0L, 2]);
        using var rows = m.RepeatInterleave(counts, 0);
        Assert.Equal([2f, 3, 2, 3], rows.ToArray<float>());
        using var cols = m.RepeatInterleave(2, 1);
        Assert.Equal([0f, 0, 1, 1, 2, 2, 3, 3], cols.ToArray<float>());
    }

    [Fact]
    public void TrianglesAndDiagonalsByHand()
    {
        using var x = Seq(3, 3) + 1;
        using var lower = x.Tril();
        Assert.Equal([1f, 0, 0, 4, 5, 0, 7, 8, 9], lower.ToArray<float>());
        using var upper = x.Triu(1);
        Assert.Equal([0f, 2, 3, 0, 0, 6, 0, 0, 0], upper.ToArray<float>());
        using var d = x.Diagonal();
        Assert.Equal([1f, 5, 9], d.ToArray<float>());
        Assert.True(d.SharesStorageWith(x));
        using var above = x.Diagonal(1);
        Assert.Equal([2f, 6], above.ToArray<float>());
        using var below = x.Diagonal(-2);
        Assert.Equal([7f], below.ToArray<float>());
        using var copy = x.Diag(-1);
        Assert.Equal([4f, 8], copy.ToArray<float>());
        Assert.False(copy.SharesStorageWith(x));
        using var v = Tensor.From([1L, 2]);
        using var m = v.Diag(1);
        Assert.Equal(DType.Int64, m.DType);
        Assert.Equal([0L, 1, 0, 0, 0, 2, 0, 0, 0], m.ToArray<long>());
        using var n = v.Diag(-1);
        Assert.Equal([0L, 0, 0, 1, 0, 0, 0, 2, 0], n.ToArray<long>());
        // A batch: diagonal of dims 1 and 2 of [2, 2, 2] is [2, 2].
        using var b = Seq(2, 2, 2);
        using var bd = b.Diagonal(0, 1, 2);
        Assert.Equal([0f, 3, 4, 7], bd.ToArray<float>());
    }

    [Fact]
    public void MeshgridIsExpandedViews()
    {
        using var a = Tensor.From([1, 2]);
        using var b = Tensor.From([10, 20, 30]);
        var ij = Tensor.Meshgrid([a, b]);
        Assert.Equal([2, 3], ij[0].Shape);
        Assert.Equal([1, 1, 1, 2, 2, 2], ij[0].ToArray<int>());
        Assert.Equal([10, 20, 30, 10, 20, 30], ij[1].ToArray<int>());
        Assert.True(ij[0].SharesStorageWith(a));
        var xy = Tensor.Meshgrid([a, b], "xy");
        Assert.Equal([3, 2], xy[0].Shape);
        Assert.Equal([1, 2, 1, 2, 1, 2], xy[0].ToArray<int>());
        Assert.Equal([10, 10, 20, 20, 30, 30], xy[1].ToArray<int>());
        foreach (var t in ij.Concat(xy)) t.Dispose();
    }

    [Fact]
    public void PadModesByHand()
    {
        using var x = Tensor.From([1f, 2, 3], 1, 1, 3);
        using var c = x.Pad([2, 1], value: 9);
        Assert.Equal([9f, 9, 1, 2, 3, 9], c.ToArray<float>());
        using var crop = x.Pad([-1, 1]);
        Assert.Equal([2f, 3, 0], crop.ToArray<float>());
        using var reflect = x.Pad([2, 2], "reflect");
        Assert.Equal([3f, 2, 1, 2, 3, 2, 1], reflect.ToArray<float>());
        using var replicate = x.Pad([2, 1], "replicate");
        Assert.Equal([1f, 1, 1, 2, 3, 3], replicate.ToArray<float>());
        using var two = x.Pad([0, 0, 1, 0]);
        Assert.Equal([1, 2, 3], two.Shape);
        Assert.Equal([0f, 0, 0, 1, 2, 3], two.ToArray<float>());
        using var functional = Tensors.NN.Functional.Pad(x, [1, 0], "replicate");
        Assert.Equal([1f, 1, 2, 3], functional.ToArray<float>());
        using var none = x.Pad([]);
        Assert.False(none.SharesStorageWith(x));
    }

    [Fact]
    public void EinsumCommonForms()
    {
        using var a = Seq(2, 3);
        using var b = Seq(3, 4);
        using var mm = Tensor.Einsum("ij,jk->ik", a, b);
        using var expected = a.MatMul(b);
        Assert.Equal(expected.ToArray<float>(), mm.ToArray<float>());
        using var v = Tensor.From([1f, 2, 3]);
        using var dot = Tensor.Einsum("i,i->", v, v);
        Assert.Equal(14f, dot.Item<float>());
        using var outer = Tensor.Einsum("i,j", v, Tensor.From([1f, -1]));
        Assert.Equal([1f, -1, 2, -2, 3, -3], outer.ToArray<float>());
        using var sq = Seq(3, 3);
        using var trace = Tensor.Einsum("ii", sq);
        Assert.Equal(12f, trace.Item<float>());
        using var t = Tensor.Einsum("ij->ji", a);
        Assert.Equal([3, 2], t.Shape);
        Assert.True(t.SharesStorageWith(a));
        using var colSums = Tensor.Einsum("ij->j", a);
        Assert.Equal([3f, 5, 7], colSums.ToArray<float>());
        using var x = Seq(2, 2, 3);
        using var y = Seq(2, 3, 2);
        using var bmm = Tensor.Einsum("bij,bjk->bik", x, y);
        using var bmmExpected = x.MatMul(y);
        Assert.Equal(bmmExpected.ToArray<float>(), bmm.ToArray<float>());
    }

    [Theory]
    [InlineData("Split")]
    [InlineData("Movedim")]
    [InlineData("Flip")]
    [InlineData("Roll")]
    [InlineData("Repeat")]
    [InlineData("RepeatInterleave")]
    [InlineData("Tril")]
    [InlineData("Diag")]
    [InlineData("Diagonal")]
    [InlineData("Meshgrid")]
    [InlineData("Pad")]
    [InlineData("Einsum")]
    public void BadInputGetsAClearError(string op)
    {
        using var x = Seq(2, 3);
        Action bad = op switch
        {
            "Split" => () => x.Split([1, 1], 1),
            "Movedim" => () => x.Movedim([0, 0], [0, 1]),
            "Flip" => () => x.Flip(1, -1),
            "Roll" => () => x.Roll([1, 2], [0]),
            "Repeat" => () => x.Repeat(2),
            "RepeatInterleave" => () => x.RepeatInterleave(Tensor.From([1L, 2]), 1),
            "Tril" => () => Tensor.From([1f]).Tril(),
            "Diag" => () => Seq(2, 2, 2).Diag(),
            "Diagonal" => () => x.Diagonal(0, 1, -1),
            "Meshgrid" => () => Tensor.Meshgrid([x]),
            "Pad" => () => x.Pad([3, 0], "reflect"),
            _ => () => Tensor.Einsum("...ij,jk", x, x),
        };
        var e = Assert.ThrowsAny<ArgumentException>(bad);
        Assert.StartsWith(op + ":", e.Message);
    }
}
