using Tensors.NN;
using Tensors.Optim;
using Tensors.Tests;
using Tensors.Tests.Optim;
using Xunit;

namespace Tensors.Cuda.Tests;

/// <summary>Optimizers, clipping and optimizer state on the device: the PyTorch fixtures replayed with cuda
/// parameters, clipping of gradients spread over cuda and the CPU, and a state saved on cuda resumed on the CPU.</summary>
[Collection(nameof(CudaTestDevice))]
public class OptimTests
{
    public static TheoryData<string> Optimizers() => new(OptimFixtures.Names("optimizers"));

    [SkippableTheory]
    [MemberData(nameof(Optimizers))]
    public void OptimizersMatchPyTorchOnTheDevice(string name)
    {
        CudaTestDevice.Require();
        OptimFixtureTests.ReplayOptimizer(name, Device.Cuda());
    }

    [SkippableFact]
    public void ClipGradNormSpansDevices()
    {
        CudaTestDevice.Require();
        using var a = Tensor.Zeros([3], DType.Float64, Device.Cuda()).RequiresGrad_();
        using var b = Tensor.Zeros([1], DType.Float64).RequiresGrad_();
        a.Grad = Tensor.From([3.0, 0, 0]).To(Device.Cuda());
        b.Grad = Tensor.From([4.0]);
        using var total = Utils.ClipGradNorm_([a, b], 1);
        Assert.Equal(Device.Cuda(), total.Device);
        using var totalCpu = total.To(Device.Cpu);
        Assert.Equal(5.0, totalCpu.Item<double>());
        using var ga = a.Grad.To(Device.Cpu);
        TestUtil.AllClose([3 / 5.000001, 0, 0], ga.ToArray<double>());
        TestUtil.AllClose([4 / 5.000001], b.Grad.ToArray<double>());
        Utils.ClipGradValue_([a], 0.1);
        using var clamped = a.Grad.To(Device.Cpu);
        TestUtil.AllClose([0.1, 0, 0], clamped.ToArray<double>());
    }

    [SkippableFact]
    public void StateSavedOnTheDeviceResumesOnTheCpu()
    {
        CudaTestDevice.Require();
        using var gpu = Tensor.From([1.0, -2.0]).To(Device.Cuda()).RequiresGrad_();
        using var cpu = Tensor.From([1.0, -2.0]).RequiresGrad_();
        using var gpuOpt = new Adam([gpu], 0.1);
        using var cpuOpt = new Adam([cpu], 0.1);
        void Step(Tensor p, Optimizer opt)
        {
            using var scope = DisposeScope.Enter();
            (p * p).Sum().Backward();
            opt.Step();
            opt.ZeroGrad();
        }
        for (int i = 0; i < 3; i++) { Step(gpu, gpuOpt); Step(cpu, cpuOpt); }
        using var resumed = gpu.To(Device.Cpu).Detach().RequiresGrad_();
        using var resumedOpt = new Adam([resumed], 0.1);
        resumedOpt.LoadStateDict(gpuOpt.StateDict());
        Assert.Equal(Device.Cpu, resumedOpt.StateDict().Tensors["state.0.exp_avg"].Device);
        for (int i = 0; i < 3; i++) { Step(resumed, resumedOpt); Step(cpu, cpuOpt); }
        TestUtil.AllClose(cpu.ToArray<double>(), resumed.ToArray<double>(), 1e-12, 1e-14);
    }
}
