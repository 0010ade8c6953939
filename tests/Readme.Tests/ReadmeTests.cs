using Tensors.Cuda;
using Xunit;

namespace ReadmeSnippets;

/// <summary>Runs every program made of README.md's C# blocks (their compiling is checked by this project's build) in
/// a folder of its own, and checks that each <c>Console.WriteLine</c> the README annotates prints what its comment
/// says.</summary>
public sealed class ReadmeTests
{
    private static readonly object ConsoleLock = new();

    /// <summary>The README line of each program's first block: the test names say which block failed.</summary>
    public static TheoryData<int> Programs() => new(ReadmePrograms.All.Select(p => p.Line));

    [Fact]
    public void TheReadmeHasTheBlocksItShows()
    {
        // The extraction itself: the example, the hand-written loop with its Learner continuation, and the GPU block.
        Assert.True(ReadmePrograms.All.Length >= 3, $"found {ReadmePrograms.All.Length} C# programs in README.md");
        Assert.Contains(ReadmePrograms.All, p => p.NeedsGpu);
        Assert.Contains(ReadmePrograms.All, p => p.ExpectedOutput.Any(e => e.Contains('\n')));
    }

    [SkippableTheory]
    [MemberData(nameof(Programs))]
    public void BlockRunsAndPrintsWhatTheReadmeSays(int line)
    {
        var program = ReadmePrograms.All.Single(p => p.Line == line);
        if (program.NeedsGpu)
        {
            CudaBackend.Register();
            Skip.IfNot(CudaBackend.IsAvailable, $"README.md line {line} needs a CUDA device (compiled only): {CudaBackend.Diagnose()}");
        }
        string output = RunInFolderOfItsOwn(program.Run);
        int from = 0;
        foreach (var expected in program.ExpectedOutput)
        {
            int at = output.IndexOf(expected, from, StringComparison.Ordinal);
            Assert.True(at >= 0, $"README.md line {line}: the comment says\n{expected}\nbut the block printed (from there on)\n{output[from..]}");
            from = at + expected.Length;
        }
    }

    private static string RunInFolderOfItsOwn(Action run)
    {
        // Console and the current folder belong to the process: one program at a time (xunit runs the tests of one
        // class one after another; the lock keeps it so).
        lock (ConsoleLock)
        {
            var folder = Directory.CreateTempSubdirectory("readme-block-");
            var (oldOut, oldFolder) = (Console.Out, Environment.CurrentDirectory);
            var captured = new StringWriter { NewLine = "\n" };
            try
            {
                Console.SetOut(captured);
                Environment.CurrentDirectory = folder.FullName;
                run();
            }
            finally
            {
                Console.SetOut(oldOut);
                Environment.CurrentDirectory = oldFolder;
                folder.Delete(recursive: true);
            }
            return captured.ToString();
        }
    }
}
