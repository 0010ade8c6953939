using System.Text.Json.Nodes;
using Tensors.Models;
using Tensors.NN;
using Tensors.Samples.MnistBasics;
using Tensors.Samples.MnistBasics.Data;
using Tensors.Training;
using Xunit;

namespace Tensors.Tests.Sample;

/// <summary>Part 7, the chapter's last cell (resnet18 + fastai's head, one epoch of one-cycle), on the committed subset.</summary>
[Collection(DefaultGeneratorCollection.Name)]
public class ResNetPartTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mnist-resnet-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Runs part 7 alone on <paramref name="data"/>; returns its JSON section and the printed text.</summary>
    private (JsonNode Result, string Output) RunPartSeven(string data)
    {
        var json = Path.Combine(_dir, "results.json");
        var output = new StringWriter();
        int code = Cli.Run(["--data", data, "--parts", "7", "--json", json, "--out", _dir, "--no-download"], SampleTests.Quiet(output));
        Assert.True(code == 0, output.ToString());
        return (JsonNode.Parse(File.ReadAllText(json))!["resnet18"]!, output.ToString());
    }

    [Fact]
    public void PartSevenRunsTheRecipeAndReportsIt()
    {
        var (r, output) = RunPartSeven(DataLocator.SubsetDir);
        Assert.Equal(1, r["epochs"]!.GetValue<int>());
        Assert.InRange(r["accuracy"]!.GetValue<double>(), 0, 1);
        Assert.True(r["seconds"]!.GetValue<double>() > 0);
        // 300 training images in batches of 64, the last short one dropped: 4 steps.
        var losses = r["losses"]!.AsArray().Select(l => l!.GetValue<double>()).ToList();
        Assert.Equal(4, losses.Count);
        Assert.All(losses, l => Assert.True(double.IsFinite(l) && l > 0));
        Assert.Contains("epoch     train_loss  valid_loss  accuracy  time", output);
        Assert.Contains("resnet18 (cnn_learner), 1 epoch", output);
    }

    /// <summary>Four steps are too few for the book's learning rate of 0.1 to show anything on 300 images, in
    /// PyTorch as here (the batch norms' running statistics have barely moved, so the validation accuracy is 0.5
    /// for every seed tried): with batches of 16 and a peak of 0.01, the training loss falls within one epoch. Over
    /// 18 steps one run is chaotic (a loss of 7 to 9 in one step is common, and a change in the last bit of one
    /// gradient can move a seed's result either way), so the test asks what holds for the recipe, not for one seed:
    /// of seeds 1 to 4, at least three end with the mean of their last six losses under 0.9 of their first six's.
    /// Measured: 1.38, 0.24, 0.52 and 0.39 (seeds 5 and 6: 0.18 and 0.09); before the batch norm's backward became
    /// one op (the same gradient to 1e-16, rounded differently), 0.53, 0.36, 0.20 and 0.50.</summary>
    [Fact]
    public void TheRecipeLearnsOnTheSubset()
    {
        using var data = MnistSample.Load(DataLocator.SubsetDir);
        var ratios = new List<string>();
        int learned = 0;
        foreach (ulong seed in new ulong[] { 1, 2, 3, 4 })
        {
            // Generators of its own (init, dropout, shuffling): tests running beside it draw from the default one.
            var dls = ImageFolder.Loaders(data, seed, Device.Cpu, batchSize: 16);
            using var resnet = ResNet.ResNet18(generator: new Generator(seed));
            var learn = Learner.CnnLearner(dls, resnet.Body(), resnet.NumFeatures, 2, Functional.CrossEntropy, new Generator(seed + 100), Metric.Accuracy);
            learn.Verbose = false;
            learn.FitOneCycle(1, 0.01);
            var losses = learn.Recorder.Losses;
            Assert.Equal(18, losses.Count);
            double ratio = losses.TakeLast(6).Average() / losses.Take(6).Average();
            if (ratio < 0.9) learned++;
            ratios.Add($"seed {seed}: {ratio:F2} ({string.Join(", ", losses.Select(l => l.ToString("F3")))})");
        }
        Assert.True(learned >= 3, $"last six losses over the first six: {string.Join("; ", ratios)}");
    }

    /// <summary>The book's figure on the full data, where it is here (as the other full-data tests): about a minute of
    /// CPU. PyTorch's run of the same recipe reaches 0.9956 (benchmarks/RESULTS.md); seeds 42, 1 and 2 gave 0.9946,
    /// 0.9966 and 0.9926 here.</summary>
    [SkippableFact]
    public void OnTheFullDataOneEpochReachesTheBooksAccuracy()
    {
        var data = SampleTests.FullData();
        Skip.If(data is null, "Needs the full MNIST data (../shared/data/mnist or $MNIST_SAMPLE).");
        var (r, output) = RunPartSeven(data!);
        Assert.True(r["accuracy"]!.GetValue<double>() >= 0.99, output);
    }
}
