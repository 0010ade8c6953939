using Tensors.NN;
using Xunit;

namespace Tensors.Cuda.Tests;

/// <summary>The tensor layer on a CUDA device: the same values as on the CPU, errors that name both devices, and
/// random numbers that agree across devices for a seed.</summary>
[Collection(nameof(CudaTestDevice))]
public class CudaTensorTests
{
    private static Device Gpu => Device.Cuda();

    private static float[] OnBoth(Func<Device, Tensor> f, out float[] cpu)
    {
        using var c = f(Device.Cpu);
        using var g = f(Gpu);
        Assert.Equal(Gpu, g.Device);
        Assert.Equal(c.Shape, g.Shape);
        Assert.Equal(c.DType, g.DType);
        cpu = c.To(DType.Float32).ToArray<float>();
        using var back = g.To(Device.Cpu);
        return back.To(DType.Float32).ToArray<float>();
    }

    private static void Same(Func<Device, Tensor> f, float tolerance = 1e-5f)
    {
        var gpu = OnBoth(f, out var cpu);
        Tensors.Tests.TestUtil.AllClose(cpu, gpu, tolerance, tolerance);
    }

    [SkippableFact]
    public void ComposedOpsGiveTheCpuValues()
    {
        CudaTestDevice.Require();
        static Tensor Data(Device d) => Tensor.Arange(-6.0, 6.0, 0.5).View(4, 6).To(d);
        Same(d => { using var x = Data(d); return Functional.Softmax(x, 1); });
        Same(d => { using var x = Data(d); return Functional.LogSoftmax(x.T, 0); });
        Same(d => { using var x = Data(d); using var y = x.T.Contiguous(); return x.MatMul(y); }, 1e-4f);
        Same(d => { using var x = Data(d); return (x * 2 - 1).Relu().Sum(1, keepDim: true); });
        Same(d => { using var x = Data(d); return x.Max(0); });
        Same(d => { using var x = Data(d); return x.ArgMax(1).To(DType.Float32); });
        Same(d => { using var x = Data(d); return Tensor.Where(x.Gt(0), x, x.Exp()); });
        Same(d => { using var x = Data(d); return x.IndexSelect(1, 5, 0, 5); });
        Same(d => { using var x = Data(d); return x[1.., ..3].Pow(2).Mean(); });
        Same(d => { using var x = Data(d).To(DType.Int64); return (x.FloorDivide(3) + x % 4).To(DType.Float32); });
        Same(d => { using var x = Data(d); using var t = (x.Gt(0)).To(DType.Float32); return Functional.BinaryCrossEntropyWithLogits(x, t); });
        Same(d => { using var x = Data(d); using var t = Tensor.From(new long[] { 0, 5, 2, 3 }).To(d); return Functional.CrossEntropy(x, t); });
    }

    [SkippableFact]
    public void LargeTransfersGoThroughThePinnedBufferIntact()
    {
        CudaTestDevice.Require();
        // 20 MiB: several chunks of the 8 MiB staging buffer, and a partial last one.
        var values = Enumerable.Range(0, 5 << 20).Select(i => (float)(i % 9973) - 17.5f).ToArray();
        using var host = Tensor.From(values);
        using var device = host.To(Gpu);
        using var doubled = device * 2;
        var back = doubled.To(Device.Cpu).ToArray<float>();
        for (int i = 0; i < values.Length; i += 4099) Assert.Equal(values[i] * 2, back[i]);
        Assert.Equal(values[^1] * 2, back[^1]);
    }

    [SkippableFact]
    public void RandomNumbersAgreeAcrossDevices()
    {
        CudaTestDevice.Require();
        using var u1 = Tensor.Rand([1000], new Generator(7));
        using var u2 = Tensor.Rand([1000], new Generator(7), DType.Float32, Gpu);
        Assert.Equal(u1.ToArray<float>(), u2.To(Device.Cpu).ToArray<float>()); // bit for bit
        using var n1 = Tensor.Randn([1000], new Generator(7), DType.Float64);
        using var n2 = Tensor.Randn([1000], new Generator(7), DType.Float64, Gpu);
        Tensors.Tests.TestUtil.AllClose(n1.ToArray<double>(), n2.To(Device.Cpu).ToArray<double>(), 1e-12, 1e-12);
    }

    [SkippableFact]
    public void MixingDevicesNamesBoth()
    {
        CudaTestDevice.Require();
        using var a = Tensor.Ones(3);
        using var b = Tensor.Ones([3], DType.Float32, Gpu);
        var ex = Assert.Throws<InvalidOperationException>(() => a + b);
        Assert.Contains("cpu", ex.Message);
        Assert.Contains("cuda:0", ex.Message);
        Assert.Equal("tensor([2., 2., 2.], device='cuda:0')", (b + b).ToString());
    }

    [SkippableFact]
    public void AutogradOnTheDeviceMatchesFiniteDifferences()
    {
        CudaTestDevice.Require();
        using var x = Tensor.Randn([3, 4], new Generator(1), DType.Float64, Gpu).RequiresGrad_();
        using var w = Tensor.Randn([4, 2], new Generator(2), DType.Float64, Gpu).RequiresGrad_();
        // GradCheck throws, naming the input and element, when an analytic gradient is off.
        Autograd.GradCheck(t => Functional.LogSoftmax(t[0].MatMul(t[1]).Tanh(), 1).Sum(), [x, w]);
        Autograd.GradCheck(t => (t[0].Sigmoid() * t[0].Abs()).Max(1).Sum() + t[0].Clamp(-0.5, 0.5).Pow(3).Mean(), [x]);
        Autograd.GradCheck(t => (t[0].IndexSelect(0, 2, 0) * t[0][..2]).Sum(0).Pow(2).Sum(), [x]);
    }
}
