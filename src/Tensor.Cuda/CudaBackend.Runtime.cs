using System.Text;
using Tensors.Backends;
using Tensors.Cuda.Interop;

namespace Tensors.Cuda;

// The entry points: whether CUDA can be used, why not, what was found, and the per-device state.
public sealed partial class CudaBackend
{
    private static readonly Lazy<(int Count, string? Reason)> Driver = new(InitializeDriver);
    private static readonly Dictionary<int, CudaBackend> Backends = new();
    private static readonly Lock Gate = new();

    /// <summary>Whether the driver loads and reports at least one GPU. Never throws.</summary>
    public static bool IsAvailable => Driver.Value.Reason is null;

    /// <summary>Why CUDA cannot be used (null when it can).</summary>
    public static string? UnavailableReason => Driver.Value.Reason;

    /// <summary>The number of GPUs the driver reports (0 when CUDA is unavailable).</summary>
    public static int DeviceCount => Driver.Value.Count;

    /// <summary>Makes this package the provider of <c>cuda:N</c> devices. Tensors on a device that cannot be used
    /// fail with <see cref="UnavailableReason"/>.</summary>
    public static void Register() => BackendRegistry.Register(DeviceType.Cuda, For);

    /// <summary>The backend of GPU <paramref name="index"/>, started on first use.</summary>
    /// <param name="index">The device ordinal, as in <c>cuda:N</c>.</param>
    /// <exception cref="NotSupportedException">CUDA is unavailable, or there is no such device.</exception>
    public static CudaBackend For(int index)
    {
        if (!IsAvailable) throw new NotSupportedException($"cuda:{index}: CUDA is not available: {UnavailableReason} Use Device.Cpu.");
        if (index < 0 || index >= DeviceCount)
            throw new NotSupportedException($"cuda:{index}: there is no such device; the driver reports {DeviceCount} (cuda:0..cuda:{DeviceCount - 1}).");
        lock (Gate)
        {
            if (!Backends.TryGetValue(index, out var backend)) Backends[index] = backend = new CudaBackend(new CudaDevice(index));
            return backend;
        }
    }

    /// <summary>The memory figures of a device's caching allocator.</summary>
    /// <param name="device">The GPU's ordinal, as in <c>cuda:N</c>; default 0.</param>
    /// <exception cref="NotSupportedException">CUDA is unavailable, or there is no such device.</exception>
    public static CudaMemoryStats MemoryStats(int device = 0) => For(device).Context.Allocator.Stats;

    /// <summary>Gives the device memory cached for reuse back to the driver (PyTorch's <c>empty_cache</c>).</summary>
    /// <param name="device">The GPU's ordinal, as in <c>cuda:N</c>; default 0.</param>
    /// <exception cref="NotSupportedException">CUDA is unavailable, or there is no such device.</exception>
    public static void EmptyCache(int device = 0) => For(device).Context.Allocator.EmptyCache();

    /// <summary>Starts a new peak in <see cref="MemoryStats"/>.</summary>
    /// <param name="device">The GPU's ordinal, as in <c>cuda:N</c>; default 0.</param>
    /// <exception cref="NotSupportedException">CUDA is unavailable, or there is no such device.</exception>
    public static void ResetPeakMemory(int device = 0) => For(device).Context.Allocator.ResetPeak();

    /// <summary>Waits until every queued kernel and copy of the device has finished (for timing).</summary>
    /// <param name="device">The GPU's ordinal, as in <c>cuda:N</c>; default 0.</param>
    /// <exception cref="NotSupportedException">CUDA is unavailable, or there is no such device.</exception>
    public static void Synchronize(int device = 0) => For(device).Context.Synchronize();

    /// <summary>What the backend found: each library tried and loaded, the driver's CUDA version, NVRTC's, each
    /// GPU's name, compute capability and memory, where the kernels come from, and why CUDA is unavailable when it
    /// is. Never throws.</summary>
    public static string Diagnose()
    {
        var text = new StringBuilder();
        text.AppendLine("Tensor.Cuda diagnostics");
        if (NativeLibraries.EmulationDirectory is { } emulation)
            text.AppendLine($"  emulation: {NativeLibraries.EmulationVariable} = {emulation} (the CPU emulation of a device, for tests)");
        foreach (var lib in new[] { NativeLibraries.Driver, NativeLibraries.Nvrtc, NativeLibraries.Cublas })
        {
            var (_, loaded, tried) = NativeLibraries.Load(lib);
            text.AppendLine($"  {lib}: {(loaded is null ? "not found" : "loaded " + loaded)}; tried {string.Join(", ", tried)}");
        }
        try
        {
            if (IsAvailable)
            {
                Interop.Driver.Check(Interop.Driver.DriverGetVersion(out int v), "cuDriverGetVersion");
                text.AppendLine($"  driver: CUDA {v / 1000}.{v % 1000 / 10}");
            }
            text.AppendLine($"  NVRTC: {(NvrtcCompiler.Version is { } n ? $"{n.Major}.{n.Minor} (kernels compiled for each device's architecture)" : "not installed (the shipped compute_75 PTX is used)")}");
            for (int i = 0; i < DeviceCount; i++)
            {
                Interop.Driver.Check(Interop.Driver.DeviceGet(out int handle, i), "cuDeviceGet");
                var info = CudaDevice.Query(i, handle);
                text.AppendLine($"  cuda:{i}: {info.Name}, compute capability {info.Major}.{info.Minor}, {info.TotalMemory / (1 << 20):N0} MiB, {info.Multiprocessors} multiprocessors");
            }
        }
        catch (Exception e)
        {
            text.AppendLine($"  error while querying: {e.Message}");
        }
        text.AppendLine(IsAvailable ? $"  available: yes, {DeviceCount} device(s)" : $"  available: no: {UnavailableReason}");
        return text.ToString();
    }

    private static (int, string?) InitializeDriver()
    {
        try
        {
            var (handle, _, tried) = NativeLibraries.Load(NativeLibraries.Driver);
            if (handle == IntPtr.Zero)
                return (0, $"the NVIDIA driver library was not found (tried {string.Join(", ", tried)}); install the NVIDIA driver.");
            var init = Interop.Driver.Init(0);
            if (init != CuResult.Success) return (0, $"cuInit failed: {Interop.Driver.Describe(init)}.");
            var count = Interop.Driver.DeviceGetCount(out int devices);
            if (count != CuResult.Success) return (0, $"cuDeviceGetCount failed: {Interop.Driver.Describe(count)}.");
            return devices == 0 ? (0, "the driver reports no CUDA device.") : (devices, null);
        }
        catch (Exception e)
        {
            return (0, $"the CUDA driver could not be used: {e.GetType().Name}: {e.Message}");
        }
    }
}
