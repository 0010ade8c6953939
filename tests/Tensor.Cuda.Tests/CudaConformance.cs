using Tensors.Backends;
using Tensors.Tests.Conformance;

namespace Tensors.Cuda.Tests;

/// <summary>Every primitive of the CUDA backend against the reference backend, on the same random strided, offset
/// and broadcast layouts and every dtype as the CPU backend's suite (written once in Tensor.Tests).</summary>
[Xunit.Collection(nameof(CudaTestDevice))]
public sealed class CudaConformance : BackendConformance
{
    protected override IBackend Backend
    {
        get
        {
            CudaTestDevice.Require();
            return CudaBackend.For(0);
        }
    }

    // Transcendental functions on the device (and the order of a tree reduction) differ from .NET's in the last bits.
    protected override double FloatTolerance(DType dtype) => dtype == DType.Float32 ? 1e-4 : 1e-11;

    // The device sums float32 in float32 along a tree (as PyTorch's CUDA kernels do), where the CPU accumulates in
    // float64: the error bound grows with log2 of the count, relative to the sum of magnitudes.
    protected override (double Rtol, double Atol) ReduceTolerance(DType dtype, int count, double scale) =>
        dtype == DType.Float32 ? (1e-6, 6e-8 * Math.Max(1, Math.Log2(count)) * count * scale) : base.ReduceTolerance(dtype, count, scale);
}
