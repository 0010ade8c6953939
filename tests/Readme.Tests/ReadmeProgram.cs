namespace ReadmeSnippets;

/// <summary>One program made of README.md's C# blocks (a block and the blocks marked <c>continued</c> after it).</summary>
/// <param name="Line">The README line of the first block's opening fence.</param>
/// <param name="NeedsGpu">Marked <c>gpu</c>: run by Tensor.Cuda.Tests on its device.</param>
/// <param name="Run">The blocks' code, as the body of one method.</param>
/// <param name="ExpectedOutput">What the README's comments after <c>Console.WriteLine</c> calls say they print, in
/// order.</param>
internal sealed record ReadmeProgram(int Line, bool NeedsGpu, Action Run, string[] ExpectedOutput);
