using System.Globalization;
using System.Numerics;
using Tensors.Samples.MnistBasics.Data;

namespace Tensors.Samples.MnistBasics;

/// <summary>A command-line mistake: the option it concerns (or null) and what is wrong, for one line on stderr.</summary>
public sealed class OptionException(string? option, string message) : Exception(message)
{
    /// <summary>The option at fault, as typed, or null when the mistake is not one option's.</summary>
    public string? Option { get; } = option;
}

/// <summary>The sample's options, parsed and checked before any work: values, the data folder, and that the
/// folders the run writes to exist or can be created.</summary>
public sealed record Options
{
    /// <summary>The --help text: every option with its default, read from a fresh <see cref="Options"/> so that it
    /// cannot drift from the code.</summary>
    public static string Usage { get; } = UsageText(new Options());

    private static string UsageText(Options d) => string.Join(Environment.NewLine,
        "usage: MnistBasics [--data DIR] [--device cpu|cuda] [--parts 1,2,...] [--seed N] [--json FILE]",
        "                   [--out DIR] [--no-download] [--export-subset DIR]",
        "",
        "fastai's chapter 4, \"MNIST basics\" (3s against 7s), with the Tensor library. Defaults in brackets.",
        "",
        "  --data DIR           fastai's MNIST_SAMPLE folder (train/3, train/7, valid/3, valid/7) or the",
        "                       MNIST IDX files [$MNIST_SAMPLE, else ~/.fastai/data/mnist_sample, else a",
        "                       download of it, else the 400-image subset that ships with the sample]",
        $"  --device cpu|cuda    where the tensors and models live; cuda or cuda:N needs a GPU [{d.Device}]",
        $"  --parts 1,2,...      the parts to run [{string.Join(",", d.Parts)}]: 1 look at the data,",
        "                       2 pixel similarity, 3 SGD on a quadratic, 4 a linear model by hand,",
        "                       5 nn.Linear, SGD and a Learner, 6 simple_net, 7 resnet18 (one epoch)",
        $"  --seed N             the random seed of every part [{d.Seed}]",
        "  --json FILE          also write every figure to FILE as JSON [none]",
        $"  --out DIR            where the pictures go [{d.OutDir}]: mean3.png, mean7.png,",
        "                       simple_net_accuracy.svg, simple_net_loss.svg, simple_net_lr_find.svg,",
        "                       resnet18_loss.svg",
        "  --no-download        never download; without data, use the subset that ships with the sample",
        "  --export-subset DIR  write a subset (150 training and 50 validation images per digit) and stop",
        "  -h, --help           print this text and stop");

    /// <summary>--data: the data folder, or null to look for it.</summary>
    public string? DataDir { get; private init; }
    /// <summary>--json: where the report goes, or null for none.</summary>
    public string? Json { get; private init; }
    /// <summary>--export-subset: where to write a subset instead of running, or null.</summary>
    public string? Export { get; private init; }
    /// <summary>--device: cpu, or cuda / cuda:N when the CUDA backend finds a device.</summary>
    public string Device { get; private init; } = "cpu";
    /// <summary>--out: the folder for the pictures.</summary>
    public string OutDir { get; private init; } = "mnist_basics_out";
    /// <summary>--parts: the chapter's parts to run, 1 to 7.</summary>
    public int[] Parts { get; private init; } = [1, 2, 3, 4, 5, 6, 7];
    /// <summary>--seed.</summary>
    public ulong Seed { get; private init; } = 42;
    /// <summary>False with --no-download.</summary>
    public bool Download { get; private init; } = true;
    /// <summary>True with -h or --help.</summary>
    public bool Help { get; private init; }

    /// <summary>Parses the arguments; every mistake is an <see cref="OptionException"/>. Touches no file.</summary>
    public static Options Parse(IReadOnlyList<string> args)
    {
        var o = new Options();
        for (int i = 0; i < args.Count; i++)
        {
            string option = args[i];
            string Next() => i + 1 < args.Count ? args[++i] : throw new OptionException(option, "needs a value");
            o = option switch
            {
                "--data" => o with { DataDir = Next() },
                "--device" => o with { Device = CheckDevice(Next().ToLowerInvariant()) },
                "--parts" => o with { Parts = Next().Split(',').Select(p => Integer(option, p, 1, 7)).Select(p => (int)p).ToArray() },
                "--seed" => o with { Seed = (ulong)Integer(option, Next(), 0, ulong.MaxValue) },
                "--json" => o with { Json = Next() },
                "--out" => o with { OutDir = Next() },
                "--no-download" => o with { Download = false },
                "--export-subset" => o with { Export = Next() },
                "-h" or "--help" => o with { Help = true },
                _ => throw new OptionException(null, $"unknown option '{option}' (--help lists them)"),
            };
        }
        return o;
    }

    private static BigInteger Integer(string option, string text, BigInteger min, BigInteger max)
    {
        if (!BigInteger.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
            throw new OptionException(option, $"'{text}' is not an integer");
        if (n < min || n > max) throw new OptionException(option, $"'{text}' is out of range ({min} to {max})");
        return n;
    }

    // A GPU is checked before any work: unavailable CUDA is a one-line error naming the reason, not a stack trace.
    private static string CheckCuda(string device)
    {
        Tensors.Device parsed;
        try { parsed = Tensors.Device.Parse(device); }
        catch (FormatException) { throw new OptionException("--device", $"'{device}' is not a device; use cpu, cuda or cuda:N"); }
        if (!Tensors.Cuda.CudaBackend.IsAvailable)
            throw new OptionException("--device", $"'{device}': CUDA is not available: {Tensors.Cuda.CudaBackend.UnavailableReason?.TrimEnd('.')}; use cpu");
        if (parsed.Index >= Tensors.Cuda.CudaBackend.DeviceCount)
            throw new OptionException("--device", $"'{device}': the driver reports {Tensors.Cuda.CudaBackend.DeviceCount} device(s)");
        Tensors.Cuda.CudaBackend.Register();
        return device;
    }

    private static string CheckDevice(string device) => device switch
    {
        "cpu" => device,
        _ when device.StartsWith("cuda", StringComparison.Ordinal) => CheckCuda(device),
        _ => throw new OptionException("--device", $"'{device}' is not a device; use cpu or cuda"),
    };

    /// <summary>Checks what the run needs from the file system, in order, before any work: the data folder (--data,
    /// else MNIST_SAMPLE when set) holds a dataset, and the folders of --json, --out or --export-subset exist or can
    /// be created (they are created here).</summary>
    public void CheckFiles()
    {
        if (DataDir is not null && MnistSample.WhyNotData(DataDir) is { } why) throw new OptionException("--data", why);
        var env = Environment.GetEnvironmentVariable("MNIST_SAMPLE");
        if (DataDir is null && !string.IsNullOrEmpty(env) && MnistSample.WhyNotData(env) is { } envWhy)
            throw new OptionException("MNIST_SAMPLE", envWhy);
        if (Json is not null)
        {
            if (Directory.Exists(Json)) throw new OptionException("--json", $"'{Json}' is a folder; give a file name");
            EnsureFolder("--json", Path.GetDirectoryName(Path.GetFullPath(Json))!);
        }
        if (Export is not null) EnsureFolder("--export-subset", Export);
        else EnsureFolder("--out", OutDir);
    }

    private static void EnsureFolder(string option, string dir)
    {
        if (File.Exists(dir)) throw new OptionException(option, $"'{dir}' is a file, not a folder");
        try
        {
            Directory.CreateDirectory(dir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new OptionException(option, $"cannot create the folder '{dir}' ({e.Message})");
        }
    }
}
