using Tensors.NN;
using Xunit;
using F = Tensors.NN.Functional;

namespace Tensors.Cuda.Tests;

/// <summary>Pooling and batch norm on the device: the composites (IndexSelect, reductions, the first-maximum
/// selection) give the CPU's values and gradients, and a BatchNorm2d module's running statistics follow the CPU's.</summary>
[Collection(nameof(CudaTestDevice))]
public class CudaPoolTests
{
    // Runs f on the CPU and on the device with the same input; compares outputs and input gradients.
    private static void SameOnDevice(Tensor x, Func<Tensor, Tensor> f, double tol)
    {
        using var cpuX = x.Clone().RequiresGrad_();
        using var gpuX = x.To(Device.Cuda()).RequiresGrad_();
        using var cpuY = f(cpuX);
        using var gpuY = f(gpuX);
        Assert.Equal(Device.Cuda(), gpuY.Device);
        Assert.Equal(cpuY.Shape, gpuY.Shape);
        using var upstream = Tensor.Randn(cpuY.Shape, new Generator(3), x.DType);
        using var upstreamG = upstream.To(Device.Cuda());
        using (var l = (cpuY * upstream).Sum()) l.Backward();
        using (var l = (gpuY * upstreamG).Sum()) l.Backward();
        using var back = gpuY.To(Device.Cpu);
        using var gradBack = gpuX.Grad!.To(Device.Cpu);
        Assert.True(cpuY.AllClose(back, tol, tol), "values differ from the CPU's");
        Assert.True(cpuX.Grad!.AllClose(gradBack, tol, tol), "gradients differ from the CPU's");
    }

    [SkippableTheory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void PoolsMatchTheCpuInValuesAndGradients(DType dtype)
    {
        CudaTestDevice.Require();
        double tol = dtype == DType.Float32 ? 1e-5 : 1e-12;
        using var x = Tensor.Randn([2, 3, 7, 6], new Generator(1), dtype);
        SameOnDevice(x, t => F.MaxPool2d(t, 3, 2, 1), tol);
        SameOnDevice(x, t => F.MaxPool2d(t, (2, 3), (1, 2), (1, 0), (2, 1), ceilMode: true), tol);
        SameOnDevice(x, t => F.AvgPool2d(t, 3, 2, 1, ceilMode: true, countIncludePad: false), tol);
        SameOnDevice(x, t => F.AdaptiveAvgPool2d(t, (3, 4)), tol);
        SameOnDevice(x, t => F.AdaptiveMaxPool2d(t, (4, 5)), tol);
        SameOnDevice(x, t => F.AdaptiveAvgPool2d(t, 1), tol);
        SameOnDevice(x, t => F.AdaptiveMaxPool2d(t, 1), tol);
        // Ties: the first maximum of each window takes the gradient on the device too.
        using var zeros = Tensor.Zeros([1, 2, 4, 4], dtype);
        SameOnDevice(zeros, t => F.MaxPool2d(t, 2, 1), tol);
    }

    [SkippableFact]
    public void BatchNorm2dTrainsAndEvaluatesLikeTheCpu()
    {
        CudaTestDevice.Require();
        using var cpu = new BatchNorm2d(3);
        using var gpu = new BatchNorm2d(3);
        gpu.To(Device.Cuda());
        for (int step = 0; step < 3; step++)
        {
            using var x = Tensor.Randn([4, 3, 5, 5], new Generator((ulong)step + 10)) * (step + 1);
            SameOnDevice(x, t => t.Device == Device.Cpu ? cpu.Forward(t) : gpu.Forward(t), 1e-4);
        }
        using var rm = gpu.RunningMean!.To(Device.Cpu);
        using var rv = gpu.RunningVar!.To(Device.Cpu);
        Assert.True(cpu.RunningMean!.AllClose(rm, 1e-5, 1e-6));
        Assert.True(cpu.RunningVar!.AllClose(rv, 1e-5, 1e-6));
        Assert.Equal(3L, gpu.NumBatchesTracked!.Item<long>());
        using var gw = gpu.Weight!.Grad!.To(Device.Cpu);
        Assert.True(cpu.Weight!.Grad!.AllClose(gw, 1e-4, 1e-5), "weight gradients differ from the CPU's");
        cpu.Eval();
        gpu.Eval();
        using var e = Tensor.Randn([2, 3, 4, 4], new Generator(20));
        SameOnDevice(e, t => t.Device == Device.Cpu ? cpu.Forward(t) : gpu.Forward(t), 1e-5);
    }
}
