using BenchmarkDotNet.Attributes;

namespace Tensors.Benchmarks;

/// <summary>The chapter's multi-op patterns, written as a user writes them: fastai's pixel distance (broadcast
/// subtract, abs, mean over the last two dims) and mnist_loss forward and backward at a batch of 256.</summary>
[MemoryDiagnoser]
public class FusionBenchmarks
{
    private Tensor _images = null!, _mean = null!, _predictions = null!, _targets = null!;

    [GlobalSetup]
    public void Setup()
    {
        var g = new Generator(1);
        _images = Tensor.Rand([1010, 28, 28], g);
        _mean = Tensor.Rand([28, 28], g);
        _predictions = Tensor.Randn([256, 1], g).RequiresGrad_();
        using var r = Tensor.Rand([256, 1], g);
        using var t = r.Gt(0.5);
        _targets = t.To(DType.Float32);
    }

    /// <summary><c>(a - b).abs().mean((-1, -2))</c> on (1010,28,28) - (28,28).</summary>
    [Benchmark]
    public void PixelDistance()
    {
        using var d = _images - _mean;
        using var a = d.Abs();
        using var r = a.Mean([-1, -2]);
    }

    /// <summary><c>where(targets == 1, 1 - sigmoid(p), sigmoid(p)).mean()</c>, then its backward pass.</summary>
    [Benchmark]
    public void MnistLossBackward()
    {
        using (var scope = Tensor.NewDisposeScope())
        {
            var p = _predictions.Sigmoid();
            Tensor.Where(_targets.Eq(1), 1 - p, p).Mean().Backward();
        }
        _predictions.Grad = null;
    }
}
