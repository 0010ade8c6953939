using Tensors.NN;
using Xunit;
using F = Tensors.NN.Functional;

namespace Tensors.Cuda.Tests;

/// <summary>Conv2d, Unfold and Fold on a CUDA device: values and gradients of input, weight and bias equal the
/// CPU's for every geometry the layer supports (stride, padding, dilation, groups, 1x1, the 7x7 stem).</summary>
[Collection(nameof(CudaTestDevice))]
public class CudaConvTests
{
    private static Device Gpu => Device.Cuda();

    public static TheoryData<int[], int[], int, int, int, int> Cases() => new()
    {
        { [2, 3, 5, 5], [4, 3, 3, 3], 1, 1, 1, 1 },
        { [2, 2, 8, 7], [3, 2, 3, 2], 2, 2, 2, 1 },
        { [2, 4, 5, 5], [6, 2, 3, 3], 1, 1, 1, 2 },
        { [2, 3, 5, 5], [3, 1, 3, 3], 1, 1, 1, 3 },
        { [2, 4, 3, 3], [5, 4, 1, 1], 1, 0, 1, 1 },
        { [2, 4, 5, 5], [5, 4, 1, 1], 2, 0, 1, 1 },
        { [1, 2, 2, 2], [3, 2, 3, 3], 1, 1, 1, 1 },
        { [2, 3, 28, 28], [4, 3, 7, 7], 2, 3, 1, 1 },
    };

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void ConvolutionValuesAndGradientsEqualTheCpus(int[] input, int[] weight, int stride, int padding, int dilation, int groups)
    {
        CudaTestDevice.Require();
        foreach (var dtype in new[] { DType.Float32, DType.Float64 })
        {
            using var x = Tensor.Randn(input, new Generator(1), dtype).RequiresGrad_();
            using var w = Tensor.Randn(weight, new Generator(2), dtype).RequiresGrad_();
            using var b = Tensor.Randn([weight[0]], new Generator(3), dtype).RequiresGrad_();
            using var xg = x.Detach().To(Gpu).RequiresGrad_();
            using var wg = w.Detach().To(Gpu).RequiresGrad_();
            using var bg = b.Detach().To(Gpu).RequiresGrad_();
            using var y = F.Conv2d(x, w, b, stride, padding, dilation, groups);
            using var yg = F.Conv2d(xg, wg, bg, stride, padding, dilation, groups);
            Assert.Equal(Gpu, yg.Device);
            using var up = Tensor.Randn(y.Shape, new Generator(4), dtype);
            using var upg = up.To(Gpu);
            (y * up).Sum().Backward();
            (yg * upg).Sum().Backward();
            double tol = dtype == DType.Float32 ? 1e-4 : 1e-10;
            foreach (var (c, g) in new[] { (y, yg), (x.Grad!, xg.Grad!), (w.Grad!, wg.Grad!), (b.Grad!, bg.Grad!) })
            {
                using var back = g.To(Device.Cpu);
                using var cd = c.To(DType.Float64);
                using var gd = back.To(DType.Float64);
                Assert.True(cd.AllClose(gd, tol, tol), $"[{string.Join(", ", c.Shape)}] differs on the device");
            }
        }
    }

    [SkippableFact]
    public void ModuleUnfoldAndFoldRunOnTheDevice()
    {
        CudaTestDevice.Require();
        using var conv = new Conv2d(3, 4, 3, padding: 1, generator: new Generator(5));
        using var x = Tensor.Randn([2, 3, 6, 6], new Generator(6));
        using var y = conv.Forward(x);
        conv.To(Gpu);
        using var xg = x.To(Gpu);
        using var yg = conv.Forward(xg);
        using var back = yg.To(Device.Cpu);
        Assert.True(y.AllClose(back, 1e-4, 1e-5));
        using var cols = F.Unfold(xg, 2, dilation: 2, padding: 1, stride: 2);
        using var folded = F.Fold(cols, 6, 2, dilation: 2, padding: 1, stride: 2);
        using var colsCpu = F.Unfold(x, 2, dilation: 2, padding: 1, stride: 2);
        using var foldedCpu = F.Fold(colsCpu, 6, 2, dilation: 2, padding: 1, stride: 2);
        using var foldedBack = folded.To(Device.Cpu);
        Assert.True(foldedCpu.AllClose(foldedBack, 1e-5, 1e-6));
    }
}
