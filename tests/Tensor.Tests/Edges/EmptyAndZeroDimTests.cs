using Tensors.NN;
using Xunit;

namespace Tensors.Tests.Edges;

/// <summary>Issue 8, classes 2 and 6: empty tensors through matmul and softmax, and 0-d tensors taking dim 0 and -1
/// where PyTorch accepts them (values checked against PyTorch 1.13).</summary>
public class EmptyAndZeroDimTests
{
    [Fact]
    public void MatMulWithASizeZeroDim()
    {
        using var a = Tensor.Ones(2, 3);
        using var b = Tensor.Ones(3, 0);
        Assert.Equal([2, 0], a.MatMul(b).Shape);
        // An empty inner dim sums nothing: zeros, not stale memory.
        using var k0 = Tensor.Full([2, 0], 5).MatMul(Tensor.Full([0, 3], 7));
        Assert.Equal(new float[6], k0.ToArray<float>());
        using var batch = Tensor.Ones(0, 2, 3).MatMul(Tensor.Ones(3, 4));
        Assert.Equal([0, 2, 4], batch.Shape);
    }

    [Fact]
    public void BackwardThroughMatMulWithASizeZeroDim()
    {
        var a = Tensor.Ones(2, 0).RequiresGrad_();
        var b = Tensor.Ones(0, 3).RequiresGrad_();
        using (var y = a.MatMul(b))
        {
            Assert.Equal(new float[6], y.ToArray<float>());
            using var s = y.Sum();
            s.Backward();
        }
        Assert.Equal([2, 0], a.Grad!.Shape);
        Assert.Equal([0, 3], b.Grad!.Shape);
        var c = Tensor.Ones(0, 3).RequiresGrad_();
        using (var s = c.MatMul(Tensor.Ones(3, 2)).Sum()) s.Backward();
        Assert.Equal([0, 3], c.Grad!.Shape);
    }

    [Fact]
    public void SoftmaxOverASizeZeroDimIsEmpty()
    {
        using var x = Tensor.Zeros(3, 0);
        Assert.Equal([3, 0], Functional.Softmax(x, 1).Shape);
        Assert.Equal([3, 0], Functional.LogSoftmax(x, -1).Shape);
        Assert.Equal([3, 0], Functional.Softmax(x, 0).Shape);
    }

    [Fact]
    public void ZeroDimTensorsAcceptDimZeroAndMinusOne()
    {
        using var x = Tensor.Scalar(5);
        foreach (var dim in new[] { 0, -1 })
        {
            Assert.Equal(5f, x.Sum(dim).Item<float>());
            Assert.Equal(5f, x.Mean(dim).Item<float>());
            Assert.Equal(5f, x.Max(dim).Item<float>());
            Assert.Equal(5f, x.Min(dim, keepDim: true).Item<float>());
            Assert.Equal(0L, x.ArgMax(dim).Item<long>());
            Assert.Equal(0L, x.ArgMin(dim).Item<long>());
            Assert.Equal(5f, x.Transpose(dim, 0).Item<float>());
            Assert.Equal(5f, x.Squeeze(dim).Item<float>());
            Assert.Equal(1f, Functional.Softmax(x, dim).Item<float>());
            Assert.Equal(0f, Functional.LogSoftmax(x, dim).Item<float>());
            Assert.Equal(5f, x.IndexSelect(dim, 0).Item<float>());
            Assert.Empty(x.Sum(dim, keepDim: true).Shape);
        }
        Assert.Empty(x.IndexSelect(0, 0, -1).Shape); // PyTorch returns the 0-d element
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => x.Sum(1));
        Assert.Contains("0 or -1", ex.Message);
        Assert.Throws<ArgumentException>(() => x.Sum([0, -1]));
        Assert.Throws<IndexOutOfRangeException>(() => x.IndexSelect(0, 1));
    }

    [Fact]
    public void ZeroDimGradientsFlowThroughDimReductions()
    {
        var x = Tensor.Scalar(3).RequiresGrad_();
        using (var y = x.Sum(0) * x.Max(-1)) y.Backward();
        Assert.Equal(6f, x.Grad!.Item<float>());
    }
}
