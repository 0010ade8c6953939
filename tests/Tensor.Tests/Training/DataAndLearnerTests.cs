using Spectre.Console;
using Tensors.Data;
using Tensors.NN;
using Tensors.Optim;
using Tensors.Training;
using Xunit;

namespace Tensors.Tests.Training;

public class DataAndLearnerTests
{
    private static TensorDataset Items(int n) =>
        new(Tensor.Arange(0.0, n).Unsqueeze(1), Tensor.Arange(0.0, n));

    [Fact]
    public void BatchesOfSixFromTwentySixItems()
    {
        var dl = new DataLoader(Items(26), batchSize: 6);
        Assert.Equal(5, dl.Count);
        var batches = dl.ToList();
        Assert.Equal([6, 6, 6, 6, 2], batches.Select(b => b.Input.Shape[0]));
        Assert.Equal(new[] { 6, 1 }, batches[0].Input.Shape);
        Assert.Equal([24f, 25f], batches[4].Target.ToArray<float>());
        var dropped = new DataLoader(Items(26), batchSize: 6, dropLast: true);
        Assert.Equal(4, dropped.Count);
        Assert.Equal(4, dropped.Count());
    }

    [Fact]
    public void ShufflingIsSeededAndNewEachEpoch()
    {
        static float[] Epoch(DataLoader dl) => dl.SelectMany(b => b.Target.ToArray<float>()).ToArray();
        var a = new DataLoader(Items(26), 6, shuffle: true, seed: 7);
        var b = new DataLoader(Items(26), 6, shuffle: true, seed: 7);
        var first = Epoch(a);
        Assert.Equal(first, Epoch(b));                                  // same seed, same order
        Assert.Equal(Enumerable.Range(0, 26).Select(i => (float)i), first.OrderBy(v => v)); // a permutation
        Assert.NotEqual(Enumerable.Range(0, 26).Select(i => (float)i), first);
        Assert.NotEqual(first, Epoch(a));                               // reshuffled next epoch
        var items = Items(26);
        Assert.Equal(5f, items[5].Target.Item<float>());
    }

    [Fact]
    public void DatasetLengthsMustMatch()
    {
        var ex = Assert.Throws<ArgumentException>(() => new TensorDataset(Tensor.Zeros(3, 2), Tensor.Zeros(4)));
        Assert.Contains("[3, 2]", ex.Message);
    }

    private static (Learner Learner, StringWriter Output) MakeLearner(int trainItems = 64)
    {
        using var x = Tensor.Rand([trainItems + 32, 2], new Generator(1));
        using var w = Tensor.From([2f, -3f], 2, 1);
        using var xw = x.MatMul(w);
        using var yy = xw + 1;
        var train = new TensorDataset(x[..trainItems].Contiguous(), yy[..trainItems].Contiguous());
        var valid = new TensorDataset(x[trainItems..].Contiguous(), yy[trainItems..].Contiguous());
        var dls = new DataLoaders(new DataLoader(train, 16, shuffle: true), new DataLoader(valid, 16));
        var mae = new Metric("mae", (p, t) => Functional.L1Loss(p, t));
        var learner = new Learner(dls, new Linear(2, 1, generator: new Generator(2)), (ps, lr) => new SGD(ps, lr), Functional.MseLoss, mae);
        var output = new StringWriter();
        learner.Reporter = new ConsoleReporter(AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No, Interactive = InteractionSupport.No, Out = new AnsiConsoleOutput(output),
        }));
        return (learner, output);
    }

    [Fact]
    public void LearnerPrintsFastaisTableAndRecordsValues()
    {
        var (learner, output) = MakeLearner();
        var counter = new CountingCallback();
        learner.Callbacks.Add(counter);
        learner.Fit(4, lr: 0.3);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("epoch     train_loss  valid_loss  mae       time", lines[0].TrimEnd());
        Assert.Equal(5, lines.Length);
        Assert.Matches(@"^0 {9}\d\.\d{6} {4}\d\.\d{6} {4}\d\.\d{6}  00:0\d$", lines[1].TrimEnd());
        Assert.Equal(["train_loss", "valid_loss", "mae"], learner.Recorder.Names);
        Assert.Equal(4, learner.Recorder.Values.Count);
        Assert.Equal(16, learner.Recorder.Losses.Count);                // 4 epochs x 4 batches
        Assert.True(learner.Recorder.Values[^1][1] < learner.Recorder.Values[0][1] / 2, "valid loss should fall");
        Assert.Equal((4, 16, 16, 4), (counter.Epochs, counter.Before, counter.After, counter.EpochEnds));
        Assert.Equal(learner.Recorder.Values[1][2].ToString("F6", System.Globalization.CultureInfo.InvariantCulture), lines[2].Split(' ', StringSplitOptions.RemoveEmptyEntries)[3]);
    }

    [Fact]
    public void FitOneCycleFollowsTheSchedule()
    {
        var (learner, _) = MakeLearner();
        learner.FitOneCycle(2, maxLr: 0.5);
        var lrs = learner.Recorder.LearningRates;
        Assert.Equal(8, lrs.Count);
        Assert.Equal(0.5 / 25, lrs[0], 9);
        Assert.Equal(0.5, lrs.Max(), 9);
        Assert.True(lrs[^1] < lrs[2]);
        Assert.True(learner.Recorder.Values[1][1] < learner.Recorder.Values[0][1]);
    }

    [Fact]
    public void AnEmptyLoaderIsAClearError()
    {
        var (learner, _) = MakeLearner();
        var empty = new DataLoader(Items(3), 6, dropLast: true);
        var l2 = new Learner(new DataLoaders(empty, learner.Dls.Valid), learner.Model, learner.OptimizerFactory, learner.LossFunction);
        var ex = Assert.Throws<InvalidOperationException>(() => l2.Fit(1, 0.1));
        Assert.Contains("no batches", ex.Message);
    }

    [Fact]
    public void BatchTemporariesAreDisposed()
    {
        var (learner, _) = MakeLearner();
        var spy = new BatchSpy();
        learner.Callbacks.Add(spy);
        learner.Fit(1, 0.1);
        Assert.NotEmpty(spy.Inputs);
        Assert.All(spy.Inputs, t => Assert.True(t.IsDisposed));
        Assert.All(learner.Model.Parameters(), p => Assert.False(p.IsDisposed));
    }

    private sealed class CountingCallback : Callback
    {
        public int Epochs, Before, After, EpochEnds;
        public override void BeforeEpoch(Learner l) => Epochs++;
        public override void BeforeBatch(Learner l) => Before++;
        public override void AfterBatch(Learner l) => After++;
        public override void AfterEpoch(Learner l) => EpochEnds++;
    }

    private sealed class BatchSpy : Callback
    {
        public List<Tensor> Inputs { get; } = new();
        public override void BeforeBatch(Learner l) => Inputs.Add(l.Batch.Input);
    }
}
