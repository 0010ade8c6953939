using BenchmarkDotNet.Attributes;

namespace Tensors.Benchmarks;

/// <summary>The fixed cost of one op, end to end (checks, promotion, broadcasting, tensor and layout objects, the
/// storage pool, the dispose scope, autograd): ops so small that the arithmetic is a rounding error. PyTorch's
/// figures for the same calls come from a loop of <c>torch.add(a, b)</c> / <c>x @ w</c> (median of many calls).</summary>
[MemoryDiagnoser]
public class OverheadBenchmarks
{
    private Tensor _a = null!, _b = null!, _x = null!, _w = null!, _leaf = null!;

    [GlobalSetup]
    public void Setup()
    {
        var g = new Generator(1);
        _a = Tensor.Randn([30], g);
        _b = Tensor.Randn([30], g);
        _x = Tensor.Randn([256, 30], g);
        _w = Tensor.Randn([30, 1], g);
        _leaf = Tensor.Randn([30], g).RequiresGrad_();
    }

    /// <summary>Two 30-element tensors added into a new one.</summary>
    [Benchmark] public void TinyAdd() { using var r = _a + _b; }

    /// <summary>A tensor plus a C# number (the number becomes a 0-d tensor first).</summary>
    [Benchmark] public void TinyAddScalar() { using var r = _a + 1.0; }

    /// <summary>The chapter's second layer: 256x30 @ 30x1.</summary>
    [Benchmark] public void TinyMatMul() { using var r = _x.MatMul(_w); }

    /// <summary>An add that records a graph node, inside a dispose scope, as a training step does.</summary>
    [Benchmark] public void TinyAddWithGrad() { using var scope = Tensor.NewDisposeScope(); _ = _a + _leaf; }

    /// <summary>The same add, then its backward pass into the leaf's gradient.</summary>
    [Benchmark]
    public void TinyAddBackward()
    {
        using (var scope = Tensor.NewDisposeScope())
            (_a + _leaf).Sum().Backward();
        _leaf.Grad = null;
    }
}
