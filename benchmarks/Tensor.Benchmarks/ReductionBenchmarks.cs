using BenchmarkDotNet.Attributes;

namespace Tensors.Benchmarks;

/// <summary>Section (c): sums and means over 16M floats, whole and along each axis of 4096x4096.</summary>
public class ReductionBenchmarks
{
    private Tensor _v = null!, _m = null!;

    [GlobalSetup]
    public void Setup()
    {
        _v = Tensor.Randn([1 << 24], new Generator(1));
        _m = Tensor.Randn([4096, 4096], new Generator(2));
    }

    [Benchmark] public void Sum16M() { using var r = _v.Sum(); }
    [Benchmark] public void Mean16M() { using var r = _v.Mean(); }
    [Benchmark] public void SumDim0() { using var r = _m.Sum(0); }
    [Benchmark] public void SumDim1() { using var r = _m.Sum(1); }
    [Benchmark] public void MeanDim0() { using var r = _m.Mean(0); }
    [Benchmark] public void MeanDim1() { using var r = _m.Mean(1); }
}
