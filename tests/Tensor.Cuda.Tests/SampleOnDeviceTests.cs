using System.Text.Json.Nodes;
using Spectre.Console;
using Tensors.Samples.MnistBasics;
using Tensors.Samples.MnistBasics.Data;
using Xunit;

namespace Tensors.Cuda.Tests;

/// <summary>The chapter sample with <c>--device cuda</c> on the committed subset: every figure equals the CPU run's.</summary>
[Collection(nameof(CudaTestDevice))]
public sealed class SampleOnDeviceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mnist-basics-cuda-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private JsonObject Run(string device)
    {
        var json = Path.Combine(_dir, device + ".json");
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Ansi = AnsiSupport.No, Interactive = InteractionSupport.No, Out = new AnsiConsoleOutput(output) });
        var errors = new StringWriter();
        int code = Cli.Run(["--data", DataLocator.SubsetDir, "--device", device, "--parts", "2,3,4,5,6", "--seed", "3",
            "--json", json, "--out", Path.Combine(_dir, device), "--no-download"], console, errors);
        Assert.True(code == 0, $"exit {code}: {errors}{output}");
        return JsonNode.Parse(File.ReadAllText(json))!.AsObject();
    }

    [SkippableFact]
    public void TheChapterOnTheDeviceGivesTheCpuFigures()
    {
        CudaTestDevice.Require();
        var cpu = Run("cpu");
        var gpu = Run("cuda");
        Assert.Equal("cuda", gpu["device"]!.GetValue<string>());
        foreach (var (section, key) in new[]
        {
            ("pixel_similarity", "accuracy"), ("pixel_similarity", "dist_3_abs"), ("pixel_similarity", "dist_7_sqr"),
            ("linear_by_hand", "accuracy"), ("linear_learner", "accuracy"), ("simple_net", "accuracy"),
        })
            Assert.Equal(cpu[section]![key]!.GetValue<double>(), gpu[section]![key]!.GetValue<double>(), 4);
        Assert.True(gpu["simple_net"]!["accuracy"]!.GetValue<double>() > 0.85);
        Assert.True(File.Exists(Path.Combine(_dir, "cuda", "mean3.png")));
    }
}
