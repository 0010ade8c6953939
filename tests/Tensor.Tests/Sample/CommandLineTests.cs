using Spectre.Console;
using Tensors.Samples.MnistBasics;
using Tensors.Samples.MnistBasics.Data;
using Xunit;

namespace Tensors.Tests.Sample;

/// <summary>The sample's command line: every mistake is one line on stderr and exit code 2, found before any work.</summary>
[Collection(DefaultGeneratorCollection.Name)]
public class CommandLineTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mnist-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string OutDir => Path.Combine(_dir, "out");

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No, Interactive = InteractionSupport.No, Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = 200; // no wrapping of the usage line
        int code = Cli.Run(args, console, errors);
        return (code, output.ToString(), errors.ToString());
    }

    // Exit code 2, exactly this one line on stderr, nothing on stdout, and no output folder made.
    private void Refused(string line, params string[] args)
    {
        var (code, output, errors) = Run([.. args, "--no-download", "--out", OutDir]);
        Assert.Equal(line + Environment.NewLine, errors);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.False(Directory.Exists(OutDir), "the output folder was created");
    }

    [Fact]
    public void BadValuesNameTheOption()
    {
        Refused("MnistBasics: --seed: 'abc' is not an integer", "--seed", "abc");
        Refused("MnistBasics: --seed: '-1' is out of range (0 to 18446744073709551615)", "--seed", "-1");
        Refused("MnistBasics: --parts: 'x' is not an integer", "--parts", "1,x");
        Refused("MnistBasics: --parts: '8' is out of range (1 to 7)", "--parts", "8");
        if (!Tensors.Cuda.CudaBackend.IsAvailable)
            Refused($"MnistBasics: --device: 'cuda': CUDA is not available: {Tensors.Cuda.CudaBackend.UnavailableReason!.TrimEnd('.')}; use cpu", "--device", "cuda");
        Refused("MnistBasics: --device: 'cuda:x' is not a device; use cpu, cuda or cuda:N", "--device", "cuda:x");
        Refused("MnistBasics: --device: 'tpu' is not a device; use cpu or cuda", "--device", "tpu");
        // The last option's value is missing; the mistake is caught before the later option is looked at.
        var (code, _, errors) = Run("--data", DataLocator.SubsetDir, "--seed");
        Assert.Equal((2, "MnistBasics: --seed: needs a value" + Environment.NewLine), (code, errors));
    }

    [Fact]
    public void UnknownOptionsAreRefused()
    {
        Refused("MnistBasics: unknown option '--epochs' (--help lists them)", "--epochs", "3");
        Refused("MnistBasics: unknown option 'data' (--help lists them)", "data");
    }

    [Fact]
    public void BadDataIsOneLineNotAStackTrace()
    {
        var missing = Path.Combine(_dir, "missing");
        Refused($"MnistBasics: --data: the folder '{missing}' does not exist", "--data", missing);
        var empty = Directory.CreateDirectory(Path.Combine(_dir, "empty")).FullName;
        Refused($"MnistBasics: --data: '{empty}' holds neither fastai's MNIST_SAMPLE layout (train/3, train/7, valid/3, valid/7 with PNG files) " +
                "nor the MNIST IDX files (train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz])",
                "--data", empty);
        var file = Path.Combine(_dir, "notes.txt");
        File.WriteAllText(file, "not a dataset");
        Refused($"MnistBasics: --data: '{file}' is a file; give the folder that holds the data", "--data", file);
        // The right layout with a damaged file in it: found while loading, still before any of the chapter runs.
        var damaged = Path.Combine(_dir, "damaged");
        foreach (var sub in new[] { "train/3", "train/7", "valid/3", "valid/7" }) Directory.CreateDirectory(Path.Combine(damaged, sub));
        var bad = Path.Combine(damaged, "train", "3", "1.png");
        File.WriteAllText(bad, "GIF89a");
        var (code, output, errors) = Run("--data", damaged, "--out", OutDir);
        Assert.Equal((2, $"MnistBasics: --data: PNG '{bad}': not a PNG file (bad signature){Environment.NewLine}"), (code, errors));
        Assert.DoesNotContain("Part 1", output);
    }

    [Fact]
    public void OutputFoldersAreCheckedFirst()
    {
        var file = Path.Combine(_dir, "a-file");
        File.WriteAllText(file, "");
        var (code, output, errors) = Run("--data", DataLocator.SubsetDir, "--json", Path.Combine(file, "sub", "r.json"), "--out", OutDir);
        Assert.Equal(2, code);
        Assert.StartsWith($"MnistBasics: --json: cannot create the folder '{Path.Combine(file, "sub")}' (", errors);
        Assert.Single(errors.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("", output);
        Refused($"MnistBasics: --json: '{_dir}' is a folder; give a file name", "--json", _dir);
        (code, _, errors) = Run("--data", DataLocator.SubsetDir, "--out", file);
        Assert.Equal((2, $"MnistBasics: --out: '{file}' is a file, not a folder{Environment.NewLine}"), (code, errors));
    }

    [Fact]
    public void AJsonFileInAMissingFolderIsWritten()
    {
        var json = Path.Combine(_dir, "new", "deeper", "r.json");
        var (code, output, errors) = Run("--data", DataLocator.SubsetDir, "--parts", "1", "--json", json, "--out", OutDir);
        Assert.Equal((0, ""), (code, errors));
        Assert.Contains("Part 1", output);
        Assert.Contains("\"look_at_data\"", File.ReadAllText(json));
    }

    [Fact]
    public void HelpPrintsTheUsage()
    {
        var (code, output, errors) = Run("--seed", "1", "--help");
        Assert.Equal((0, ""), (code, errors));
        Assert.Equal(Options.Usage + Environment.NewLine, output);
    }
}
