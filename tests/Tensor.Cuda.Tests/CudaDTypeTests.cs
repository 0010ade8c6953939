using Xunit;

namespace Tensors.Cuda.Tests;

/// <summary>float16, bfloat16, int8 and int16 on a CUDA device: created, converted, computed (in float32 or
/// int32 on the device, narrowed back) and printed exactly as on the CPU.</summary>
[Collection(nameof(CudaTestDevice))]
public class CudaDTypeTests
{
    private static Device Gpu => Device.Cuda();

    private static void Same(DType dtype, Func<Tensor, Tensor> f)
    {
        using var data = Tensor.From([-300.25f, -2.5f, -1f, 0f, 0.333f, 1f, 2048f, 2049f, 65504f, 1e-6f, float.NaN, 70000f], 3, 4);
        using var cpu = data.To(dtype);
        using var gpu = cpu.To(Gpu);
        using var c = f(cpu);
        using var g = f(gpu);
        Assert.Equal(Gpu, g.Device);
        Assert.Equal(c.DType, g.DType);
        using var back = g.To(Device.Cpu);
        Assert.Equal(c.ToString(), back.ToString());
    }

    [SkippableFact]
    public void OpsOnNarrowDTypesGiveTheCpuValues()
    {
        CudaTestDevice.Require();
        foreach (var dtype in new[] { DType.Half, DType.BFloat16, DType.Int8, DType.Int16 })
        {
            Same(dtype, x => x.Clone());
            Same(dtype, x => x.T.Contiguous());
            Same(dtype, x => x * 3 + 1);
            Same(dtype, x => x.Abs().Neg());
            Same(dtype, x => x.Sum(1));
            Same(dtype, x => x.Max(0));
            Same(dtype, x => x.ArgMin(1));
            Same(dtype, x => x.MatMul(x.T));
            Same(dtype, x => x.Gt(0));
            Same(dtype, x => Tensor.Where(x.Gt(0), x, x.T.Contiguous().View(3, 4)));
            Same(dtype, x => x.IndexSelect(1, 3, 0, 3));
            foreach (var to in Enum.GetValues<DType>()) Same(dtype, x => x.To(to));
        }
    }

    [SkippableFact]
    public void CreationAndGradientsOnNarrowDTypes()
    {
        CudaTestDevice.Require();
        using var ones = Tensor.Ones([2, 3], DType.BFloat16, Gpu);
        Assert.Equal("tensor([[1., 1., 1.],\n        [1., 1., 1.]], dtype=bfloat16, device='cuda:0')", ones.ToString());
        using var r = Tensor.Randn([64], new Generator(3), DType.Half, Gpu);
        using var rc = Tensor.Randn([64], new Generator(3), DType.Half);
        using var rb = r.To(Device.Cpu);
        Assert.Equal(rc.ToArray<Half>(), rb.ToArray<Half>());
        using var x = Tensor.Full([3], 2.0, DType.Half, Gpu).RequiresGrad_();
        using var y = (x * x).Sum();
        y.Backward();
        Assert.Equal(DType.Half, x.Grad!.DType);
        using var g = x.Grad.To(Device.Cpu);
        Assert.All(g.ToArray<Half>(), v => Assert.Equal((Half)4f, v));
    }
}
