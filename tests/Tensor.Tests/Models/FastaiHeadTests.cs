using Tensors.Data;
using Tensors.Models;
using Tensors.NN;
using Tensors.Optim;
using Tensors.Training;
using Xunit;

namespace Tensors.Tests.Models;

public class FastaiHeadTests
{
    [Fact]
    public void AdaptiveConcatPoolPutsTheMaxBeforeTheMean()
    {
        // Channel 0 holds 1, 2, 3, 6; channel 1 holds -1, -2, -3, -6.
        using var x = Tensor.From([1f, 2, 3, 6, -1, -2, -3, -6], 1, 2, 2, 2);
        using var y = new AdaptiveConcatPool2d().Forward(x);
        Assert.Equal([1, 4, 1, 1], y.Shape);
        Assert.Equal([6f, -1f, 3f, -3f], y.ToArray<float>());
        using var wide = new AdaptiveConcatPool2d(2).Forward(x);
        Assert.Equal([1, 4, 2, 2], wide.Shape);
    }

    [Fact]
    public void TheHeadIsFastaisCreateHead()
    {
        using var head = FastaiHead.Create(512, 2, generator: new Generator(5));
        var layers = Enumerable.Range(0, head.Count).Select(i => head[i]).ToArray();
        Assert.Equal([typeof(AdaptiveConcatPool2d), typeof(Flatten), typeof(BatchNorm1d), typeof(Dropout), typeof(Linear), typeof(ReLU),
            typeof(BatchNorm1d), typeof(Dropout), typeof(Linear)], layers.Select(l => l.GetType()));
        Assert.Equal([0.25, 0.5], layers.OfType<Dropout>().Select(d => d.P));
        var (first, last) = ((Linear)layers[4], (Linear)layers[8]);
        Assert.Equal((1024, 512, 512, 2), (first.InFeatures, first.OutFeatures, last.InFeatures, last.OutFeatures));
        Assert.Null(first.Bias);
        Assert.Null(last.Bias);
        Assert.Equal(["2.weight", "2.bias", "2.running_mean", "2.running_var", "2.num_batches_tracked", "4.weight",
            "6.weight", "6.bias", "6.running_mean", "6.running_var", "6.num_batches_tracked", "8.weight"], head.StateDict().Keys);
        // kaiming_normal_ (fan_in, gain sqrt 2): std = sqrt(2 / 1024).
        using var std = first.Weight.Std();
        Assert.InRange(std.Item<float>() / Math.Sqrt(2.0 / 1024), 0.98, 1.02);
        using var x = Tensor.Rand([4, 512, 3, 3], new Generator(6));
        using var y = head.Forward(x);
        Assert.Equal([4, 2], y.Shape);
        Assert.Throws<ArgumentOutOfRangeException>(() => FastaiHead.Create(0, 2));
    }

    [Fact]
    public void CnnLearnerIsBodyThenHeadWithFastaisOptimizer()
    {
        using var x = Tensor.Rand([8, 3, 16, 16], new Generator(7));
        using var y = Tensor.From(new long[] { 0, 1, 0, 1, 0, 1, 0, 1 });
        var ds = new TensorDataset(x, y);
        var resnet = ResNet.ResNet18(widths: [4, 8, 8, 8], generator: new Generator(8));
        var learner = Learner.CnnLearner(new DataLoaders(new DataLoader(ds, 4), new DataLoader(ds, 4)), resnet.Body(), resnet.NumFeatures, 2,
            metrics: Metric.Accuracy);
        learner.Verbose = false;
        var model = (Sequential)learner.Model;
        Assert.Equal(2, model.Count);
        Assert.Contains("0.4.0.conv1.weight", model.StateDict().Keys);
        Assert.Contains("1.8.weight", model.StateDict().Keys);
        learner.FitOneCycle(1, 0.01);
        var opt = (AdamW)learner.Optimizer!;
        var noDecay = opt.ParamGroups[1].Parameters;
        Assert.Equal(0.0, opt.ParamGroups[1].WeightDecay);
        // Every batch norm's weight and bias (20 in the body, 2 in the head) and nothing else: no layer has a bias.
        Assert.Equal(2 * 22, noDecay.Count);
        Assert.Equal(model.Parameters().Count(), opt.ParamGroups.Sum(g => g.Parameters.Count));
        Assert.Equal(["train_loss", "valid_loss", "accuracy"], learner.Recorder.Names);
    }

    [Fact]
    public void AccuracyIsTheShareOfRowsWhoseArgmaxIsTheTarget()
    {
        using var p = Tensor.From([0.1f, 0.9f, 2f, -1f, 0.3f, 0.2f], 3, 2);
        using var t = Tensor.From(new long[] { 1, 1, 0 });
        using var acc = Metric.Accuracy.Compute(p, t);
        Assert.Equal(2 / 3f, acc.Item<float>(), 6);
    }
}
