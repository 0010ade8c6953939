using Xunit;

namespace Tensors.Cuda.Tests;

/// <summary>The index-tensor ops on the CUDA device: indices stay on the device, values and gradients match the CPU,
/// scatter-add accumulates many repeats through atomics, and an index on the wrong device is refused.</summary>
[Collection(nameof(CudaTestDevice))]
public class CudaIndexingTests
{
    private static Device Gpu => Device.Cuda();

    private static void Same(Func<Device, Tensor> f) => DeviceAgreement.Same(f, 1e-6);

    private static Tensor Data(Device d) => Tensor.Arange(-6.0, 6.0, 0.5, DType.Float64).View(4, 6).To(d);

    private static Tensor Long(Device d, long[,] v) => Tensor.From(v).To(d);

    [SkippableFact]
    public void IndexOpsGiveTheCpuValues()
    {
        CudaTestDevice.Require();
        Same(d => { using var x = Data(d); using var i = Long(d, new long[,] { { 5, 0, 5 }, { 1, 1, 2 } }); return x.Gather(1, i); });
        Same(d => { using var x = Data(d); using var i = Tensor.From(new long[] { 3, 0, 3 }).To(d); return x.T.IndexSelect(1, i); });
        Same(d =>
        {
            using var x = Data(d);
            using var i = Long(d, new long[,] { { 5, 5, 0 }, { 1, 1, 1 } });
            using var s = Tensor.Ones([2, 3], DType.Float64, d);
            return x.ScatterAdd(1, i, s).Scatter(0, Long(d, new long[,] { { 3, 2 } }), -1.0);
        });
        Same(d => { using var x = Data(d); using var i = Tensor.From(new long[] { 2, 2, 0 }).To(d); return x.IndexAdd(0, i, Tensor.Ones([3, 6], DType.Float64, d), 2); });
        Same(d => { using var x = Data(d); using var m = x.Gt(1); return x.MaskedFill(m, 0).MaskedSelect(x.Lt(3)); });
        Same(d => { using var x = Data(d); using var m = x.Gt(1); return m.Nonzero(); });
        Same(d => { using var x = Data(d); using var m = x.Gt(1); return x[m]; });
        Same(d => { using var x = Data(d); return x[.., Tensor.From(new long[] { -1, 2 }).To(d)]; });
        Same(d =>
        {
            var x = Data(d);
            x[Tensor.From(new long[] { 1, 1 }).To(d)] = Tensor.Full([], 9.0, DType.Float64, d);
            x.IndexPut_(Tensor.From(new long[] { 0, 0, 3 }).To(d), Tensor.Ones([6], DType.Float64, d), accumulate: true);
            return x;
        });
    }

    [SkippableFact]
    public void ScatterAddAccumulatesManyRepeatsInEveryDType()
    {
        CudaTestDevice.Require();
        // A histogram: 3000 ones into 7 bins, bin k getting the positions i with i % 7 == k.
        var bins = Enumerable.Range(0, 3000).Select(i => (long)(i % 7)).ToArray();
        using var index = Tensor.From(bins).To(Gpu);
        foreach (var dtype in new[] { DType.Float32, DType.Float64, DType.Int32, DType.Int64, DType.UInt8, DType.Bool })
        {
            using var ones = Tensor.Ones([3000], dtype, Gpu);
            using var zeros = Tensor.Zeros([7], dtype, Gpu);
            using var counts = zeros.ScatterAdd(0, index, ones);
            using var host = counts.To(Device.Cpu).To(DType.Float64);
            double[] expected = dtype switch
            {
                DType.Bool => [1, 1, 1, 1, 1, 1, 1],
                DType.UInt8 => Enumerable.Range(0, 7).Select(k => (double)((k < 4 ? 429 : 428) % 256)).ToArray(),
                _ => Enumerable.Range(0, 7).Select(k => (double)(k < 4 ? 429 : 428)).ToArray(),
            };
            Assert.Equal(expected, host.ToArray<double>());
        }
    }

    [SkippableFact]
    public void GradientsOnTheDeviceMatchFiniteDifferences()
    {
        CudaTestDevice.Require();
        using var x = Tensor.Randn([3, 4], new Generator(3), DType.Float64, Gpu).RequiresGrad_();
        using var s = Tensor.Randn([2, 4], new Generator(4), DType.Float64, Gpu).RequiresGrad_();
        using var i = Long(Gpu, new long[,] { { 2, 0, 2, 1 }, { 0, 0, 1, 1 } });
        using var m = Tensor.From(new[] { true, false, true }).To(Gpu);
        Autograd.GradCheck(t => t[0].Gather(0, i).Exp(), [x]);
        Autograd.GradCheck(t => t[0].ScatterAdd(0, i, t[1]).Pow(2), [x, s]);
        Autograd.GradCheck(t => t[0][m].Pow(2), [x]);
        Autograd.GradCheck(t => t[0].IndexSelect(1, Tensor.From(new long[] { 3, 3 }).To(Gpu)).Pow(2), [x]);
    }

    [SkippableFact]
    public void AnIndexOnAnotherDeviceIsRefused()
    {
        CudaTestDevice.Require();
        using var x = Data(Gpu);
        using var cpuIndex = Tensor.From(new long[] { 0 });
        var e = Assert.Throws<InvalidOperationException>(() => x.IndexSelect(0, cpuIndex));
        Assert.Equal("IndexSelect: the index is on cpu but the tensor is on cuda:0; indices must be on the tensor's device (move them with To(device)).", e.Message);
        using var gpuMask = Tensor.From(new[] { true }).To(Gpu);
        using var y = Tensor.Ones(1);
        Assert.Contains("MaskedFill: the mask is on cuda:0 but the tensor is on cpu",
            Assert.Throws<InvalidOperationException>(() => y.MaskedFill(gpuMask, 0)).Message);
        var r = Assert.Throws<IndexOutOfRangeException>(() => x.Gather(0, Long(Gpu, new long[,] { { 4 } })));
        Assert.StartsWith("Gather: index 4 is out of range for dim 0 of size 4", r.Message);
    }
}
