using BenchmarkDotNet.Attributes;

namespace Tensors.Benchmarks;

/// <summary>Section (b) of ../shared/bench: contiguous float32 elementwise ops, results allocated (PyTorch's
/// "alloc" variant).</summary>
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

    [Benchmark] public void Add() { using var r = _a + _b; }
    [Benchmark] public void Mul() { using var r = _a * _b; }
    [Benchmark] public void Exp() { using var r = _a.Exp(); }
    [Benchmark] public void Sigmoid() { using var r = _a.Sigmoid(); }
    [Benchmark] public void Relu() { using var r = _a.Relu(); }
}
