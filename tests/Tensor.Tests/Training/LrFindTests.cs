using System.Xml.Linq;
using Tensors.Data;
using Tensors.NN;
using Tensors.Optim;
using Tensors.Training;
using Xunit;

namespace Tensors.Tests.Training;

/// <summary>fastai's learning-rate finder: the exponential sweep, the stop at divergence, the model and optimizer
/// put back bit for bit, and the suggestions on curves worked out by hand (checked against fastai's functions).</summary>
public class LrFindTests
{
    // y = 2 x0 - 3 x1 + 1 on 64 training rows in batches of 16; generators of its own, so that tests beside it
    // do not change it.
    private static Learner Regression(Module? model = null, Func<IEnumerable<Tensor>, double, Optimizer>? optimizer = null)
    {
        using var x = Tensor.Rand([96, 2], new Generator(1));
        using var w = Tensor.From([2f, -3f], 2, 1);
        using var xw = x.MatMul(w);
        using var y = xw + 1;
        var train = new TensorDataset(x[..64].Contiguous(), y[..64].Contiguous());
        var valid = new TensorDataset(x[64..].Contiguous(), y[64..].Contiguous());
        var dls = new DataLoaders(new DataLoader(train, 16, shuffle: true, seed: 3), new DataLoader(valid, 16));
        return new Learner(dls, model ?? new Linear(2, 1, generator: new Generator(2)), optimizer ?? ((ps, lr) => new SGD(ps, lr)), Functional.MseLoss)
        {
            Verbose = false,
        };
    }

    [Fact]
    public void TheLearningRateGrowsExponentially()
    {
        var learn = Regression();
        var r = learn.LrFind(startLr: 1e-6, endLr: 1e-2, numIt: 10, stopDiv: false);
        // Ten batches over three epochs of four: lr_i = 1e-6 * (1e4)^(i/10), so 1e-6, 2.51e-6, ... 3.98e-3.
        Assert.Equal(10, r.LearningRates.Count);
        Assert.False(r.Diverged);
        for (int i = 0; i < 10; i++) Assert.Equal(1e-6 * Math.Pow(10, 0.4 * i), r.LearningRates[i], 1e-15);
        Assert.Equal(1e-6 * Math.Pow(10, 3.6), r.LearningRates[^1], 1e-12);
        Assert.All(r.Losses, l => Assert.True(double.IsFinite(l) && l > 0));
        Assert.Empty(learn.Recorder.Losses);            // the recorder is not written to
    }

    [Fact]
    public void TheSweepStopsWhenTheLossDiverges()
    {
        var learn = Regression();
        var r = learn.LrFind();
        // Plain SGD on this problem blows up well before lr 10: the sweep ends at the first smoothed loss over four
        // times the lowest before it.
        Assert.True(r.Diverged);
        Assert.InRange(r.LearningRates.Count, 20, 99);
        double Best(int k) => r.Losses.Take(k + 1).Min();
        Assert.True(r.Losses[^1] > 4 * Best(r.Losses.Count - 2) || !double.IsFinite(r.Losses[^1]));
        for (int k = 0; k < r.Losses.Count - 1; k++) Assert.True(r.Losses[k] <= 4 * Best(k), $"batch {k} should have stopped the sweep");
        // The smoothed loss of the first batch is the first batch's loss; the next ones are fastai's debiased average.
        var noStop = Regression().LrFind(numIt: 100, stopDiv: false);
        Assert.Equal(100, noStop.LearningRates.Count);
        Assert.Equal(r.Losses.Take(5), noStop.Losses.Take(5));   // same start, same batches
    }

    // Exact for float32 parameters and the int64 count of a batch norm.
    private static double[] Values(Tensor t) { using var d = t.To(DType.Float64); return d.ToArray<double>(); }

    [Fact]
    public void TheModelAndOptimizerArePutBackBitForBit()
    {
        var model = new Sequential(new Linear(2, 8, generator: new Generator(4)), new BatchNorm1d(8), new ReLU(), new Linear(8, 1, generator: new Generator(5)));
        var learn = Regression(model, (ps, lr) => new Adam(ps, lr));
        learn.Fit(2, 1e-2);                             // moments, step counts and running statistics to keep
        learn.Model.Eval();
        var state = learn.Model.StateDict().ToDictionary(kv => kv.Key, kv => Values(kv.Value));
        var optimizer = learn.Optimizer!.StateDict();
        var moments = optimizer.Tensors.ToDictionary(kv => kv.Key, kv => Values(kv.Value));
        var hypers = new Dictionary<string, string>(optimizer.Values);
        int recorded = learn.Recorder.Losses.Count;

        var r = learn.LrFind(numIt: 30);
        Assert.True(r.LearningRates.Count > 5);

        Assert.All(learn.Model.StateDict(), kv => Assert.Equal(state[kv.Key], Values(kv.Value)));   // parameters and buffers
        var after = learn.Optimizer!.StateDict();
        Assert.Equal(moments.Keys.Order(), after.Tensors.Keys.Order());
        Assert.All(after.Tensors, kv => Assert.Equal(moments[kv.Key], Values(kv.Value)));
        Assert.Equal(hypers, after.Values);             // learning rate, betas, step counts
        Assert.False(learn.Model.IsTraining);           // the mode it was in
        Assert.All(learn.Model.Parameters(), p => Assert.Null(p.Grad));
        Assert.Equal(recorded, learn.Recorder.Losses.Count);
        Assert.Contains("running_mean", string.Join(" ", state.Keys));
    }

    [Fact]
    public void AFreshLearnerGetsItsOptimizerWithNoState()
    {
        var learn = Regression(optimizer: (ps, lr) => new Adam(ps, lr));
        var before = Values(learn.Model.Parameters().First());
        learn.LrFind(numIt: 12);
        Assert.NotNull(learn.Optimizer);
        Assert.Empty(learn.Optimizer!.StateDict().Tensors);
        Assert.Equal(before, Values(learn.Model.Parameters().First()));
    }

    [Fact]
    public void BadArgumentsAreClear()
    {
        var learn = Regression();
        Assert.Contains("startLr must be a positive", Assert.Throws<ArgumentOutOfRangeException>(() => learn.LrFind(startLr: 0)).Message);
        Assert.Contains("endLr must be finite and above startLr", Assert.Throws<ArgumentOutOfRangeException>(() => learn.LrFind(startLr: 1, endLr: 0.5)).Message);
        Assert.Contains("numIt must be positive", Assert.Throws<ArgumentOutOfRangeException>(() => learn.LrFind(numIt: 0)).Message);
    }

    // A curve of 12 points for numIt 20: the suggestions look at points 2 to 6 (the first 20/10 = 2 and the last 5
    // left off), where lr = 1e-4, 1e-3, 1e-2, 0.1, 1 and the loss is 5, 4, 1, 0.5, 2.
    private static LrFindResult Known(params double[] middle)
    {
        var lrs = Enumerable.Range(0, 12).Select(i => Math.Pow(10, i - 6)).ToList();
        var losses = new List<double> { 9, 9 };
        losses.AddRange(middle);
        losses.AddRange([8, 9, 9, 9, 9]);
        return new LrFindResult(lrs, losses, 20);
    }

    [Fact]
    public void SuggestionsAsFastaiComputesThem()
    {
        var r = Known(5, 4, 1, 0.5, 2);
        // minimum: the lowest loss 0.5 is at lr 0.1; a tenth of it.
        Assert.Equal((0.1, 0.5), r.MinimumPoint);
        Assert.Equal(0.01, r.Minimum, 15);
        // steep: the slopes per decade are -1, -3, -0.5, 1.5 (over ln 10); the steepest starts at lr 1e-3.
        Assert.Equal((1e-3, 4.0), r.SteepPoint);
        Assert.Equal(1e-3, r.Steep);
        // valley: the longest falling run is 5, 4, 1, 0.5 (ending at index 3, length 4): max_start = 3 - 4 = -1,
        // sections = 4/3, idx = -1 + 1 + 0 = 0.
        Assert.Equal((1e-4, 5.0), r.ValleyPoint);
        Assert.Equal(1e-4, r.Valley);
    }

    [Fact]
    public void ValleyPicksPastTheMiddleOfTheLongestFall()
    {
        // Nine points for numIt 9 (none left off the start) and five more after them, left off the end.
        double[] middle = [3, 5, 4, 3, 1.5, 1, 1.5, 0.8, 6];
        var lrs = Enumerable.Range(0, 14).Select(i => Math.Pow(10, i - 8)).ToList();
        var r = new LrFindResult(lrs, [.. middle, 7, 7, 7, 7, 7], 9);
        // The longest decreasing run is 5, 4, 3, 1.5, 1, 0.8 (6 points, ending at index 7): max_start = 7 - 6 = 1,
        // sections = 2, idx = 1 + 2 + 1 = 4: lr 1e-4, loss 1.5 (fastai's valley gives index 4 on this curve too).
        Assert.Equal((1e-4, 1.5), r.ValleyPoint);
        Assert.Equal((1e-1, 0.8), r.MinimumPoint);
        // The steps are +2, -1, -1, -1.5, -0.5, +0.5, -0.7, +5.2: the steepest fall starts at index 3.
        Assert.Equal((1e-5, 3.0), r.SteepPoint);
    }

    [Fact]
    public void ANaNCutsTheCurveAndTooFewPointsAreAClearError()
    {
        var r = Known(5, 4, double.NaN, 0.1, 0.05);
        Assert.Equal((1e-3, 4.0), r.MinimumPoint);       // only 5 and 4 are before the NaN
        Assert.Equal(1e-4, r.Steep);
        var few = new LrFindResult([1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2], [1, 1, 1, 5, 9, 20], 100);
        Assert.True(few.Diverged);
        var ex = Assert.Throws<InvalidOperationException>(() => few.Valley);
        Assert.Contains("the sweep has 6 point(s) (it diverged early)", ex.Message);
    }

    [Fact]
    public void ThePlotIsALogCurveWithTheSuggestions()
    {
        var dir = Directory.CreateTempSubdirectory("lrfind-").FullName;
        try
        {
            var path = Path.Combine(dir, "lr_find.svg");
            Known(5, 4, 1, 0.5, 2).Plot(path);
            var root = XDocument.Load(path).Root!;
            XNamespace svg = "http://www.w3.org/2000/svg";
            var series = root.Descendants(svg + "g").Where(g => (string?)g.Attribute("class") == "series").Select(g => (string)g.Attribute("data-name")!).ToList();
            Assert.Equal(["loss", "valley: 1e-4", "minimum: 0.01", "steep: 0.001"], series);
            // Twelve points less fastai's five at the end: 1e-6 .. 1 on the log axis.
            Assert.Equal(7, root.Descendants(svg + "polyline").Single().Attribute("points")!.Value.Split(' ').Length);
            var ticks = root.Descendants(svg + "text").Where(t => (string?)t.Attribute("class") == "xtick").Select(t => t.Value);
            Assert.Equal(["1e-6", "1e-5", "1e-4", "0.001", "0.01", "0.1", "1"], ticks);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
