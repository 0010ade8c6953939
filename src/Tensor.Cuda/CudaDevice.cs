using System.Runtime.InteropServices;
using Tensors.Cuda.Interop;

namespace Tensors.Cuda;

/// <summary>What the driver says about one GPU.</summary>
/// <param name="Index">The CUDA ordinal.</param>
/// <param name="Name">The device's name.</param>
/// <param name="Major">Compute capability, major.</param>
/// <param name="Minor">Compute capability, minor.</param>
/// <param name="TotalMemory">Device memory in bytes.</param>
/// <param name="Multiprocessors">The number of streaming multiprocessors.</param>
public sealed record CudaDeviceInfo(int Index, string Name, int Major, int Minor, long TotalMemory, int Multiprocessors)
{
    /// <summary>"sm_86"-style architecture name.</summary>
    public string Architecture => $"sm_{Major}{Minor}";
}

/// <summary>
/// One GPU in use: its primary context (made current on whichever thread calls into the backend), its caching
/// allocator, its kernels and its cuBLAS handle. All work goes to the legacy default stream, so kernels, copies and
/// cuBLAS calls run in the order they are issued and the host only waits when data comes back.
/// </summary>
internal sealed class CudaDevice
{
    [ThreadStatic] private static IntPtr _currentOnThread;

    private readonly IntPtr _context;
    private readonly Lazy<IntPtr> _cublas;

    public CudaDevice(int index)
    {
        Device = Tensors.Device.Cuda(index);
        Driver.Check(Driver.DeviceGet(out int handle, index), "cuDeviceGet");
        Driver.Check(Driver.DevicePrimaryCtxRetain(out _context, handle), "cuDevicePrimaryCtxRetain");
        Info = Query(index, handle);
        Allocator = new CudaAllocator(this);
        Staging = new PinnedStaging(this);
        MakeCurrent();
        Kernels = new KernelModules(this);
        _cublas = new Lazy<IntPtr>(CreateCublas);
    }

    public Device Device { get; }
    public CudaDeviceInfo Info { get; }
    public CudaAllocator Allocator { get; }
    public KernelModules Kernels { get; }
    public PinnedStaging Staging { get; }

    /// <summary>The cuBLAS handle, or zero when cuBLAS is not installed (the backend's own GEMM kernel serves).</summary>
    public IntPtr Cublas => _cublas.Value;

    /// <summary>Makes this device's context current on the calling thread (a no-op when it already is).</summary>
    public void MakeCurrent()
    {
        if (_currentOnThread == _context) return;
        Driver.Check(Driver.CtxSetCurrent(_context), "cuCtxSetCurrent");
        _currentOnThread = _context;
    }

    public void Synchronize()
    {
        MakeCurrent();
        Driver.Check(Driver.CtxSynchronize(), "cuCtxSynchronize");
    }

    internal static unsafe CudaDeviceInfo Query(int index, int handle)
    {
        var name = stackalloc byte[256];
        Driver.Check(Driver.DeviceGetName(name, 256, handle), "cuDeviceGetName");
        int Attribute(CuDeviceAttribute a)
        {
            Driver.Check(Driver.DeviceGetAttribute(out int v, a, handle), "cuDeviceGetAttribute");
            return v;
        }
        Driver.Check(Driver.DeviceTotalMem(out nuint total, handle), "cuDeviceTotalMem_v2");
        return new CudaDeviceInfo(index, Marshal.PtrToStringUTF8((IntPtr)name) ?? "?", Attribute(CuDeviceAttribute.ComputeCapabilityMajor),
            Attribute(CuDeviceAttribute.ComputeCapabilityMinor), (long)total, Attribute(CuDeviceAttribute.MultiprocessorCount));
    }

    private IntPtr CreateCublas()
    {
        if (!NativeLibraries.IsPresent(NativeLibraries.Cublas)) return IntPtr.Zero;
        MakeCurrent();
        Interop.Cublas.Check(Interop.Cublas.Create(out var handle), "cublasCreate_v2");
        Interop.Cublas.Check(Interop.Cublas.SetStream(handle, IntPtr.Zero), "cublasSetStream_v2");
        return handle;
    }
}
