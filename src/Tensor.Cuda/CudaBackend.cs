using Tensors.Backends;

namespace Tensors.Cuda;

/// <summary>
/// Entry point of the CUDA backend. This version of the package does not contain GPU kernels yet:
/// <see cref="IsAvailable"/> is false and tensors on <c>cuda</c> devices fail with <see cref="UnavailableReason"/>.
/// </summary>
public static class CudaBackend
{
    /// <summary>Whether CUDA tensors can be created. Always false in this version.</summary>
    public static bool IsAvailable => false;

    /// <summary>Why CUDA tensors cannot be created.</summary>
    public static string UnavailableReason =>
        "The CUDA backend is not available in this version of Tensor.Cuda (its kernels are not implemented yet); use Device.Cpu.";

    /// <summary>Registers this package as the provider for <see cref="DeviceType.Cuda"/> devices, so that using one
    /// reports <see cref="UnavailableReason"/> instead of a missing package.</summary>
    public static void Register() =>
        BackendRegistry.Register(DeviceType.Cuda, index => throw new NotSupportedException($"cuda:{index}: {UnavailableReason}"));
}
