using BenchmarkDotNet.Attributes;

namespace Tensors.Benchmarks;

/// <summary>Section (b) of ../shared/bench: contiguous float32 elementwise ops, results allocated (PyTorch's
/// "alloc" variant). Compute() makes a result that may wait for fusion (add, mul, relu) be computed inside the
/// measurement, as PyTorch's is.</summary>
[MemoryDiagnoser]
public class ElementwiseBenchmarks
{
    private Tensor _a = null!, _b = null!;

    [Params(1 << 20, 1 << 24)]
    public int N;

    [GlobalSetup]
    public void Setup()
    {
        _a = Tensor.Randn([N], new Generator(1));
        _b = Tensor.Randn([N], new Generator(2));
    }

    [Benchmark] public void Add() { using var r = (_a + _b).Compute(); }
    [Benchmark] public void Mul() { using var r = (_a * _b).Compute(); }
    [Benchmark] public void Exp() { using var r = _a.Exp().Compute(); }
    [Benchmark] public void Sigmoid() { using var r = _a.Sigmoid().Compute(); }
    [Benchmark] public void Relu() { using var r = _a.Relu().Compute(); }
}
