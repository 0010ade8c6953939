using ReadmeSnippets;
using Xunit;

namespace Tensors.Cuda.Tests;

/// <summary>README.md's C# blocks marked <c>gpu</c> (compiled by Readme.Tests' build), run on this suite's device:
/// a GPU, or the CPU emulation of one, so that CI runs them too. In the device collection, which runs alone: the
/// programs set the console and the current folder.</summary>
[Collection(nameof(CudaTestDevice))]
public sealed class ReadmeOnDeviceTests
{
    /// <summary>The README line of each GPU program's first block.</summary>
    public static TheoryData<int> GpuPrograms() => new(ReadmePrograms.All.Where(p => p.NeedsGpu).Select(p => p.Line));

    [Fact]
    public void TheReadmeHasAGpuBlock() => Assert.NotEmpty(GpuPrograms());

    [SkippableTheory]
    [MemberData(nameof(GpuPrograms))]
    public void GpuBlockRunsAndPrintsWhatTheReadmeSays(int line)
    {
        CudaTestDevice.Require();
        ReadmeRunner.RunAndCheck(ReadmeRunner.At(line));
    }
}
