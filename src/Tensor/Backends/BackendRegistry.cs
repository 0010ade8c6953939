using Tensors.Backends.Cpu;

namespace Tensors.Backends;

/// <summary>
/// Which backend serves each device. The CPU is built in; a device package registers itself explicitly
/// (no reflection or assembly scanning), e.g. <c>CudaBackend.Register()</c>.
/// </summary>
public static class BackendRegistry
{
    private static readonly Dictionary<DeviceType, Func<int, IBackend>> Factories = new();
    private static readonly Dictionary<Device, IBackend> Instances = new();
    private static readonly Lock Gate = new();

    /// <summary>Makes <paramref name="factory"/> the provider of backends for devices of <paramref name="type"/>.</summary>
    /// <param name="type">The kind of device the factory serves.</param>
    /// <param name="factory">Makes the backend of the device with a given ordinal; called once per device, on first
    /// use. Replaces any earlier factory for <paramref name="type"/>.</param>
    public static void Register(DeviceType type, Func<int, IBackend> factory)
    {
        lock (Gate)
        {
            Factories[type] = factory;
            foreach (var d in Instances.Keys.Where(d => d.Type == type).ToList()) Instances.Remove(d);
        }
    }

    /// <summary>Forgets the provider for <paramref name="type"/> (tests use this to restore a clean state).</summary>
    internal static void Unregister(DeviceType type)
    {
        lock (Gate)
        {
            Factories.Remove(type);
            foreach (var d in Instances.Keys.Where(d => d.Type == type).ToList()) Instances.Remove(d);
        }
    }

    /// <summary>The backend for <paramref name="device"/>; throws when no package provides one.</summary>
    /// <param name="device">The device whose backend is wanted.</param>
    /// <exception cref="InvalidOperationException">No factory is registered for the device's type (reference
    /// Tensor.Cuda and call <c>CudaBackend.Register()</c>).</exception>
    /// <exception cref="NotSupportedException">The registered factory cannot start the device (for CUDA: no driver, or
    /// no GPU with that ordinal).</exception>
    public static IBackend For(Device device)
    {
        if (device.Type == DeviceType.Cpu) return CpuBackend.Instance;
        lock (Gate)
        {
            if (Instances.TryGetValue(device, out var b)) return b;
            if (!Factories.TryGetValue(device.Type, out var factory))
                throw new InvalidOperationException(
                    $"No backend is registered for {device}: reference the Tensor.Cuda package and call CudaBackend.Register() first.");
            return Instances[device] = factory(device.Index);
        }
    }
}
