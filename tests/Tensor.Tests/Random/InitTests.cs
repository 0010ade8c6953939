using Tensors.NN;
using Xunit;

namespace Tensors.Tests.RandomSampling;

/// <summary>nn.init: PyTorch's fans, gains, bounds and standard deviations by hand, and the sample statistics.</summary>
public class InitTests
{
    [Fact]
    public void FansFollowPyTorch()
    {
        using var linear = Tensor.Zeros(30, 784);
        Assert.Equal((784, 30), Init.CalculateFanInAndFanOut(linear));
        // A conv weight [out, in, kh, kw]: the receptive field multiplies both fans.
        using var conv = Tensor.Zeros(16, 3, 5, 5);
        Assert.Equal((75, 400), Init.CalculateFanInAndFanOut(conv));
        using var vector = Tensor.Zeros(3);
        Assert.StartsWith("CalculateFanInAndFanOut:", Assert.Throws<ArgumentException>(() => Init.CalculateFanInAndFanOut(vector)).Message);
    }

    [Fact]
    public void GainsFollowPyTorch()
    {
        Assert.Equal(1, Init.CalculateGain("linear"));
        Assert.Equal(1, Init.CalculateGain("conv2d"));
        Assert.Equal(1, Init.CalculateGain("sigmoid"));
        Assert.Equal(5.0 / 3, Init.CalculateGain("tanh"));
        Assert.Equal(Math.Sqrt(2), Init.CalculateGain("relu"));
        Assert.Equal(Math.Sqrt(2 / 1.0001), Init.CalculateGain("leaky_relu"));
        Assert.Equal(Math.Sqrt(2 / 1.04), Init.CalculateGain("leaky_relu", 0.2), 15);
        Assert.Equal(0.75, Init.CalculateGain("selu"));
        Assert.StartsWith("CalculateGain:", Assert.Throws<ArgumentException>(() => Init.CalculateGain("swish")).Message);
    }

    private static (double Min, double Max, double Mean, double Std) Stats(Tensor t)
    {
        using var d = t.To(DType.Float64);
        var v = d.ToArray<double>();
        double mean = v.Average();
        return (v.Min(), v.Max(), mean, Math.Sqrt(v.Select(x => (x - mean) * (x - mean)).Sum() / (v.Length - 1)));
    }

    [Fact]
    public void KaimingUniformBoundIsPyTorchs()
    {
        // torch: fan_in 200, gain sqrt(2 / (1 + 5)) for a = sqrt(5) (Linear's default), bound = gain * sqrt(3 / 200) = 1 / sqrt(200).
        using var w = Tensor.Zeros(300, 200);
        Init.KaimingUniform_(w, a: Math.Sqrt(5), generator: new Generator(1));
        var (min, max, mean, std) = Stats(w);
        double bound = 1 / Math.Sqrt(200);
        Assert.InRange(min, -bound, -bound * 0.999);
        Assert.InRange(max, bound * 0.999, bound);
        Assert.InRange(mean, -0.01 * bound, 0.01 * bound);
        Assert.InRange(std, bound / Math.Sqrt(3) * 0.99, bound / Math.Sqrt(3) * 1.01);
        // relu, fan_out 300: bound = sqrt(2) * sqrt(3 / 300).
        Init.KaimingUniform_(w, mode: "fan_out", nonlinearity: "relu", generator: new Generator(2));
        (min, max, _, _) = Stats(w);
        Assert.InRange(-min, 0.999 * Math.Sqrt(6.0 / 300), Math.Sqrt(6.0 / 300));
        Assert.InRange(max, 0.999 * Math.Sqrt(6.0 / 300), Math.Sqrt(6.0 / 300));
    }

    [Fact]
    public void NormalInitialisersHavePyTorchsStd()
    {
        using var conv = Tensor.Zeros([64, 16, 3, 3], DType.Float64);
        Init.KaimingNormal_(conv, nonlinearity: "relu", generator: new Generator(3));
        var (_, _, mean, std) = Stats(conv);
        double expected = Math.Sqrt(2) / Math.Sqrt(16 * 9);   // gain / sqrt(fan_in)
        Assert.InRange(mean, -0.03 * expected, 0.03 * expected);
        Assert.InRange(std, expected * 0.98, expected * 1.02);

        Init.XavierNormal_(conv, gain: 2, generator: new Generator(4));
        (_, _, _, std) = Stats(conv);
        expected = 2 * Math.Sqrt(2.0 / (16 * 9 + 64 * 9));
        Assert.InRange(std, expected * 0.98, expected * 1.02);

        Init.XavierUniform_(conv, generator: new Generator(5));
        var (min, max, _, _) = Stats(conv);
        double bound = Math.Sqrt(6.0 / (16 * 9 + 64 * 9));
        Assert.InRange(-min, bound * 0.99, bound);
        Assert.InRange(max, bound * 0.99, bound);
    }

    [Fact]
    public void SimpleInitialisersWorkOnParametersThatRequireGrad()
    {
        using var p = Tensor.Zeros(4, 5).RequiresGrad_();
        Init.Ones_(p);
        Assert.All(p.ToArray<float>(), x => Assert.Equal(1f, x));
        Init.Constant_(p, 0.5);
        Assert.All(p.ToArray<float>(), x => Assert.Equal(0.5f, x));
        Init.Zeros_(p);
        Assert.All(p.ToArray<float>(), x => Assert.Equal(0f, x));
        Init.Uniform_(p, 2, 3, new Generator(6));
        Assert.All(p.ToArray<float>(), x => Assert.InRange(x, 2f, 3f));
        Init.Normal_(p, 0, 0.01, new Generator(7));
        Assert.All(p.ToArray<float>(), x => Assert.InRange(x, -0.1f, 0.1f));
        Init.KaimingUniform_(p);
        Assert.True(p.RequiresGrad && p.IsLeaf);
        Assert.StartsWith("KaimingUniform_:", Assert.Throws<ArgumentException>(() => Init.KaimingUniform_(p, mode: "fan_avg")).Message);
    }
}
