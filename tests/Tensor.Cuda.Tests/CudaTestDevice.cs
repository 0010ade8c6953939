using System.Diagnostics;
using Xunit;

namespace Tensors.Cuda.Tests;

/// <summary>
/// The device the suite runs on: a real GPU when the driver reports one, else the CPU emulation of the device
/// (<c>tests/CudaEmulation</c>), built here with g++ on first use. Without either (no GPU, no g++, or no NVRTC to
/// compile the kernels) the tests are skipped with the reason, except in CI (<c>CI=true</c>), where they fail:
/// CI installs what the emulation needs, so a skip there would hide a broken build.
/// </summary>
internal static class CudaTestDevice
{
    private static readonly Lazy<string?> Problem = new(Prepare);

    /// <summary>"emulation" or "gpu", once ready.</summary>
    public static string Kind { get; private set; } = "none";

    /// <summary>Skips (or in CI fails) the calling test unless a CUDA device can be used; registers the backend.</summary>
    public static void Require()
    {
        if (Problem.Value is { } reason) SkipOrFail(reason);
    }

    /// <summary>Skips the calling test with <paramref name="reason"/>, or fails it in CI, where everything the CUDA
    /// suites need is installed.</summary>
    public static void SkipOrFail(string reason)
    {
        if (Environment.GetEnvironmentVariable("CI") == "true")
            throw new InvalidOperationException($"CUDA tests cannot run in CI: {reason}");
        throw new SkipException($"CUDA tests skipped: {reason}");
    }

    /// <summary>The repository root (the folder holding Tensor.sln).</summary>
    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Tensor.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("Tensor.sln not found above the test assembly.");
        }
    }

    private static string? Prepare()
    {
        var emulation = Environment.GetEnvironmentVariable(Interop.NativeLibraries.EmulationVariable);
        if (string.IsNullOrEmpty(emulation) && !RealGpuPresent())
        {
            if (NvrtcCompiler.Version is null) return "no GPU, and NVRTC (libnvrtc) is not installed to compile the kernels for the emulation.";
            var built = BuildEmulation(out var error);
            if (built is null) return error;
            Environment.SetEnvironmentVariable(Interop.NativeLibraries.EmulationVariable, built);
        }
        if (!CudaBackend.IsAvailable) return CudaBackend.UnavailableReason;
        Kind = Interop.NativeLibraries.EmulationDirectory is null ? "gpu" : "emulation";
        CudaBackend.Register();
        return null;
    }

    // A real driver is only probed when nothing asked for the emulation: loading libcuda.so.1 would pin the choice.
    private static bool RealGpuPresent() =>
        System.Runtime.InteropServices.NativeLibrary.TryLoad(OperatingSystem.IsWindows() ? "nvcuda.dll" : "libcuda.so.1", out var h)
        && h != IntPtr.Zero && Environment.GetEnvironmentVariable("TENSOR_CUDA_TESTS_FORCE_EMULATION") != "1";

    /// <summary>Builds the emulation into artifacts/cuda-emulation (once per source state) and returns the folder.</summary>
    private static string? BuildEmulation(out string? error)
    {
        error = null;
        var root = RepositoryRoot;
        var out_ = Path.Combine(root, "artifacts", "cuda-emulation");
        var script = Path.Combine(root, "tests", "CudaEmulation", "build.sh");
        // The sources' hash decides whether the last build can be reused (a build takes g++ half a minute).
        var sources = Directory.GetFiles(Path.Combine(root, "native"), "*.cu*")
            .Concat(Directory.GetFiles(Path.Combine(root, "tests", "CudaEmulation")))
            .Order(StringComparer.Ordinal).SelectMany(f => File.ReadAllBytes(f).Concat(System.Text.Encoding.UTF8.GetBytes(f))).ToArray();
        var hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(sources));
        var stamp = Path.Combine(out_, "sources.sha256");
        if (File.Exists(stamp) && File.ReadAllText(stamp) == hash && File.Exists(Path.Combine(out_, "libcuda.so.1"))) return out_;
        try
        {
            var psi = new ProcessStartInfo("bash", [script, out_]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0)
            {
                error = $"building the CUDA emulation failed (bash {script}): {stderr.Trim()} {stdout.Result.Trim()}";
                return null;
            }
            File.WriteAllText(stamp, hash);
        }
        catch (Exception e)
        {
            error = $"building the CUDA emulation failed: {e.Message}";
            return null;
        }
        return out_;
    }
}

/// <summary>Tests that touch the CUDA backend's process-wide state run one at a time.</summary>
[CollectionDefinition(nameof(CudaTestDevice), DisableParallelization = true)]
public sealed class CudaCollection;
