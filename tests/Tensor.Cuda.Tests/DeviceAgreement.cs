using Xunit;

namespace Tensors.Cuda.Tests;

/// <summary>One computation run on the CPU and on the CUDA device, the device's result held to the CPU's.</summary>
internal static class DeviceAgreement
{
    /// <summary>Runs <paramref name="f"/> on both devices: the device's result stays on the device and has the CPU
    /// result's shape, dtype and values (compared as float64, within <paramref name="tolerance"/> relative and
    /// absolute; 0 means exactly, NaN matching NaN).</summary>
    public static void Same(Func<Device, Tensor> f, double tolerance = 0)
    {
        using var c = f(Device.Cpu);
        using var g = f(Device.Cuda());
        Assert.Equal(Device.Cuda(), g.Device);
        Assert.Equal(c.Shape, g.Shape);
        Assert.Equal(c.DType, g.DType);
        using var back = g.To(Device.Cpu);
        using var c64 = c.To(DType.Float64);
        using var g64 = back.To(DType.Float64);
        Tensors.Tests.TestUtil.AllClose(c64.ToArray<double>(), g64.ToArray<double>(), tolerance, tolerance);
    }
}
