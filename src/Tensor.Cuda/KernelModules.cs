using System.Security.Cryptography;
using System.Text;
using Tensors.Cuda.Interop;

namespace Tensors.Cuda;

/// <summary>
/// The device's kernels: one module per <c>native/*.cu</c>. Where NVRTC is installed the sources are compiled for
/// the device's own architecture (the best NVRTC supports up to it) and the PTX is cached on disk, keyed by the
/// source hash, the architecture and NVRTC's version; otherwise the shipped <c>compute_75</c> PTX is loaded and the
/// driver JIT-compiles it. Functions are looked up once by name.
/// </summary>
internal sealed unsafe class KernelModules
{
    private readonly CudaDevice _device;
    private readonly List<IntPtr> _modules = new();
    private readonly Dictionary<string, IntPtr> _functions = new();
    private readonly Lock _gate = new();

    public KernelModules(CudaDevice device)
    {
        _device = device;
        var version = NvrtcCompiler.Version;
        foreach (var stem in KernelSources.Stems)
        {
            var ptx = version is { } v ? CompiledPtx(stem, v) : KernelSources.ShippedPtx(stem)
                ?? throw new CudaException($"Tensor.Cuda: no PTX was shipped for {stem}.cu and NVRTC is not installed to compile it.");
            var bytes = Encoding.UTF8.GetBytes(ptx + "\0");
            fixed (byte* p = bytes)
            {
                Driver.Check(Driver.ModuleLoadData(out var module, p), $"cuModuleLoadData ({stem})");
                _modules.Add(module);
            }
        }
    }

    public IntPtr Function(string name)
    {
        lock (_gate)
        {
            if (_functions.TryGetValue(name, out var f)) return f;
            foreach (var module in _modules)
                if (Driver.ModuleGetFunction(out f, module, name) == CuResult.Success)
                    return _functions[name] = f;
            throw new CudaException($"cuModuleGetFunction: no kernel named {name} in the loaded modules ({string.Join(", ", KernelSources.Stems)}).");
        }
    }

    /// <summary>Queues a kernel on the device's stream with its parameters packed as one buffer.</summary>
    public void Launch(string kernel, LaunchShape shape, ReadOnlySpan<byte> parameters)
    {
        var function = Function(kernel);
        _device.MakeCurrent();
        nuint size = (nuint)parameters.Length;
        fixed (byte* buffer = parameters)
        {
            var extra = stackalloc void*[5];
            extra[0] = (void*)Driver.LaunchParamBufferPointer;
            extra[1] = buffer;
            extra[2] = (void*)Driver.LaunchParamBufferSize;
            extra[3] = &size;
            extra[4] = (void*)Driver.LaunchParamEnd;
            Driver.Check(Driver.LaunchKernel(function, shape.GridX, shape.GridY, shape.GridZ, shape.BlockX, shape.BlockY, 1,
                shape.SharedBytes, IntPtr.Zero, null, (void**)extra), $"cuLaunchKernel ({kernel})");
        }
    }

    private string CompiledPtx(string stem, (int Major, int Minor) nvrtc)
    {
        int device = _device.Info.Major * 10 + _device.Info.Minor;
        var supported = NvrtcCompiler.SupportedArchitectures().Where(a => a <= device).DefaultIfEmpty(KernelSources.ShippedArchitecture).Max();
        var source = KernelSources.Source(stem);
        var options = KernelSources.CompileOptions(supported);
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(
            source + string.Concat(KernelSources.Headers.Values) + string.Join(' ', options))))[..24];
        var path = Path.Combine(CacheDirectory, $"{stem}-{key}-compute_{supported}-nvrtc{nvrtc.Major}.{nvrtc.Minor}.ptx");
        if (File.Exists(path)) return File.ReadAllText(path);
        var (ptx, _) = NvrtcCompiler.Compile(source, stem + ".cu", KernelSources.Headers, options, cubin: false);
        var text = Encoding.UTF8.GetString(ptx).TrimEnd('\0');
        try
        {
            Directory.CreateDirectory(CacheDirectory);
            var tmp = path + ".tmp-" + Guid.NewGuid().ToString("N");
            File.WriteAllText(tmp, text);
            File.Move(tmp, path, overwrite: true);
        }
        catch (IOException) { } // a read-only or full disk only costs a recompile next time
        catch (UnauthorizedAccessException) { }
        return text;
    }

    /// <summary>Where compiled kernels are cached: <c>TENSOR_CUDA_CACHE</c>, else the user's local application data.</summary>
    public static string CacheDirectory =>
        Environment.GetEnvironmentVariable("TENSOR_CUDA_CACHE") is { Length: > 0 } d
            ? d
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "tensor-cuda");
}

/// <summary>A launch's grid, block and dynamic shared memory.</summary>
internal readonly record struct LaunchShape(uint GridX, uint GridY, uint GridZ, uint BlockX, uint BlockY, uint SharedBytes = 0)
{
    /// <summary>A 1-D grid-stride launch over <paramref name="n"/> elements: blocks of <paramref name="block"/>
    /// threads, at most <paramref name="maxBlocks"/> of them.</summary>
    public static LaunchShape Linear(long n, uint block, long maxBlocks) =>
        new((uint)Math.Clamp((n + block - 1) / block, 1, maxBlocks), 1, 1, block, 1);
}
