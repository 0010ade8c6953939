using System.Runtime.InteropServices;
using System.Text;
using Tensors.Cuda.Interop;

namespace Tensors.Cuda;

/// <summary>Compiles CUDA C++ with NVRTC: PTX for a <c>compute_XY</c> target, or CUBIN for an <c>sm_XY</c> one (with
/// the compiler's log, where <c>--ptxas-options=--verbose</c> reports registers and spills).</summary>
internal static unsafe class NvrtcCompiler
{
    /// <summary>NVRTC's version, or null when it is not installed.</summary>
    public static (int Major, int Minor)? Version
    {
        get
        {
            if (!NativeLibraries.IsPresent(NativeLibraries.Nvrtc)) return null;
            Nvrtc.Check(Nvrtc.Version(out int major, out int minor), "nvrtcVersion");
            return (major, minor);
        }
    }

    /// <summary>The architectures this NVRTC can target (e.g. 75, 80, 86, 90).</summary>
    public static int[] SupportedArchitectures()
    {
        Nvrtc.Check(Nvrtc.GetNumSupportedArchs(out int count), "nvrtcGetNumSupportedArchs");
        var archs = new int[count];
        fixed (int* p = archs) Nvrtc.Check(Nvrtc.GetSupportedArchs(p), "nvrtcGetSupportedArchs");
        return archs;
    }

    /// <summary>Compiles <paramref name="source"/>; throws <see cref="CudaException"/> with the compiler's log when it
    /// fails. <paramref name="cubin"/> asks for CUBIN (the options must name an <c>sm_</c> architecture).</summary>
    public static (byte[] Output, string Log) Compile(string source, string name, IReadOnlyDictionary<string, string> headers,
        IReadOnlyList<string> options, bool cubin)
    {
        var pinned = new List<GCHandle>();
        IntPtr Utf8(string s)
        {
            var h = GCHandle.Alloc(Encoding.UTF8.GetBytes(s + "\0"), GCHandleType.Pinned);
            pinned.Add(h);
            return h.AddrOfPinnedObject();
        }
        try
        {
            var headerText = headers.Values.Select(Utf8).ToArray();
            var headerNames = headers.Keys.Select(Utf8).ToArray();
            var optionText = options.Select(Utf8).ToArray();
            IntPtr program;
            fixed (IntPtr* h = headerText, n = headerNames)
                Nvrtc.Check(Nvrtc.CreateProgram(out program, (byte*)Utf8(source), (byte*)Utf8(name), headers.Count, (byte**)h, (byte**)n), "nvrtcCreateProgram");
            try
            {
                int result;
                fixed (IntPtr* o = optionText) result = Nvrtc.CompileProgram(program, optionText.Length, (byte**)o);
                string log = Log(program);
                if (result != 0)
                    throw new CudaException("nvrtcCompileProgram", $"{name} ({string.Join(' ', options)}) did not compile:\n{log}");
                nuint size;
                Nvrtc.Check(cubin ? Nvrtc.GetCUBINSize(program, out size) : Nvrtc.GetPTXSize(program, out size), "nvrtcGetPTXSize");
                var output = new byte[(int)size];
                fixed (byte* p = output) Nvrtc.Check(cubin ? Nvrtc.GetCUBIN(program, p) : Nvrtc.GetPTX(program, p), "nvrtcGetPTX");
                return (output, log);
            }
            finally { Nvrtc.DestroyProgram(ref program); }
        }
        finally { pinned.ForEach(h => h.Free()); }
    }

    private static string Log(IntPtr program)
    {
        Nvrtc.Check(Nvrtc.GetProgramLogSize(program, out nuint size), "nvrtcGetProgramLogSize");
        var log = new byte[(int)size];
        fixed (byte* p = log) Nvrtc.Check(Nvrtc.GetProgramLog(program, p), "nvrtcGetProgramLog");
        return Encoding.UTF8.GetString(log).TrimEnd('\0');
    }
}
