using BenchmarkDotNet.Attributes;

namespace Tensors.Benchmarks;

/// <summary>
/// Section (a): float32 matrix products, square, the MNIST 784-30-1 network's shapes (forward and the two backward
/// products, as backward passes them: transposed views), and two ResNet-18 im2col convolutions (weights @ columns).
/// </summary>
public class MatMulBenchmarks
{
    private readonly Dictionary<string, (Tensor A, Tensor B)> _cases = new();

    [Params("square 128", "square 256", "square 512", "square 1024", "MNIST L1 fwd 256x784@784x30",
        "MNIST L1 dW 784x256@256x30", "MNIST L1 dX 256x30@30x784", "MNIST L2 fwd 256x30@30x1",
        "ResNet conv2 im2col 64x576@576x3136", "ResNet conv4 im2col 256x2304@2304x256",
        "ResNet conv2 dW 64x3136@3136x576")]
    public string Case = "";

    [GlobalSetup]
    public void Setup()
    {
        var g = new Generator(1);
        Tensor R(params int[] s) => Tensor.Randn(s, g);
        foreach (var n in new[] { 128, 256, 512, 1024 }) _cases[$"square {n}"] = (R(n, n), R(n, n));
        var x = R(256, 784);
        _cases["MNIST L1 fwd 256x784@784x30"] = (x, R(784, 30));
        _cases["MNIST L1 dW 784x256@256x30"] = (x.T, R(256, 30));   // a transposed view, as backward uses it
        _cases["MNIST L1 dX 256x30@30x784"] = (R(256, 30), R(784, 30).T);
        _cases["MNIST L2 fwd 256x30@30x1"] = (R(256, 30), R(30, 1));
        // layer1's 3x3 convolutions at 56x56 (64 channels) and layer3's at 16x16 (256 channels), batch 1.
        _cases["ResNet conv2 im2col 64x576@576x3136"] = (R(64, 576), R(576, 3136));
        _cases["ResNet conv4 im2col 256x2304@2304x256"] = (R(256, 2304), R(2304, 256));
        _cases["ResNet conv2 dW 64x3136@3136x576"] = (R(64, 3136), R(576, 3136).T); // dOut @ columns.T in backward
    }

    [Benchmark]
    public void MatMul()
    {
        var (a, b) = _cases[Case];
        using var r = a.MatMul(b);
    }
}
