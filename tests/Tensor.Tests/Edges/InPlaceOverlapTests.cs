using Xunit;

namespace Tensors.Tests.Edges;

/// <summary>Issue 8, class 3: in-place writes whose destination partially overlaps an input are refused with
/// PyTorch's message; the same elements, or irregular layouts, give the answer computed on copies.</summary>
public class InPlaceOverlapTests
{
    [Fact]
    public void PartialOverlapIsRefused()
    {
        using var x = Tensor.Arange(0.0, 5.0);
        var ex = Assert.Throws<InvalidOperationException>(() => x.Narrow(0, 1, 3).Add_(x.Narrow(0, 0, 3)));
        Assert.Contains("refer to a single memory location", ex.Message);
        Assert.Contains("Add_", ex.Message);
        Assert.Throws<InvalidOperationException>(() => x.Mul_(x[0]));
        Assert.Throws<InvalidOperationException>(() => x.Narrow(0, 1, 4).CopyFrom_(x.Narrow(0, 0, 4)));
        using var m = Tensor.Arange(0.0, 4.0).View(2, 2);
        Assert.Throws<InvalidOperationException>(() => m.Add_(m.T));
        Assert.Equal([0f, 1, 2, 3, 4], x.ToArray<float>()); // nothing was written
    }

    [Fact]
    public void TheSameElementsAreFine()
    {
        using var x = Tensor.Arange(0.0, 4.0);
        x.Add_(x);
        Assert.Equal([0f, 2, 4, 6], x.ToArray<float>());
        x.Mul_(x.View(4));
        Assert.Equal([0f, 4, 16, 36], x.ToArray<float>());
        x.CopyFrom_(x);
        Assert.Equal([0f, 4, 16, 36], x.ToArray<float>());
    }

    [Fact]
    public void IrregularOverlapReadsACopy()
    {
        // Neither view is dense, so PyTorch cannot judge; the result is the one computed on a copy of the input.
        using var y = Tensor.Arange(0.0, 6.0).View(2, 3);
        y[.., ..2].Add_(y[.., 1..]);
        Assert.Equal([1f, 3, 2, 7, 9, 5], y.ToArray<float>());
    }

    [Fact]
    public void ExpandedViewWithNoElementsIsANoOp()
    {
        using var e = Tensor.Zeros(0).Expand(3, 0);
        Assert.Same(e, e.Add_(1));
        e.Fill_(2);
        Assert.Equal([3, 0], e.Shape);
    }
}
