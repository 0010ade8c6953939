using System.Text.Json.Nodes;
using Spectre.Console;
using Tensors.Samples.MnistBasics;
using Tensors.Samples.MnistBasics.Data;
using Xunit;

namespace Tensors.Tests.Sample;

/// <summary>The chapter 4 sample, end to end, on the committed subset and (when present) on the full data.</summary>
[Collection(DefaultGeneratorCollection.Name)]
public class SampleTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mnist-basics-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    internal static IAnsiConsole Quiet(StringWriter w) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Ansi = AnsiSupport.No, Interactive = InteractionSupport.No, Out = new AnsiConsoleOutput(w),
    });

    private (JsonObject Json, string Output) Run(params string[] args)
    {
        var json = Path.Combine(_dir, "results.json");
        var output = new StringWriter();
        int code = Cli.Run([.. args, "--json", json, "--out", Path.Combine(_dir, "out"), "--no-download"], Quiet(output));
        Assert.True(code == 0, output.ToString());
        return (JsonNode.Parse(File.ReadAllText(json))!.AsObject(), output.ToString());
    }

    [Fact]
    public void TheWholeChapterRunsOnTheCommittedSubset()
    {
        var (r, output) = Run("--data", DataLocator.SubsetDir, "--seed", "1");
        Assert.Equal(150, r["data"]!["train_3s"]!.GetValue<int>());
        Assert.Equal(50, r["data"]!["valid_7s"]!.GetValue<int>());
        foreach (var key in new[] { "accuracy_3s", "accuracy_7s", "accuracy", "dist_3_abs", "dist_3_sqr", "dist_7_abs", "dist_7_sqr" })
            Assert.InRange(r["pixel_similarity"]![key]!.GetValue<double>(), 0.01, 1);
        // Chance is 0.5: every model must beat it by a wide margin even on 300 training images.
        Assert.True(r["pixel_similarity"]!["accuracy"]!.GetValue<double>() > 0.85);
        Assert.True(r["linear_by_hand"]!["accuracy"]!.GetValue<double>() > 0.85);
        Assert.Equal(20, r["linear_by_hand"]!["epochs"]!.GetValue<int>());
        Assert.True(r["linear_learner"]!["accuracy"]!.GetValue<double>() > 0.85);
        Assert.Equal(40, r["simple_net"]!["accuracy_per_epoch"]!.AsArray().Count);
        Assert.True(r["simple_net"]!["accuracy"]!.GetValue<double>() > 0.85);
        Assert.True(r["sgd_quadratic"]!["falling"]!.GetValue<bool>());
        Assert.Equal("cpu", r["device"]!.GetValue<string>());
        Assert.Equal(7, r["seconds"]!.AsObject().Count);
        Assert.Equal(1, r["resnet18"]!["epochs"]!.GetValue<int>());   // part 7; ResNetPartTests checks it
        Assert.Contains("epoch     train_loss  valid_loss  batch_accuracy  time", output);
        Assert.Contains("This run on a subset beside the book", output);   // the committed subset is marked (PicturesTests)
        Assert.True(File.Exists(Path.Combine(_dir, "out", "mean3.png")));
        Assert.Contains("<polyline", File.ReadAllText(Path.Combine(_dir, "out", "simple_net_accuracy.svg")));
        var mean3 = Png.Read(Path.Combine(_dir, "out", "mean3.png"));
        Assert.Equal((224, 224), (mean3.Width, mean3.Height));   // 28 x 28, each pixel 8 x 8
    }

    /// <summary>The full data, where this machine has it: ../shared/data/mnist beside the repository, or MNIST_SAMPLE.</summary>
    internal static string? FullData()
    {
        var env = Environment.GetEnvironmentVariable("MNIST_SAMPLE");
        if (!string.IsNullOrEmpty(env) && Directory.Exists(env)) return env;
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Tensor.sln")))
            {
                var shared = Path.Combine(d.FullName, "..", "shared", "data", "mnist");
                return Directory.Exists(shared) ? shared : null;
            }
        return null;
    }

    [SkippableFact]
    public void OnTheFullDataTheBooksNumbersComeOut()
    {
        var data = FullData();
        Skip.If(data is null, "Needs the full MNIST data: ../shared/data/mnist beside the repository or the MNIST_SAMPLE variable.");
        var (r, _) = Run("--data", data!, "--parts", "2,6");
        var p = r["pixel_similarity"]!;
        double D(string k) => Math.Round(p[k]!.GetValue<double>(), 4);
        Assert.Equal(0.9168, D("accuracy_3s"));
        Assert.Equal(0.9854, D("accuracy_7s"));
        Assert.Equal(0.9511, D("accuracy"));
        Assert.Equal(0.1114, D("dist_3_abs"));
        Assert.Equal(0.2021, D("dist_3_sqr"));
        Assert.Equal(0.1586, D("dist_7_abs"));
        Assert.Equal(0.3021, D("dist_7_sqr"));
        Assert.True(r["simple_net"]!["accuracy"]!.GetValue<double>() >= 0.98, $"simple_net reached {r["simple_net"]!["accuracy"]}");
    }

    [Fact]
    public void MissingDataIsClear()
    {
        var ex = Assert.Throws<DirectoryNotFoundException>(() => MnistSample.Load(_dir));
        Assert.Contains("train/3", ex.Message);
    }

    [Fact]
    public void AFailedDownloadLeavesNothingBehind()
    {
        var target = Path.Combine(_dir, "fastai", "mnist_sample");
        var output = new StringWriter();
        Assert.ThrowsAny<Exception>(() => DataLocator.Download(target, Quiet(output), "http://127.0.0.1:9/mnist_sample.tgz"));
        Assert.False(Directory.Exists(target));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(_dir, "fastai")));
    }
}
