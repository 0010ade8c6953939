using System.Diagnostics;
using Tensors.Samples.MnistBasics.Data;
using Xunit;

namespace Tensors.Tests.Sample;

/// <summary>The sample run as a program with its output redirected to a file or a pipe, as a user or CI runs it: no
/// escape codes, no line wrapped at 80 columns, warnings on stderr.</summary>
public class RedirectedOutputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mnist-redirected-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private (int Code, string Out, string Err) RunSample(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = _dir,
        };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "MnistBasics.dll") }.Concat(args)) start.ArgumentList.Add(a);
        start.Environment.Remove("MNIST_SAMPLE");   // the subset beside the program, whatever this machine has
        foreach (var (k, v) in environment) start.Environment[k] = v;
        using var process = Process.Start(start)!;
        var err = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, err.GetAwaiter().GetResult());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("1")]
    public void RedirectedOutputHasNoEscapeCodesAndNoWrappedLines(string? noColor)
    {
        var (code, output, errors) = RunSample(new Dictionary<string, string?> { ["NO_COLOR"] = noColor, ["TERM"] = "xterm-256color" },
            "--parts", "1,2,3,4", "--no-download", "--out", Path.Combine(_dir, "out"));
        Assert.True(code == 0, output + errors);
        Assert.DoesNotContain("\u001b", output, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b", errors, StringComparison.Ordinal);
        var lines = output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        // Lines longer than 80 columns come out whole.
        Assert.Contains(lines, l => l.StartsWith("Data: ", StringComparison.Ordinal) && l.Contains(DataLocator.SubsetDir, StringComparison.Ordinal)
            && l.EndsWith(": train 150 3s + 150 7s, valid 50 3s + 50 7s", StringComparison.Ordinal) && l.Length > 80);
        Assert.Contains(lines, l => l.StartsWith("mnist_distance(valid_3_tens, mean3) has shape [", StringComparison.Ordinal)
            && l.EndsWith("]: broadcasting over the whole set", StringComparison.Ordinal) && l.Length > 80);
        Assert.Contains(lines, l => l.StartsWith("validate_epoch after each of 20 epochs: ", StringComparison.Ordinal) && l.Split(' ').Length == 26);
        // Headings at most 80 wide, not the huge width that stops wrapping.
        Assert.All(lines, l => Assert.True(l.Length <= 200, $"a {l.Length}-character line: {l[..Math.Min(60, l.Length)]}..."));
        // The fall-back to the subset is a warning: on stderr, not in the output.
        Assert.Contains("warning: using the small subset", errors);
        Assert.DoesNotContain("small subset", output);
    }
}
