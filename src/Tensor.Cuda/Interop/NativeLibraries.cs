using System.Reflection;
using System.Runtime.InteropServices;

namespace Tensors.Cuda.Interop;

/// <summary>
/// The one resolver for the three native libraries the backend binds: the driver (<c>cuda</c>), NVRTC
/// (<c>nvrtc</c>) and cuBLAS (<c>cublas</c>). Each logical name is tried against the file names the CUDA releases
/// install (newest first), and every attempt is remembered for <see cref="CudaBackend.Diagnose"/>. When the
/// environment variable <c>TENSOR_CUDA_EMULATION</c> names a folder, the driver and cuBLAS come from there instead:
/// the CPU emulation of the device that the test suites run on (NVRTC stays the real one).
/// </summary>
internal static class NativeLibraries
{
    public const string Driver = "cuda";
    public const string Nvrtc = "nvrtc";
    public const string Cublas = "cublas";

    /// <summary>The environment variable naming the emulation's folder.</summary>
    public const string EmulationVariable = "TENSOR_CUDA_EMULATION";

    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, (IntPtr Handle, string? Loaded, List<string> Tried)> Results = new();

    static NativeLibraries() => NativeLibrary.SetDllImportResolver(typeof(NativeLibraries).Assembly, Resolve);

    /// <summary>Installs the resolver (idempotent; called before any binding is used).</summary>
    public static void EnsureResolver() { }

    /// <summary>The emulation folder, or null when the real libraries are used.</summary>
    public static string? EmulationDirectory => Environment.GetEnvironmentVariable(EmulationVariable) is { Length: > 0 } d ? d : null;

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? path) =>
        name is Driver or Nvrtc or Cublas ? Load(name).Handle : IntPtr.Zero;

    /// <summary>Loads a library by logical name (once), or returns a zero handle with the names tried.</summary>
    public static (IntPtr Handle, string? Loaded, IReadOnlyList<string> Tried) Load(string name)
    {
        lock (Gate)
        {
            if (Results.TryGetValue(name, out var r)) return (r.Handle, r.Loaded, r.Tried);
            var tried = new List<string>();
            IntPtr handle = IntPtr.Zero;
            string? loaded = null;
            foreach (var candidate in Candidates(name))
            {
                if (NativeLibrary.TryLoad(candidate, out handle)) { loaded = candidate; tried.Add(candidate + " (loaded)"); break; }
                tried.Add(candidate + " (not found)");
            }
            Results[name] = (handle, loaded, tried);
            return (handle, loaded, tried);
        }
    }

    /// <summary>True when the library can be loaded.</summary>
    public static bool IsPresent(string name) => Load(name).Handle != IntPtr.Zero;

    private static IEnumerable<string> Candidates(string name)
    {
        bool windows = OperatingSystem.IsWindows();
        var emulation = EmulationDirectory;
        if (emulation is not null && name == Driver) return [Path.Combine(emulation, "libcuda.so.1")];
        if (emulation is not null && name == Cublas) return [Path.Combine(emulation, "libcublas.so.12")];
        return name switch
        {
            Driver => windows ? ["nvcuda.dll"] : ["libcuda.so.1", "libcuda.so"],
            Nvrtc => windows
                ? ["nvrtc64_130_0.dll", "nvrtc64_120_0.dll", "nvrtc64_112_0.dll"]
                : ["libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so.11.2", "libnvrtc.so"],
            _ => windows
                ? ["cublas64_13.dll", "cublas64_12.dll", "cublas64_11.dll"]
                : ["libcublas.so.13", "libcublas.so.12", "libcublas.so.11", "libcublas.so"],
        };
    }
}
