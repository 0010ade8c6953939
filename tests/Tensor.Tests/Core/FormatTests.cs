using Xunit;

namespace Tensors.Tests.Core;

public class FormatTests
{
    [Fact]
    public void PrintsLikePyTorch()
    {
        Assert.Equal("tensor([[1., 2.],\n        [3., 4.]])", Tensor.From(new float[,] { { 1, 2 }, { 3, 4 } }).ToString());
        Assert.Equal("tensor([0.1000, 2.5000])", Tensor.From([0.1f, 2.5f]).ToString());
        Assert.Equal("tensor([1, 2, 3], dtype=int32)", Tensor.From([1, 2, 3]).ToString());
        Assert.Equal("tensor([1, 2])", Tensor.From([1L, 2]).ToString());
        Assert.Equal("tensor([ True, False])", Tensor.From([true, false]).ToString());
        Assert.Equal("tensor(3.5000)", Tensor.Scalar(3.5).ToString());
        Assert.Equal("tensor([1.0000e-05, 1.0000e+00])", Tensor.From([1e-5f, 1f]).ToString());
        Assert.Equal("tensor([-1.5000,     nan,  2.0000])", Tensor.From([-1.5f, float.NaN, 2f]).ToString());
        Assert.Equal("tensor([], size=(0, 3))", Tensor.Zeros(0, 3).ToString());
        Assert.Equal("tensor([1., 2.], dtype=float64)", Tensor.From([1.0, 2.0]).ToString());
        Assert.Equal("tensor([[[0., 1.]],\n\n        [[2., 3.]]])", TestUtil.Seq(2, 1, 2).ToString());
    }

    [Fact]
    public void SummarizesLargeTensorsAsPyTorchDoes()
    {
        // PyTorch 1.13: integers spanning more than 1000x print in scientific notation; no size suffix.
        var s = Tensor.Arange(0.0, 2000.0).View(2, 1000).ToString();
        Assert.Equal("tensor([[0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 9.9700e+02, 9.9800e+02,\n         9.9900e+02],\n        [1.0000e+03, 1.0010e+03, 1.0020e+03,  ..., 1.9970e+03, 1.9980e+03,\n         1.9990e+03]])", s);
    }
}
