// An MSBuild task (compiled by RoslynCodeTaskFactory, see Readme.Tests.csproj), not part of the test assembly.
// It turns every ```csharp block of README.md into C# that the test project compiles, so that a block that stops
// compiling breaks the build with an error at its README line (#line), and a registry the tests run.
//
// Info strings after "csharp" (GitHub highlights by the first word and ignores the rest):
//   (none)      the block is a program of its own, as a user's Program.cs with top-level statements;
//   continued   the block continues the previous C# block's program: they are compiled and run as one;
//   gpu         the program needs a CUDA device: Tensor.Cuda.Tests runs it on its device (a GPU or the emulation).
// Leading `using` directives (e.g. `using Tensors.Data; using Tensors.NN;`) move to the top of the generated file;
// the other lines become the body of one method, so locals and local functions carry across continued blocks.
// A comment after `Console.WriteLine(...);`, with the comment-only lines under it, is the output that call must
// print; the tests check it.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public sealed class ExtractCSharpBlocks : Task
{
    [Required] public string Readme { get; set; } = "";
    [Required] public string OutputDirectory { get; set; } = "";
    [Output] public ITaskItem[] Generated { get; set; } = Array.Empty<ITaskItem>();

    private static readonly Regex Directive = new(@"^\s*using\s+(static\s+)?[A-Za-z_][\w.]*(\s*=\s*[\w.<>, ]+)?\s*;\s*$");
    private static readonly Regex ExpectedOutput = new(@"^\s*Console\.WriteLine\(.*\);\s*//\s?(?<text>.*)$");
    private static readonly Regex CommentOnly = new(@"^\s*//\s?(?<text>.*)$");

    private sealed class Program
    {
        public int Line;                                     // the first block's opening fence, 1-based
        public bool Gpu;
        public readonly List<(int Line, string Text)> Usings = new();
        public readonly List<(int Line, List<string> Body)> Blocks = new();
        public readonly List<string> Expected = new();
    }

    public override bool Execute()
    {
        var lines = File.ReadAllLines(Readme);
        var programs = new List<Program>();
        for (int i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("```csharp", StringComparison.Ordinal)) continue;
            int fence = i + 1;
            var words = lines[i].Substring("```csharp".Length).Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
            foreach (var word in words.Where(w => w != "continued" && w != "gpu"))
            {
                Log.LogError(null, null, null, Readme, fence, 1, 0, 0,
                    $"README C# block: unknown word '{word}' after ```csharp; use 'continued' (the previous block's program goes on) or 'gpu' (it needs a CUDA device).");
                return false;
            }
            Program program;
            if (words.Contains("continued"))
            {
                if (programs.Count == 0)
                {
                    Log.LogError(null, null, null, Readme, fence, 1, 0, 0, "README C# block: 'continued' on the first C# block; there is nothing to continue.");
                    return false;
                }
                program = programs[programs.Count - 1];
            }
            else programs.Add(program = new Program { Line = fence });
            program.Gpu |= words.Contains("gpu");

            int start = i + 1;
            int end = start;
            while (end < lines.Length && !lines[end].StartsWith("```", StringComparison.Ordinal)) end++;
            if (end == lines.Length)
            {
                Log.LogError(null, null, null, Readme, fence, 1, 0, 0, "README C# block: no closing ``` fence.");
                return false;
            }
            int first = start;
            for (; first < end && (Directive.IsMatch(lines[first]) || IsDirectiveLine(lines[first]) || lines[first].Trim().Length == 0); first++)
                if (lines[first].Trim().Length > 0) program.Usings.Add((first + 1, lines[first]));
            program.Blocks.Add((first + 1, lines.Skip(first).Take(end - first).ToList()));
            for (int k = first; k < end; k++)
            {
                var match = ExpectedOutput.Match(lines[k]);
                if (!match.Success) continue;
                var text = new StringBuilder(match.Groups["text"].Value);
                for (int c = k + 1; c < end && CommentOnly.IsMatch(lines[c]); c++) text.Append('\n').Append(CommentOnly.Match(lines[c]).Groups["text"].Value);
                program.Expected.Add(text.ToString());
            }
            i = end;
        }

        Directory.CreateDirectory(OutputDirectory);
        var path = Path.GetFullPath(Readme).Replace("\\", "\\\\");
        var files = new List<string>();
        var registry = new StringBuilder("// <auto-generated/> from README.md by ExtractCSharpBlocks\n#nullable enable\nnamespace ReadmeSnippets;\n\n")
            .Append("internal static class ReadmePrograms\n{\n    public static readonly ReadmeProgram[] All =\n    [\n");
        foreach (var program in programs)
        {
            string name = $"ReadmeLine{program.Line}";
            var source = new StringBuilder($"// <auto-generated/> from README.md line {program.Line} by ExtractCSharpBlocks\n#nullable enable\n");
            foreach (var (line, text) in program.Usings) source.Append($"#line {line} \"{path}\"\n{text}\n");
            source.Append("#line default\nnamespace ReadmeSnippets;\n\n")
                .Append($"internal static class {name}\n{{\n    public static void Run()\n    {{\n");
            foreach (var (line, body) in program.Blocks)
            {
                source.Append($"#line {line} \"{path}\"\n");
                foreach (var text in body) source.Append(text).Append('\n');
            }
            source.Append("#line default\n    }\n}\n");
            files.Add(Write($"{name}.g.cs", source.ToString()));
            string expected = string.Join(", ", program.Expected.Select(Literal));
            registry.Append($"        new({program.Line}, {(program.Gpu ? "true" : "false")}, {name}.Run, [{expected}]),\n");
        }
        registry.Append("    ];\n}\n");
        files.Add(Write("ReadmePrograms.g.cs", registry.ToString()));
        // Files left from blocks that no longer exist would still compile: remove them.
        foreach (var stale in Directory.GetFiles(OutputDirectory, "*.g.cs").Where(f => !files.Contains(f))) File.Delete(stale);
        Generated = files.Select(f => (ITaskItem)new TaskItem(f)).ToArray();
        return true;
    }

    private static bool IsDirectiveLine(string line)
    {
        var parts = line.Split(new[] { ';' }, StringSplitOptions.RemoveEmptyEntries).Select(p => p.Trim()).Where(p => p.Length > 0).ToList();
        return parts.Count > 0 && line.TrimEnd().EndsWith(";") && parts.All(p => Directive.IsMatch(p + ";"));
    }

    private static string Literal(string text) =>
        "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n") + "\"";

    // Writes only when the text changed, so an unchanged README does not recompile the tests.
    private string Write(string fileName, string text)
    {
        string file = Path.GetFullPath(Path.Combine(OutputDirectory, fileName));
        if (!File.Exists(file) || File.ReadAllText(file) != text) File.WriteAllText(file, text);
        return file;
    }
}
