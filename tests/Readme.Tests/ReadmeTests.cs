using Xunit;

namespace ReadmeSnippets;

/// <summary>Runs every program made of README.md's C# blocks (their compiling is checked by this project's build) and
/// checks the output their comments show. The blocks marked <c>gpu</c> run in Tensor.Cuda.Tests
/// (<c>ReadmeOnDeviceTests</c>), on a GPU or the CPU emulation of one.</summary>
[Collection(ReadmeCollection.Name)]
public sealed class ReadmeTests
{
    /// <summary>The README line of each CPU program's first block: the test names say which block failed.</summary>
    public static TheoryData<int> CpuPrograms() => new(ReadmePrograms.All.Where(p => !p.NeedsGpu).Select(p => p.Line));

    [Fact]
    public void TheReadmeHasTheBlocksItShows()
    {
        // The extraction itself: the example, the hand-written loop with its Learner continuation, and the GPU block.
        Assert.True(ReadmePrograms.All.Length >= 3, $"found {ReadmePrograms.All.Length} C# programs in README.md");
        Assert.Contains(ReadmePrograms.All, p => p.NeedsGpu);
        Assert.Contains(ReadmePrograms.All, p => p.ExpectedOutput.Any(e => e.Contains('\n')));
    }

    [Theory]
    [MemberData(nameof(CpuPrograms))]
    public void BlockRunsAndPrintsWhatTheReadmeSays(int line) => ReadmeRunner.RunAndCheck(ReadmeRunner.At(line));
}

/// <summary>The README's programs set the process's console and current folder: their tests run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ReadmeCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "README programs";
}
