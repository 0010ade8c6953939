using Tensors.Models;
using Tensors.NN;
using Xunit;

namespace Tensors.Cuda.Tests;

/// <summary>ResNet-18 (convolutions, batch norms, pools, residual sums) and fastai's head on the device: a
/// miniature one, from the CPU model's weights, gives the CPU's outputs, gradients and running statistics.</summary>
[Collection(nameof(CudaTestDevice))]
public class ResNetOnDeviceTests
{
    [SkippableFact]
    public void ForwardAndBackwardMatchTheCpu()
    {
        CudaTestDevice.Require();
        using var cpu = new Sequential(ResNet.ResNet18(widths: [2, 4, 4, 4], generator: new Generator(1)).Body(), FastaiHead.Create(4, 2, hidden: 8, ps: 0, generator: new Generator(2)));
        using var gpu = new Sequential(ResNet.ResNet18(widths: [2, 4, 4, 4], generator: new Generator(3)).Body(), FastaiHead.Create(4, 2, hidden: 8, ps: 0, generator: new Generator(4)));
        var state = cpu.StateDict();
        gpu.LoadStateDict(state);
        foreach (var t in state.Values) t.Dispose();
        gpu.To(Device.Cuda());
        using var x = Tensor.Rand([3, 3, 20, 20], new Generator(5));
        using var target = Tensor.From(new long[] { 0, 1, 1 });
        using var xg = x.To(Device.Cuda());
        using var tg = target.To(Device.Cuda());
        using var yc = cpu.Forward(x);
        using var yg = gpu.Forward(xg);
        using var lc = Functional.CrossEntropy(yc, target);
        using var lg = Functional.CrossEntropy(yg, tg);
        lc.Backward();
        lg.Backward();
        Tensors.Tests.TestUtil.AllClose(yc.ToArray<float>(), yg.To(Device.Cpu).ToArray<float>(), 1e-3f, 1e-4f);
        foreach (var ((_, pc), (_, pg)) in cpu.NamedParameters().Zip(gpu.NamedParameters()))
        {
            Assert.Equal(Device.Cuda(), pg.Device);
            using var gradOnCpu = pg.Grad!.To(Device.Cpu);
            Tensors.Tests.TestUtil.AllClose(pc.Grad!.ToArray<float>(), gradOnCpu.ToArray<float>(), 1e-3f, 1e-4f);
        }
        foreach (var ((_, bc), (_, bg)) in cpu.NamedBuffers().Zip(gpu.NamedBuffers()))
        {
            using var onCpu = bg.To(Device.Cpu);
            using var expected = bc.To(DType.Float64);
            using var actual = onCpu.To(DType.Float64);
            Tensors.Tests.TestUtil.AllClose(expected.ToArray<double>(), actual.ToArray<double>(), 1e-3, 1e-4);
        }
    }
}
