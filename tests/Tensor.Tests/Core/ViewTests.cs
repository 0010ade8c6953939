using Xunit;
using static Tensors.Tests.TestUtil;

namespace Tensors.Tests.Core;

public class ViewTests
{
    [Fact]
    public void ViewsShareStorageAndWritesShowInTheBase()
    {
        using var t = Seq(3, 4);
        using var row = t[1];
        using var col = t[.., 2];
        using var block = t[1.., 1..3];
        Assert.True(row.SharesStorageWith(t) && col.SharesStorageWith(t) && block.SharesStorageWith(t));
        Assert.Equal([4f, 5, 6, 7], row.ToArray<float>());
        Assert.Equal([2f, 6, 10], col.ToArray<float>());
        Assert.Equal([5f, 6, 9, 10], block.ToArray<float>());
        block.Fill_(-1);
        Assert.Equal([0f, 1, 2, 3, 4, -1, -1, 7, 8, -1, -1, 11], t.ToArray<float>());
        col.Mul_(10.0);
        Assert.Equal(-10f, t[2, 2].Item<float>());
    }

    [Fact]
    public void IndexersAcceptIndexRangeHatEllipsisAndNewAxis()
    {
        using var t = Seq(2, 3, 4);
        Assert.Equal(23f, t[^1, ^1, ^1].Item<float>());
        Assert.Equal(new[] { 3, 4 }, t[-1].Shape);
        Assert.Equal([13f, 17, 21], t[1, .., 1].ToArray<float>());
        Assert.Equal(new[] { 2, 3 }, t[TensorIndex.Ellipsis, 0].Shape);
        Assert.Equal([0f, 4, 8, 12, 16, 20], t[TensorIndex.Ellipsis, 0].ToArray<float>());
        Assert.Equal(new[] { 2, 1, 3, 4 }, t[.., TensorIndex.NewAxis].Shape);
        Assert.Equal(new[] { 2, 0, 4 }, t[.., 2..1].Shape);
        t[0, 0] = Tensor.From([9f, 8, 7, 6]);
        Assert.Equal([9f, 8, 7, 6, 4], t.Reshape(-1)[..5].ToArray<float>());
    }

    [Fact]
    public void PermuteTransposeAndTAreViews()
    {
        using var t = Seq(2, 3);
        using var tt = t.T;
        Assert.Equal(new[] { 3, 2 }, tt.Shape);
        Assert.Equal(new[] { 1, 3 }, tt.Strides);
        Assert.False(tt.IsContiguous);
        Assert.Equal([0f, 3, 1, 4, 2, 5], tt.ToArray<float>());
        using var p = Seq(2, 3, 4).Permute(2, 0, 1);
        Assert.Equal(new[] { 4, 2, 3 }, p.Shape);
        Assert.Equal(new[] { 1, 12, 4 }, p.Strides);
        Assert.Equal(13f, p[1, 1, 0].Item<float>());
        using var tr = Seq(2, 3, 4).Transpose(0, -1);
        Assert.Equal(new[] { 4, 3, 2 }, tr.Shape);
    }

    [Fact]
    public void ViewSucceedsWhenStridesAllowAndReshapeCopiesOtherwise()
    {
        using var t = Seq(2, 3, 4);
        using var v = t.View(6, 4);
        Assert.True(v.SharesStorageWith(t));
        using var v2 = t.View(2, -1);
        Assert.Equal(new[] { 2, 12 }, v2.Shape);
        using var tt = t.Transpose(1, 2);           // [2, 4, 3], non-contiguous
        using var merged = tt.View(2, 4, 3);        // identity view is fine
        using var split = t.Permute(1, 0, 2).View(3, 2, 2, 2); // splits a dim: allowed
        Assert.Equal(new[] { 3, 2, 2, 2 }, split.Shape);
        var ex = Assert.Throws<InvalidOperationException>(() => tt.View(8, 3));
        Assert.Contains("View", ex.Message);
        Assert.Contains("Reshape", ex.Message);
        using var r = tt.Reshape(8, 3);
        Assert.False(r.SharesStorageWith(t));
        Assert.Equal([0f, 4, 8, 1, 5, 9], r.ToArray<float>()[..6]);
    }

    [Fact]
    public void SqueezeUnsqueezeFlattenNarrowSlice()
    {
        using var t = Seq(1, 3, 1, 2);
        Assert.Equal(new[] { 3, 2 }, t.Squeeze().Shape);
        Assert.Equal(new[] { 3, 1, 2 }, t.Squeeze(0).Shape);
        Assert.Equal(new[] { 1, 3, 1, 2 }, t.Squeeze(1).Shape);
        Assert.Equal(new[] { 1, 3, 1, 2, 1 }, t.Unsqueeze(-1).Shape);
        Assert.Equal(new[] { 1, 1, 3, 1, 2 }, t.Unsqueeze(0).Shape);
        Assert.Equal(new[] { 6 }, t.Flatten().Shape);
        Assert.Equal(new[] { 1, 6 }, t.Flatten(1).Shape);
        using var s = Seq(10);
        Assert.Equal([3f, 4, 5], s.Narrow(0, 3, 3).ToArray<float>());
        Assert.Equal([1f, 4, 7], s.Slice(0, 1, 9, 3).ToArray<float>());
        Assert.Equal([8f, 9], s.Slice(0, -2, 100).ToArray<float>());
    }

    [Fact]
    public void ExpandUsesStrideZeroAndContiguousCopies()
    {
        using var t = Tensor.From([1f, 2, 3], 3, 1);
        using var e = t.Expand(-1, 4);
        Assert.Equal(new[] { 3, 4 }, e.Shape);
        Assert.Equal(new[] { 1, 0 }, e.Strides);
        Assert.Equal([1f, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3], e.ToArray<float>());
        using var b = t.BroadcastTo(2, 3, 2);
        Assert.Equal(new[] { 0, 1, 0 }, b.Strides);
        using var c = e.Contiguous();
        Assert.True(c.IsContiguous);
        Assert.False(c.SharesStorageWith(t));
        c.Add_(1.0); // writable
        Assert.Equal(2f, c[0, 3].Item<float>());
    }

    [Fact]
    public void DisposingABaseKeepsViewsAlive()
    {
        var t = Seq(4);
        var v = t[1..3];
        t.Dispose();
        Assert.Equal([1f, 2], v.ToArray<float>());
        var ex = Assert.Throws<ObjectDisposedException>(() => t.Sum());
        Assert.Contains("Sum", ex.Message);
        Assert.Contains("[4]", ex.Message);
        v.Dispose();
        Assert.True(v.IsDisposed);
    }
}
