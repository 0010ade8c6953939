using Xunit;

namespace Tensors.Tests.Edges;

/// <summary>Issue 8, class 1: element counts, extents and offsets are computed in 64 bits and checked against what
/// a storage can hold, so nothing wraps into a small, wrong tensor.</summary>
public class OverflowTests
{
    [Fact]
    public void ShapesWhoseElementCountOverflowsAreRefused()
    {
        // 33 * 998724481 * 1119412321 wraps to 1 in 64-bit arithmetic.
        var ex = Assert.Throws<ArgumentException>(() => Tensor.From(new float[] { 7 }, 33, 998724481, 1119412321));
        Assert.Contains("2,147,483,591", ex.Message);
        Assert.Throws<ArgumentException>(() => Tensor.Zeros(65536, 65536, 65536, 65536, 2));
        Assert.Throws<ArgumentException>(() => Tensor.Zeros(-1, 2));
        // A size-0 dim makes any shape empty, however large the others are.
        using var empty = Tensor.Zeros(1 << 30, 1 << 30, 0);
        Assert.Equal(0, empty.Numel);
    }

    [Fact]
    public void NarrowAndSliceComputeInSixtyFourBits()
    {
        using var x = Tensor.Zeros(100);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => x.Narrow(0, 1, int.MaxValue));
        Assert.Contains("size 100", ex.Message);
        using var all = x.Slice(0, 1, int.MaxValue, int.MaxValue);
        Assert.Equal([1], all.Shape);
        using var steps = x.Slice(0, 0, int.MaxValue, 7);
        Assert.Equal([15], steps.Shape);
    }

    [Fact]
    public void ViewToAShapeWhoseCountWrapsIsRefused()
    {
        using var x = Tensor.Zeros(0);
        var ex = Assert.Throws<ArgumentException>(() => x.View(65536, 65536, 65536, 65536));
        Assert.Contains("0 elements", ex.Message);
        Assert.Throws<ArgumentException>(() => x.Reshape(-1, 65536, 65536, 65536, 65536));
        using var y = Tensor.Zeros(6);
        Assert.Throws<ArgumentException>(() => y.View(-1, -2));
        Assert.Equal([0, 3], Tensor.Zeros(0).View(-1, 3).Shape);
    }

    [Fact]
    public void ExpandAndBroadcastToNegativeSizesThrowAtOnce()
    {
        using var x = Tensor.Zeros(1, 3);
        Assert.Contains("-2", Assert.Throws<ArgumentException>(() => x.Expand(-2, 3)).Message);
        Assert.Contains("-3", Assert.Throws<ArgumentException>(() => x.BroadcastTo(-3, 3)).Message);
        Assert.Equal([4, 3], x.Expand(4, -1).Shape);
    }

    [Fact]
    public void EveryViewStaysInsideItsStorage()
    {
        // Layouts made by hand are checked where a tensor is made over them.
        Assert.Throws<ArgumentException>(() => new Layout([2], [-1], 0));
        Assert.Throws<ArgumentException>(() => new Layout([2], [1], -1));
        Assert.Equal(7, new Layout([2, 3], [3, 1], 1).End);
        Assert.Equal(5, new Layout([2, 0], [3, 1], 5).End);
        Assert.Equal(4, new Layout([3, 4], [0, 1], 0).End);
    }

    [Fact]
    public void ArangeAndCatCountInSixtyFourBits()
    {
        Assert.Throws<ArgumentException>(() => Tensor.Arange(0.0, 1e12));
        using var a = Tensor.Zeros(0, 2);
        using var c = Tensor.Cat([a, a]);
        Assert.Equal([0, 2], c.Shape);
    }
}
