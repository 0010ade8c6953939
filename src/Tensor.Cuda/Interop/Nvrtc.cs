using System.Runtime.InteropServices;

namespace Tensors.Cuda.Interop;

/// <summary>NVRTC, the run-time CUDA compiler: used when present to compile the kernels for the device's exact
/// architecture, and by the test suites to check that every kernel compiles.</summary>
internal static unsafe partial class Nvrtc
{
    private const string Lib = NativeLibraries.Nvrtc;

    static Nvrtc() => NativeLibraries.EnsureResolver();

    [LibraryImport(Lib, EntryPoint = "nvrtcVersion")] public static partial int Version(out int major, out int minor);
    [LibraryImport(Lib, EntryPoint = "nvrtcGetNumSupportedArchs")] public static partial int GetNumSupportedArchs(out int count);
    [LibraryImport(Lib, EntryPoint = "nvrtcGetSupportedArchs")] public static partial int GetSupportedArchs(int* archs);
    [LibraryImport(Lib, EntryPoint = "nvrtcCreateProgram")]
    public static partial int CreateProgram(out IntPtr program, byte* source, byte* name, int headerCount, byte** headers, byte** includeNames);
    [LibraryImport(Lib, EntryPoint = "nvrtcCompileProgram")] public static partial int CompileProgram(IntPtr program, int optionCount, byte** options);
    [LibraryImport(Lib, EntryPoint = "nvrtcGetPTXSize")] public static partial int GetPTXSize(IntPtr program, out nuint size);
    [LibraryImport(Lib, EntryPoint = "nvrtcGetPTX")] public static partial int GetPTX(IntPtr program, byte* ptx);
    [LibraryImport(Lib, EntryPoint = "nvrtcGetCUBINSize")] public static partial int GetCUBINSize(IntPtr program, out nuint size);
    [LibraryImport(Lib, EntryPoint = "nvrtcGetCUBIN")] public static partial int GetCUBIN(IntPtr program, byte* cubin);
    [LibraryImport(Lib, EntryPoint = "nvrtcGetProgramLogSize")] public static partial int GetProgramLogSize(IntPtr program, out nuint size);
    [LibraryImport(Lib, EntryPoint = "nvrtcGetProgramLog")] public static partial int GetProgramLog(IntPtr program, byte* log);
    [LibraryImport(Lib, EntryPoint = "nvrtcDestroyProgram")] public static partial int DestroyProgram(ref IntPtr program);
    [LibraryImport(Lib, EntryPoint = "nvrtcGetErrorString")] public static partial byte* GetErrorString(int result);

    public static void Check(int result, string call)
    {
        if (result != 0)
            throw new CudaException(call, $"NVRTC error {result}: {Marshal.PtrToStringUTF8((IntPtr)GetErrorString(result))}");
    }
}
