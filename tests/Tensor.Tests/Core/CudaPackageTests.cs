using Tensors.Backends;
using Tensors.Cuda;
using Xunit;

namespace Tensors.Tests.Core;

/// <summary>The CUDA package from a CPU user's side: where no driver is found, CUDA reports itself unavailable
/// with the reason and the libraries it tried, and using a cuda tensor says so instead of crashing.</summary>
[Collection(nameof(BackendRegistry))]
public class CudaPackageTests
{
    [Fact]
    public void WithoutADriverCudaIsUnavailableWithAClearReason()
    {
        var diagnosis = CudaBackend.Diagnose();
        Assert.Contains("cuda:", diagnosis);
        Assert.Contains("nvrtc:", diagnosis);
        Assert.Contains("cublas:", diagnosis);
        if (CudaBackend.IsAvailable)
        {
            // A machine with a GPU (or the emulation): the diagnosis lists the device.
            Assert.Contains("available: yes", diagnosis);
            Assert.Contains("cuda:0:", diagnosis);
            return;
        }
        Assert.Contains("available: no", diagnosis);
        Assert.NotNull(CudaBackend.UnavailableReason);
        Assert.Equal(0, CudaBackend.DeviceCount);
        CudaBackend.Register();
        try
        {
            var ex = Assert.Throws<NotSupportedException>(() => Tensor.Zeros([2], DType.Float32, Device.Cuda()));
            Assert.Contains("cuda:0", ex.Message);
            Assert.Contains(CudaBackend.UnavailableReason!, ex.Message);
            Assert.Contains("Device.Cpu", ex.Message);
        }
        finally { BackendRegistry.Unregister(DeviceType.Cuda); }
    }
}
