using BenchmarkDotNet.Attributes;

namespace Tensors.Benchmarks;

/// <summary>Sections (d) and (e): broadcasting and the strided (transpose) copy.</summary>
public class LayoutBenchmarks
{
    private Tensor _col = null!, _row = null!, _imgs = null!, _mean7 = null!, _square = null!;

    [GlobalSetup]
    public void Setup()
    {
        _col = Tensor.Randn([4096, 1], new Generator(1));
        _row = Tensor.Randn([1, 4096], new Generator(2));
        _imgs = Tensor.Rand([1010, 28, 28], new Generator(3));
        _mean7 = Tensor.Rand([28, 28], new Generator(4));
        _square = Tensor.Randn([4096, 4096], new Generator(5));
    }

    /// <summary>(4096,1) + (1,4096).</summary>
    [Benchmark] public void BroadcastAdd() { using var r = (_col + _row).Compute(); }

    /// <summary>The fastai pixel distance: (imgs - mean7).abs().mean((-1, -2)).</summary>
    [Benchmark]
    public void PixelDistance()
    {
        using var d = _imgs - _mean7;
        using var a = d.Abs();
        using var r = a.Mean([-1, -2]);
    }

    /// <summary>A 4096x4096 transpose made contiguous.</summary>
    [Benchmark] public void TransposeCopy() { using var t = _square.T; using var r = t.Contiguous(); }
}
