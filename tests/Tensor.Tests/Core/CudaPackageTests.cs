using Tensors.Backends;
using Tensors.Cuda;
using Xunit;

namespace Tensors.Tests.Core;

[Collection(nameof(BackendRegistry))]
public class CudaPackageTests
{
    [Fact]
    public void CudaReportsNotAvailableWithAClearMessage()
    {
        Assert.False(CudaBackend.IsAvailable);
        CudaBackend.Register();
        try
        {
            var ex = Assert.Throws<NotSupportedException>(() => Tensor.Zeros([2], DType.Float32, Device.Cuda()));
            Assert.Contains("cuda:0", ex.Message);
            Assert.Contains("Device.Cpu", ex.Message);
        }
        finally { BackendRegistry.Unregister(DeviceType.Cuda); }
    }
}
