using Xunit;

namespace ReadmeSnippets;

/// <summary>Runs a README program in a folder of its own with the console captured, and checks that each
/// <c>Console.WriteLine</c> the README annotates printed what its comment says. Shared by <see cref="ReadmeTests"/>
/// and the CUDA suite, which runs the blocks marked <c>gpu</c> on its device.</summary>
internal static class ReadmeRunner
{
    private static readonly object ConsoleLock = new();

    /// <summary>The program whose first block opens at README line <paramref name="line"/>.</summary>
    /// <param name="line">The line of the opening fence.</param>
    public static ReadmeProgram At(int line) => ReadmePrograms.All.Single(p => p.Line == line);

    /// <summary>Runs <paramref name="program"/> and asserts its annotated output, in order.</summary>
    /// <param name="program">The program to run.</param>
    public static void RunAndCheck(ReadmeProgram program)
    {
        string output = RunInFolderOfItsOwn(program.Run);
        int from = 0;
        foreach (var expected in program.ExpectedOutput)
        {
            int at = output.IndexOf(expected, from, StringComparison.Ordinal);
            Assert.True(at >= 0, $"README.md line {program.Line}: the comment says\n{expected}\nbut the block printed (from there on)\n{output[from..]}");
            from = at + expected.Length;
        }
    }

    private static string RunInFolderOfItsOwn(Action run)
    {
        // Console and the current folder belong to the process: one program at a time, and the test classes that
        // call this sit in a collection that runs alone.
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
