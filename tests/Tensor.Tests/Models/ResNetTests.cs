using System.Text.Json;
using Tensors.Models;
using Tensors.NN;
using Xunit;

namespace Tensors.Tests.Models;

public class ResNetTests
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures", "safetensors");
    private static readonly int[] TinyWidths = [4, 8, 16, 32];

    [Fact]
    public void TheStateDictHasTorchvisionsNamesShapesAndOrder()
    {
        using var model = ResNet.ResNet18(generator: new Generator(1));
        var expected = JsonSerializer.Deserialize<JsonElement[][]>(File.ReadAllText(Path.Combine(Fixtures, "resnet18_keys.json")))!
            .Select(e => $"{e[0].GetString()} [{string.Join(", ", e[1].EnumerateArray().Select(d => d.GetInt32()))}]");
        var state = model.StateDict();
        Assert.Equal(expected, state.Select(kv => $"{kv.Key} [{string.Join(", ", kv.Value.Shape)}]"));
        Assert.Equal(11_689_512, model.Parameters().Sum(p => (long)p.Numel));   // torchvision's count
        foreach (var t in state.Values) t.Dispose();
    }

    [Fact]
    public void ATorchvisionModelLoadsAndGivesPyTorchsOutputsAndGradients()
    {
        using var model = ResNet.ResNet18(numClasses: 10, widths: TinyWidths);
        model.Load(Path.Combine(Fixtures, "resnet18_tiny.safetensors"));
        using var io = Safetensors.Load(Path.Combine(Fixtures, "resnet18_tiny_io.safetensors"));
        model.Eval();
        using (Tensors.Autograd.NoGrad())
        using (var yEval = model.Forward(io["x"]))
            TestUtil.AllClose(io["y_eval"].ToArray<float>(), yEval.ToArray<float>(), 1e-4f, 1e-5f);
        model.Train();
        using var x = io["x"].Clone().RequiresGrad_();
        using var yTrain = model.Forward(x);
        TestUtil.AllClose(io["y_train"].ToArray<float>(), yTrain.ToArray<float>(), 1e-4f, 1e-5f);
        using var loss = Functional.CrossEntropy(yTrain, io["target"]);
        loss.Backward();
        // Float32 sums over the batch and positions, through training-mode batch norms (which subtract means of
        // the gradient): elements near 0 carry an absolute error of about 1e-4 of the largest one.
        TestUtil.AllClose(io["grad_conv1"].ToArray<float>(), model.Conv1.Weight.Grad!.ToArray<float>(), 1e-3f, 1e-4f);
        TestUtil.AllClose(io["grad_fc"].ToArray<float>(), model.Fc.Weight.Grad!.ToArray<float>(), 1e-3f, 1e-4f);
        TestUtil.AllClose(io["grad_x"].ToArray<float>(), x.Grad!.ToArray<float>(), 1e-3f, 1e-5f);
        var bn = (BasicBlock)model.Layer1[0];
        TestUtil.AllClose(io["running_mean"].ToArray<float>(), bn.Bn1.RunningMean!.ToArray<float>(), 1e-4f, 1e-6f);
    }

    [Fact]
    public void TheBodyIsFastaisCutSharingTheModelsModules()
    {
        using var model = ResNet.ResNet18(numClasses: 3, widths: TinyWidths, generator: new Generator(2));
        var body = model.Body();
        var names = body.NamedParameters().Select(p => p.Name).ToList();
        Assert.Equal("0.weight", names[0]);
        Assert.Contains("4.0.conv1.weight", names);
        Assert.Contains("5.0.downsample.0.weight", names);
        Assert.DoesNotContain(names, n => n.StartsWith("layer", StringComparison.Ordinal) || n.Contains("fc", StringComparison.Ordinal));
        Assert.Same(model.Conv1.Weight, body.Parameters().First());
        using var x = Tensor.Rand([2, 3, 28, 28], new Generator(3));
        using var features = body.Forward(x);
        Assert.Equal([2, 32, 1, 1], features.Shape);          // 28 -> 14 (stem) -> 7 (maxpool) -> 7, 4, 2, 1
        Assert.Equal(32, model.NumFeatures);
        using var y = model.Forward(x);
        Assert.Equal([2, 3], y.Shape);
        Assert.Null(((BasicBlock)model.Layer1[0]).Downsample);  // same width and size: the identity shortcut
        Assert.NotNull(((BasicBlock)model.Layer2[0]).Downsample);
    }

    [Fact]
    public void TorchvisionsInit()
    {
        using var model = ResNet.ResNet18(generator: new Generator(4));
        // kaiming_normal_(mode="fan_out", nonlinearity="relu"): std = sqrt(2 / (out * kh * kw)).
        var conv = ((BasicBlock)model.Layer4[1]).Conv2;
        using var std = conv.Weight.Std();
        using var mean = conv.Weight.Mean();
        Assert.Equal(Math.Sqrt(2.0 / (512 * 9)), std.Item<float>(), 0.0005);
        Assert.Equal(0, mean.Item<float>(), 0.0005);
        using var stemStd = model.Conv1.Weight.Std();
        Assert.InRange(stemStd.Item<float>() / Math.Sqrt(2.0 / (64 * 49)), 0.95, 1.05);
        Assert.All(model.Modules().OfType<BatchNorm2d>(), bn =>
        {
            Assert.All(bn.Weight!.ToArray<float>(), w => Assert.Equal(1f, w));
            Assert.All(bn.Bias!.ToArray<float>(), b => Assert.Equal(0f, b));
        });
        Assert.Equal(20, model.Modules().OfType<BatchNorm2d>().Count());
        Assert.Equal(20, model.Modules().OfType<Conv2d>().Count());
    }

    [Fact]
    public void BadShapesAreClearErrors()
    {
        var ex = Assert.Throws<ArgumentException>(() => new ResNet([2, 2, 2], [4, 8, 16]));
        Assert.Contains("four positive numbers", ex.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => ResNet.ResNet18(numClasses: 0, widths: TinyWidths));
    }
}
