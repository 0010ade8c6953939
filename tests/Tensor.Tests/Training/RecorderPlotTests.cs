using System.Xml.Linq;
using Tensors.Data;
using Tensors.NN;
using Tensors.Optim;
using Tensors.Training;
using Xunit;

namespace Tensors.Tests.Training;

/// <summary>The Recorder's pictures: fastai's plot_loss and the metrics by epoch, as SVG files carrying the
/// recorded values.</summary>
public class RecorderPlotTests : IDisposable
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private readonly string _dir = Directory.CreateTempSubdirectory("recorder-plots-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Learner Fitted(int epochs, params Metric[] metrics)
    {
        using var x = Tensor.Rand([96, 2], new Generator(1));
        using var w = Tensor.From([2f, -3f], 2, 1);
        using var xw = x.MatMul(w);
        using var y = xw + 1;
        var dls = new DataLoaders(new DataLoader(new TensorDataset(x[..64].Contiguous(), y[..64].Contiguous()), 16, shuffle: true, seed: 3),
            new DataLoader(new TensorDataset(x[64..].Contiguous(), y[64..].Contiguous()), 16));
        var learn = new Learner(dls, new Linear(2, 1, generator: new Generator(2)), (ps, lr) => new SGD(ps, lr), Functional.MseLoss, metrics) { Verbose = false };
        learn.Fit(epochs, 0.3);
        return learn;
    }

    private static Dictionary<string, XElement> Series(string path) =>
        XDocument.Load(path).Root!.Descendants(Svg + "g").Where(g => (string?)g.Attribute("class") == "series")
            .ToDictionary(g => (string)g.Attribute("data-name")!);

    private static int Points(XElement series) => series.Element(Svg + "polyline")!.Attribute("points")!.Value.Split(' ').Length;

    [Fact]
    public void PlotLossDrawsTheSmoothedTrainingLossAndTheValidationLoss()
    {
        var learn = Fitted(3);
        Assert.Equal([4, 8, 12], learn.Recorder.Iterations);   // 64 items in batches of 16: 4 per epoch
        var path = Path.Combine(_dir, "loss.svg");
        learn.Recorder.PlotLoss(path);
        var series = Series(path);
        Assert.Equal(["train", "valid"], series.Keys);
        Assert.Equal(12 - 5, Points(series["train"]));          // fastai's skip_start=5
        // As fastai's, the epochs that end before skip_start are left off: the first ends at batch 4.
        Assert.Equal(2, series["valid"].Elements(Svg + "circle").Count());
        learn.Recorder.PlotLoss(path, skipStart: 0);
        Assert.Equal((12, 3), (Points(Series(path)["train"]), Series(path)["valid"].Elements(Svg + "circle").Count()));
        Assert.Equal("Loss", XDocument.Load(path).Root!.Descendants(Svg + "text").First(t => (string?)t.Attribute("class") == "title").Value);

        learn.Recorder.PlotLoss(path, skipStart: 9, withValid: false);
        series = Series(path);
        Assert.Equal(["train"], series.Keys);
        Assert.Equal(3, Points(series["train"]));
    }

    [Fact]
    public void PlotLossSkipsTheEpochsBeforeSkipStart()
    {
        var learn = Fitted(3);
        var path = Path.Combine(_dir, "loss.svg");
        learn.Recorder.PlotLoss(path, skipStart: 9);             // the first two epochs end at batches 4 and 8
        Assert.Single(Series(path)["valid"].Elements(Svg + "circle"));
    }

    [Fact]
    public void PlotMetricsDrawsEachMetricByEpoch()
    {
        var mae = new Metric("mae", (p, t) => Functional.L1Loss(p, t));
        var mse = new Metric("mse", (p, t) => Functional.MseLoss(p, t));
        var learn = Fitted(4, mae, mse);
        var path = Path.Combine(_dir, "metrics.svg");
        learn.Recorder.PlotMetrics(path);
        var series = Series(path);
        Assert.Equal(["mae", "mse"], series.Keys);
        Assert.All(series.Values, s => Assert.Equal(4, Points(s)));
        var ticks = XDocument.Load(path).Root!.Descendants(Svg + "text").Where(t => (string?)t.Attribute("class") == "xtick").Select(t => t.Value);
        Assert.Equal(["0", "1", "2", "3"], ticks);
    }

    [Fact]
    public void NothingToPlotIsAClearError()
    {
        var path = Path.Combine(_dir, "x.svg");
        Assert.Contains("no batch has been recorded", Assert.Throws<InvalidOperationException>(() => new Recorder().PlotLoss(path)).Message);
        Assert.Contains("no epoch has been recorded", Assert.Throws<InvalidOperationException>(() => new Recorder().PlotMetrics(path)).Message);
        var learn = Fitted(1);
        var ex = Assert.Throws<InvalidOperationException>(() => learn.Recorder.PlotMetrics(path));
        Assert.Contains("the columns are train_loss, valid_loss; there is no metric to plot", ex.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => learn.Recorder.PlotLoss(path, skipStart: 4));
        Assert.False(File.Exists(path));
    }
}
