using System.Text;
using System.Text.RegularExpressions;
using Xunit;
using Xunit.Abstractions;

namespace Tensors.Cuda.Tests;

/// <summary>
/// Every kernel file compiles with the real NVRTC for the oldest and newest architectures we target, ptxas spills
/// no registers in the elementwise and reduction kernels, and the PTX shipped in the assembly is exactly what the
/// sources compile to. Set <c>TENSOR_UPDATE_PTX=1</c> to rewrite <c>native/ptx</c> after changing a kernel.
/// </summary>
public partial class KernelCompileTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> Stems() => KernelSources.Stems.Select(s => new object[] { s });

    private static void RequireNvrtc()
    {
        if (NvrtcCompiler.Version is null)
            CudaTestDevice.SkipOrFail("NVRTC is not installed to compile the kernels (on Debian: bash .ci/install-cuda-tools).");
    }

    [SkippableTheory, MemberData(nameof(Stems))]
    public void CompilesForEveryTargetWithoutSpills(string stem)
    {
        RequireNvrtc();
        foreach (var arch in new[] { 75, 90 })
        {
            var (ptx, _) = NvrtcCompiler.Compile(KernelSources.Source(stem), stem + ".cu", KernelSources.Headers,
                [.. KernelSources.Options, $"--gpu-architecture=compute_{arch}"], cubin: false);
            Assert.Contains(".entry", Encoding.UTF8.GetString(ptx));
            var (cubin, log) = NvrtcCompiler.Compile(KernelSources.Source(stem), stem + ".cu", KernelSources.Headers,
                [.. KernelSources.Options, $"--gpu-architecture=sm_{arch}", "--ptxas-options=--verbose"], cubin: true);
            Assert.True(cubin.Length > 0);
            var functions = Properties().Matches(log).ToList();
            Assert.NotEmpty(functions);
            int registers = Registers().Matches(log).Select(m => int.Parse(m.Groups[1].Value)).DefaultIfEmpty(0).Max();
            output.WriteLine($"{stem} sm_{arch}: {functions.Count} kernels, at most {registers} registers per thread");
            foreach (Match f in functions)
            {
                var (name, stores, loads) = (f.Groups[1].Value, int.Parse(f.Groups[2].Value), int.Parse(f.Groups[3].Value));
                if (name.StartsWith("matmul_", StringComparison.Ordinal)) continue; // tiles may spill a little; reported, not refused
                Assert.True(stores == 0 && loads == 0, $"{name} (sm_{arch}) spills registers: {stores} bytes stored, {loads} bytes loaded");
            }
        }
    }

    [SkippableTheory, MemberData(nameof(Stems))]
    public void ShippedPtxMatchesTheSources(string stem)
    {
        RequireNvrtc();
        var (ptx, _) = NvrtcCompiler.Compile(KernelSources.Source(stem), stem + ".cu", KernelSources.Headers,
            KernelSources.CompileOptions(KernelSources.ShippedArchitecture), cubin: false);
        var text = Normalize(Encoding.UTF8.GetString(ptx));
        var path = Path.Combine(CudaTestDevice.RepositoryRoot, "native", "ptx", stem + ".ptx");
        if (Environment.GetEnvironmentVariable("TENSOR_UPDATE_PTX") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text);
        }
        Assert.True(File.Exists(path), $"{path} is missing: run the CUDA tests once with TENSOR_UPDATE_PTX=1 to write it.");
        Assert.True(Normalize(File.ReadAllText(path)) == text,
            $"native/ptx/{stem}.ptx is not what native/{stem}.cu compiles to (NVRTC {NvrtcCompiler.Version}); regenerate it with TENSOR_UPDATE_PTX=1.");
        Assert.Equal(text, Normalize(KernelSources.ShippedPtx(stem) ?? ""));
    }

    [GeneratedRegex(@"Function properties for (\w+)\s*\n[^\n]*?\d+ bytes stack frame, (\d+) bytes spill stores, (\d+) bytes spill loads")]
    private static partial Regex Properties();

    // NVRTC numbers call sequences with a counter that lives as long as the process, so the same source compiled
    // twice differs in those comments only.
    private static string Normalize(string ptx) => CallSequence().Replace(ptx.TrimEnd('\0'), "callseq N");

    [GeneratedRegex(@"callseq \d+")]
    private static partial Regex CallSequence();

    [GeneratedRegex(@"Used (\d+) registers")]
    private static partial Regex Registers();
}
