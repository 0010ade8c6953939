using System.Runtime.InteropServices;

namespace Tensors.Cuda.Interop;

/// <summary>CUDA's status codes (<c>CUresult</c>); the names of the ones the backend reacts to.</summary>
internal enum CuResult
{
    Success = 0,
    InvalidValue = 1,
    OutOfMemory = 2,
    NotInitialized = 3,
    Deinitialized = 4,
    NoDevice = 100,
    InvalidDevice = 101,
    NotFound = 500,
}

/// <summary>The device attributes the backend reads (<c>CUdevice_attribute</c>).</summary>
internal enum CuDeviceAttribute
{
    MaxThreadsPerBlock = 1,
    MaxSharedMemoryPerBlock = 8,
    WarpSize = 10,
    MultiprocessorCount = 16,
    ComputeCapabilityMajor = 75,
    ComputeCapabilityMinor = 76,
}

/// <summary>
/// The driver API calls the backend makes, bound by their exported names. Versioned entry points are bound
/// explicitly (<c>cuMemAlloc_v2</c>, ...): the headers of newer CUDA releases map the plain names to other
/// versions with other signatures, so binding a plain name could call the wrong ABI. Handles are opaque pointers;
/// device pointers are 64-bit integers.
/// </summary>
internal static unsafe partial class Driver
{
    private const string Lib = NativeLibraries.Driver;

    static Driver() => NativeLibraries.EnsureResolver();

    [LibraryImport(Lib, EntryPoint = "cuInit")] public static partial CuResult Init(uint flags);
    [LibraryImport(Lib, EntryPoint = "cuDriverGetVersion")] public static partial CuResult DriverGetVersion(out int version);
    [LibraryImport(Lib, EntryPoint = "cuDeviceGetCount")] public static partial CuResult DeviceGetCount(out int count);
    [LibraryImport(Lib, EntryPoint = "cuDeviceGet")] public static partial CuResult DeviceGet(out int device, int ordinal);
    [LibraryImport(Lib, EntryPoint = "cuDeviceGetName")] public static partial CuResult DeviceGetName(byte* name, int length, int device);
    [LibraryImport(Lib, EntryPoint = "cuDeviceGetAttribute")] public static partial CuResult DeviceGetAttribute(out int value, CuDeviceAttribute attribute, int device);
    [LibraryImport(Lib, EntryPoint = "cuDeviceTotalMem_v2")] public static partial CuResult DeviceTotalMem(out nuint bytes, int device);
    [LibraryImport(Lib, EntryPoint = "cuDevicePrimaryCtxRetain")] public static partial CuResult DevicePrimaryCtxRetain(out IntPtr context, int device);
    [LibraryImport(Lib, EntryPoint = "cuDevicePrimaryCtxRelease_v2")] public static partial CuResult DevicePrimaryCtxRelease(int device);
    [LibraryImport(Lib, EntryPoint = "cuCtxSetCurrent")] public static partial CuResult CtxSetCurrent(IntPtr context);
    [LibraryImport(Lib, EntryPoint = "cuCtxGetCurrent")] public static partial CuResult CtxGetCurrent(out IntPtr context);
    [LibraryImport(Lib, EntryPoint = "cuCtxSynchronize")] public static partial CuResult CtxSynchronize();
    [LibraryImport(Lib, EntryPoint = "cuModuleLoadData")] public static partial CuResult ModuleLoadData(out IntPtr module, byte* image);
    [LibraryImport(Lib, EntryPoint = "cuModuleUnload")] public static partial CuResult ModuleUnload(IntPtr module);
    [LibraryImport(Lib, EntryPoint = "cuModuleGetFunction", StringMarshalling = StringMarshalling.Utf8)]
    public static partial CuResult ModuleGetFunction(out IntPtr function, IntPtr module, string name);
    [LibraryImport(Lib, EntryPoint = "cuLaunchKernel")]
    public static partial CuResult LaunchKernel(IntPtr function, uint gridX, uint gridY, uint gridZ, uint blockX, uint blockY, uint blockZ,
        uint sharedBytes, IntPtr stream, void** kernelParams, void** extra);
    [LibraryImport(Lib, EntryPoint = "cuMemAlloc_v2")] public static partial CuResult MemAlloc(out ulong pointer, nuint bytes);
    [LibraryImport(Lib, EntryPoint = "cuMemFree_v2")] public static partial CuResult MemFree(ulong pointer);
    [LibraryImport(Lib, EntryPoint = "cuMemGetInfo_v2")] public static partial CuResult MemGetInfo(out nuint free, out nuint total);
    [LibraryImport(Lib, EntryPoint = "cuMemcpyHtoD_v2")] public static partial CuResult MemcpyHtoD(ulong destination, void* source, nuint bytes);
    [LibraryImport(Lib, EntryPoint = "cuMemcpyDtoH_v2")] public static partial CuResult MemcpyDtoH(void* destination, ulong source, nuint bytes);
    [LibraryImport(Lib, EntryPoint = "cuMemcpyDtoD_v2")] public static partial CuResult MemcpyDtoD(ulong destination, ulong source, nuint bytes);
    [LibraryImport(Lib, EntryPoint = "cuMemsetD8_v2")] public static partial CuResult MemsetD8(ulong destination, byte value, nuint count);
    [LibraryImport(Lib, EntryPoint = "cuMemHostAlloc")] public static partial CuResult MemHostAlloc(out IntPtr pointer, nuint bytes, uint flags);
    [LibraryImport(Lib, EntryPoint = "cuMemFreeHost")] public static partial CuResult MemFreeHost(IntPtr pointer);
    [LibraryImport(Lib, EntryPoint = "cuGetErrorName")] public static partial CuResult GetErrorName(CuResult error, out byte* name);
    [LibraryImport(Lib, EntryPoint = "cuGetErrorString")] public static partial CuResult GetErrorString(CuResult error, out byte* text);

    /// <summary><c>CU_LAUNCH_PARAM_END</c>, <c>CU_LAUNCH_PARAM_BUFFER_POINTER</c>, <c>CU_LAUNCH_PARAM_BUFFER_SIZE</c>.</summary>
    public static readonly IntPtr LaunchParamEnd = 0, LaunchParamBufferPointer = 1, LaunchParamBufferSize = 2;

    /// <summary>Throws a <see cref="CudaException"/> naming <paramref name="call"/> and CUDA's own name and message
    /// unless <paramref name="result"/> is success.</summary>
    public static void Check(CuResult result, string call)
    {
        if (result != CuResult.Success) throw new CudaException(call, result, Describe(result));
    }

    /// <summary>"CUDA_ERROR_OUT_OF_MEMORY: out of memory", from the driver itself when it can say.</summary>
    public static string Describe(CuResult result)
    {
        try
        {
            string name = GetErrorName(result, out var n) == CuResult.Success && n != null ? Marshal.PtrToStringUTF8((IntPtr)n)! : $"CUresult {(int)result}";
            string text = GetErrorString(result, out var t) == CuResult.Success && t != null ? Marshal.PtrToStringUTF8((IntPtr)t)! : "no description";
            return $"{name}: {text}";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return $"CUresult {(int)result}";
        }
    }
}
