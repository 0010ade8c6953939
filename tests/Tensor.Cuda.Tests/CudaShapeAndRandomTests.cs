using Tensors.NN;
using Xunit;

namespace Tensors.Cuda.Tests;

/// <summary>The shape composites, random sampling and nn.init on a CUDA device: the CPU's values (the shape ops run
/// IndexSelect, Where, Cat, Copy and MatMul kernels there), the same random numbers for a seed, and gradients.</summary>
[Collection(nameof(CudaTestDevice))]
public class CudaShapeAndRandomTests
{
    private static Device Gpu => Device.Cuda();

    private static void Same<T>(Func<Device, Tensor> f) where T : unmanaged => DeviceAgreement.Same(f);

    private static Tensor Data(Device d) => Tensor.Arange(-6.0, 6.0, 0.5).View(2, 3, 4).To(d);

    [SkippableFact]
    public void ShapeOpsGiveTheCpuValues()
    {
        CudaTestDevice.Require();
        Same<float>(d => { using var x = Data(d); return x.Flip(0, 2); });
        Same<float>(d => { using var x = Data(d); return x.Roll([1, -1], [1, 2]); });
        Same<float>(d => { using var x = Data(d); return x.Roll(5); });
        Same<float>(d => { using var x = Data(d); return x.Repeat(2, 1, 1, 2); });
        Same<float>(d => { using var x = Data(d); using var r = Tensor.From([2L, 0, 1]).To(d); return x.RepeatInterleave(r, 1); });
        Same<float>(d => { using var x = Data(d); return x.Tril(-1); });
        Same<float>(d => { using var x = Data(d); return x.Triu(1); });
        Same<float>(d => { using var x = Data(d); using var v = x[0, 0]; return v.Diag(1); });
        Same<float>(d => { using var x = Data(d); using var v = x.Diagonal(1, 1, 2); return v.Contiguous(); });
        Same<float>(d => { using var x = Data(d); return x.Pad([2, 1, 1, 2], "reflect"); });
        Same<float>(d => { using var x = Data(d); return x.Pad([2, 1], "replicate"); });
        Same<float>(d => { using var x = Data(d); return x.Pad([1, -1, 0, 2], value: 7); });
        Same<float>(d => { using var x = Data(d); return Tensor.Einsum("bij,bkj->bik", x, x); });
        Same<float>(d => { using var x = Data(d); using var s = x[.., ..3, ..3]; return Tensor.Einsum("bii->b", s); });
        Same<long>(d =>
        {
            using var a = Tensor.Arange(3).To(d);
            using var b = Tensor.Arange(4).To(d);
            var grids = Tensor.Meshgrid([a, b], "xy");
            using var sum = grids[0] * 10 + grids[1];
            foreach (var g in grids) g.Dispose();
            return sum.Contiguous();
        });
    }

    [SkippableFact]
    public void RandomSamplingGivesTheCpuNumbersForASeed()
    {
        CudaTestDevice.Require();
        Same<long>(d => Tensor.RandInt(-5, 1000, [7, 9], generator: new Generator(1), device: d));
        Same<byte>(d => Tensor.RandInt(256, [100], DType.UInt8, new Generator(2), d));
        Same<long>(d => Tensor.RandPerm(50, new Generator(3), device: d));
        Same<float>(d => { using var p = Tensor.Linspace(0, 1, 64).To(d); return p.Bernoulli(new Generator(4)); });
        Same<int>(d => Tensor.Zeros([4, 16], DType.Int32, d).Bernoulli_(0.3, new Generator(5)));
        Same<double>(d => Tensor.Zeros([5, 6], DType.Float64, d).Normal_(1, 2, new Generator(6)));
        Same<float>(d => Tensor.Zeros([5, 6], DType.Float32, d).Uniform_(-2, 3, new Generator(7)));
        Same<long>(d => { using var w = Tensor.From([1f, 0, 2, 5, 1, 1, 0, 3], 2, 4).To(d); return w.Multinomial(3, generator: new Generator(8)); });
        Same<float>(d => Init.KaimingUniform_(Tensor.Zeros([8, 3, 2, 2], DType.Float32, d), generator: new Generator(9)));
        Same<float>(d => Init.XavierNormal_(Tensor.Zeros([8, 5], DType.Float32, d), generator: new Generator(10)));
    }

    [SkippableFact]
    public void ShapeOpGradientsOnTheDevice()
    {
        CudaTestDevice.Require();
        using var raw = Tensor.Randn([2, 3, 4], new Generator(11), DType.Float64, Gpu);
        using var x = raw.Detach().RequiresGrad_();
        Tensors.Autograd.GradCheck(xs => xs[0].Pad([1, 2], "reflect").Tril(1).Roll(1, 0), [x]);
        Tensors.Autograd.GradCheck(xs => Tensor.Einsum("bij,bkj->ik", xs[0], xs[0].Flip(2)), [x]);
        Tensors.Autograd.GradCheck(xs => xs[0].Diagonal(0, 1, 2).RepeatInterleave(2, 0), [x]);
    }
}
