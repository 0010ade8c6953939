using Xunit;

namespace Tensors.Tests.Core;

/// <summary>Summarized printing reads only the printed elements and matches PyTorch 1.13's text (expected strings
/// from <c>str(tensor)</c> in Debian's PyTorch 1.13).</summary>
public class FormatSummaryTests
{
    [Fact]
    public void AHugeTensorFormatsWithoutCopyingItself()
    {
        using var big = Tensor.Zeros(5000, 5000);
        big.ToString(); // the first call compiles and warms pools
        long before = GC.GetAllocatedBytesForCurrentThread();
        var text = big.ToString();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        // The tensor is 100 MB (200 MB as float64); the text and the 36 shown elements need a few kilobytes.
        Assert.True(allocated < 256 * 1024, $"ToString allocated {allocated} bytes");
        Assert.StartsWith("tensor([[0., 0., 0.,  ..., 0., 0., 0.],", text);
    }

    [Fact]
    public void TheFormatComesFromTheShownElementsOnly()
    {
        // torch.zeros(40, 30) with [20, 15] = 12345.678: the hidden value does not switch the zeros to decimals.
        var data = new float[40 * 30];
        data[20 * 30 + 15] = 12345.678f;
        using var x = Tensor.From(data, 40, 30);
        Assert.Equal("tensor([[0., 0., 0.,  ..., 0., 0., 0.],\n        [0., 0., 0.,  ..., 0., 0., 0.],\n        [0., 0., 0.,  ..., 0., 0., 0.],\n        ...,\n        [0., 0., 0.,  ..., 0., 0., 0.],\n        [0., 0., 0.,  ..., 0., 0., 0.],\n        [0., 0., 0.,  ..., 0., 0., 0.]])", x.ToString());
    }

    [Fact]
    public void SummarizedTextEqualsPyTorchs()
    {
        // torch.arange(24000).view(2, 3, 4, 1000)
        using var ints = Tensor.From(Enumerable.Range(0, 24000).Select(i => (long)i).ToArray(), 2, 3, 4, 1000);
        Assert.Equal("tensor([[[[    0,     1,     2,  ...,   997,   998,   999],\n          [ 1000,  1001,  1002,  ...,  1997,  1998,  1999],\n          [ 2000,  2001,  2002,  ...,  2997,  2998,  2999],\n          [ 3000,  3001,  3002,  ...,  3997,  3998,  3999]],\n\n         [[ 4000,  4001,  4002,  ...,  4997,  4998,  4999],\n          [ 5000,  5001,  5002,  ...,  5997,  5998,  5999],\n          [ 6000,  6001,  6002,  ...,  6997,  6998,  6999],\n          [ 7000,  7001,  7002,  ...,  7997,  7998,  7999]],\n\n         [[ 8000,  8001,  8002,  ...,  8997,  8998,  8999],\n          [ 9000,  9001,  9002,  ...,  9997,  9998,  9999],\n          [10000, 10001, 10002,  ..., 10997, 10998, 10999],\n          [11000, 11001, 11002,  ..., 11997, 11998, 11999]]],\n\n\n        [[[12000, 12001, 12002,  ..., 12997, 12998, 12999],\n          [13000, 13001, 13002,  ..., 13997, 13998, 13999],\n          [14000, 14001, 14002,  ..., 14997, 14998, 14999],\n          [15000, 15001, 15002,  ..., 15997, 15998, 15999]],\n\n         [[16000, 16001, 16002,  ..., 16997, 16998, 16999],\n          [17000, 17001, 17002,  ..., 17997, 17998, 17999],\n          [18000, 18001, 18002,  ..., 18997, 18998, 18999],\n          [19000, 19001, 19002,  ..., 19997, 19998, 19999]],\n\n         [[20000, 20001, 20002,  ..., 20997, 20998, 20999],\n          [21000, 21001, 21002,  ..., 21997, 21998, 21999],\n          [22000, 22001, 22002,  ..., 22997, 22998, 22999],\n          [23000, 23001, 23002,  ..., 23997, 23998, 23999]]]])", ints.ToString());

        // torch.arange(3000.).view(3, 1000) / 7
        using var sevenths = Tensor.From(Enumerable.Range(0, 3000).Select(i => i / 7f).ToArray(), 3, 1000);
        Assert.Equal("tensor([[0.0000e+00, 1.4286e-01, 2.8571e-01,  ..., 1.4243e+02, 1.4257e+02,\n         1.4271e+02],\n        [1.4286e+02, 1.4300e+02, 1.4314e+02,  ..., 2.8529e+02, 2.8543e+02,\n         2.8557e+02],\n        [2.8571e+02, 2.8586e+02, 2.8600e+02,  ..., 4.2814e+02, 4.2829e+02,\n         4.2843e+02]])", sevenths.ToString());

        // torch.arange(4000.).view(40, 100).t()[:, ::2]: a strided view, summarized along its rows.
        using var grid = Tensor.Arange(0.0, 4000.0).View(40, 100);
        using var t = grid.Transpose(0, 1);
        using var everyOther = t.Slice(1, 0, 40, 2);
        Assert.Equal("tensor([[0.0000e+00, 2.0000e+02, 4.0000e+02,  ..., 3.4000e+03, 3.6000e+03,\n         3.8000e+03],\n        [1.0000e+00, 2.0100e+02, 4.0100e+02,  ..., 3.4010e+03, 3.6010e+03,\n         3.8010e+03],\n        [2.0000e+00, 2.0200e+02, 4.0200e+02,  ..., 3.4020e+03, 3.6020e+03,\n         3.8020e+03],\n        ...,\n        [9.7000e+01, 2.9700e+02, 4.9700e+02,  ..., 3.4970e+03, 3.6970e+03,\n         3.8970e+03],\n        [9.8000e+01, 2.9800e+02, 4.9800e+02,  ..., 3.4980e+03, 3.6980e+03,\n         3.8980e+03],\n        [9.9000e+01, 2.9900e+02, 4.9900e+02,  ..., 3.4990e+03, 3.6990e+03,\n         3.8990e+03]])", everyOther.ToString());
    }

    [Fact]
    public void WidthAndModeFollowPyTorchsFormatter()
    {
        // The width comes from nonzero finite values; integers over a 1000x range go scientific.
        Assert.Equal("tensor([nan, 1.])", Tensor.From([float.NaN, 1f]).ToString());
        Assert.Equal("tensor([1.0000e+00, 2.0000e+03])", Tensor.From([1f, 2000f]).ToString());
    }
}
