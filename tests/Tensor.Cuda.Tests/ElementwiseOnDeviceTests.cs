using Tensors.NN;
using Xunit;

namespace Tensors.Cuda.Tests;

/// <summary>The elementwise area on a CUDA device: every new function, composite and activation gives the CPU's
/// values and gradients (the kernels themselves are held to the reference by CudaConformance).</summary>
[Collection(nameof(CudaTestDevice))]
public class ElementwiseOnDeviceTests
{
    private static readonly (string Name, Func<Tensor, Tensor> F)[] Functions =
    [
        ("Sin", t => t.Sin()), ("Cos", t => t.Cos()), ("Tan", t => t.Tan()), ("Asin", t => t.Asin()), ("Acos", t => t.Acos()),
        ("Atan", t => t.Atan()), ("Sinh", t => t.Sinh()), ("Cosh", t => t.Cosh()), ("Floor", t => t.Floor()), ("Ceil", t => t.Ceil()),
        ("Round", t => t.Round()), ("Log1p", t => t.Log1p()), ("Expm1", t => t.Expm1()), ("Log2", t => t.Log2()),
        ("Log10", t => t.Log10()), ("Exp2", t => t.Exp2()), ("Rsqrt", t => t.Rsqrt()), ("Erf", t => t.Erf()), ("Sign", t => t.Sign()),
        ("Frac", t => t.Frac()), ("Reciprocal", t => t.Reciprocal()), ("Square", t => t.Square()), ("NanToNum", t => t.NanToNum()),
        ("LeakyRelu", t => t.LeakyRelu()), ("Gelu", t => t.Gelu()), ("GeluTanh", t => t.Gelu("tanh")), ("Silu", t => t.Silu()),
        ("Softplus", t => t.Softplus()), ("Elu", t => t.Elu()), ("Hardtanh", t => t.Hardtanh()), ("Hardsigmoid", t => t.Hardsigmoid()),
        ("LogSigmoid", t => t.LogSigmoid()), ("Atan2", t => t.Atan2(t.Flip0())), ("Lerp", t => t.Lerp(t.Flip0(), 0.3)),
    ];

    [SkippableFact]
    public void ValuesAndGradientsMatchTheCpu()
    {
        CudaTestDevice.Require();
        var values = new[] { -3.5, -1.5, -0.5, -0.0, 0.0, 0.25, 0.5, 0.999, 2.5, 30.0, double.NaN, double.PositiveInfinity };
        foreach (var (name, f) in Functions)
        {
            var (cpuY, cpuG) = Run(f, values, Device.Cpu);
            var (gpuY, gpuG) = Run(f, values, Device.Cuda());
            Tensors.Tests.TestUtil.AllClose(cpuY, gpuY, 1e-13, 1e-13);
            Tensors.Tests.TestUtil.AllClose(cpuG, gpuG, 1e-13, 1e-13);
            Assert.True(cpuY.Length == values.Length, name);
        }
    }

    private static (double[] Y, double[] Grad) Run(Func<Tensor, Tensor> f, double[] values, Device device)
    {
        using var host = Tensor.From(values);
        using var x = host.To(device).RequiresGrad_();
        using var y = f(x);
        using var finite = y.NanToNum(0, 0, 0);
        using var loss = finite.Sum();
        loss.Backward();
        return (y.To(Device.Cpu).ToArray<double>(), x.Grad!.To(Device.Cpu).ToArray<double>());
    }

    [SkippableFact]
    public void PredicatesAndComparisonsRunOnTheDevice()
    {
        CudaTestDevice.Require();
        using var x = Tensor.From(new[] { 1f, float.NaN, float.NegativeInfinity, 2f }).To(Device.Cuda());
        Assert.Equal(new[] { false, true, false, false }, x.IsNan().To(Device.Cpu).ToArray<bool>());
        Assert.Equal(new[] { false, false, true, false }, x.IsInf().To(Device.Cpu).ToArray<bool>());
        Assert.Equal(new[] { true, false, false, true }, x.IsFinite().To(Device.Cpu).ToArray<bool>());
        using var y = x + 1e-7f;
        Assert.True(x.AllClose(y, equalNan: true));
        Assert.False(x.Equal(y));
        Assert.True(x.NanToNum().Equal(x.NanToNum()));
        using var cpu = Tensor.From(new[] { 1f });
        Assert.Contains("cpu", Assert.ThrowsAny<Exception>(() => cpu.AllClose(x[..1])).Message, StringComparison.OrdinalIgnoreCase);
        using var m = new Sequential(new GELU(), new LeakyReLU(0.1), new SiLU(), new Tanh(), new Softmax(0));
        using var p = m.Forward(x.NanToNum());
        Assert.Equal(Device.Cuda(), p.Device);
    }
}

internal static class FlipExtension
{
    /// <summary>The elements in reverse order along dim 0 (a second operand with other values, for binary ops).</summary>
    public static Tensor Flip0(this Tensor t) => t.IndexSelect(0, Enumerable.Range(0, t.Shape[0]).Reverse().ToArray());
}
