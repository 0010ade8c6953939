namespace Tensors.Training;

// The Recorder's pictures (fastai's recorder.plot_loss, and the metrics by epoch), as SVG files.
public sealed partial class Recorder
{
    /// <summary>The number of training batches recorded in <see cref="Losses"/> when each row of
    /// <see cref="Values"/> was added (fastai's <c>recorder.iters</c>): where each epoch ends, for
    /// <see cref="PlotLoss"/>.</summary>
    public List<int> Iterations { get; } = new();

    /// <summary>
    /// fastai's <c>recorder.plot_loss()</c> as an SVG file: the training loss of every batch, smoothed as fastai's
    /// (a debiased moving average with beta 0.98 over all the batches recorded), and the validation loss at the end
    /// of each epoch, against the number of batches trained.
    /// </summary>
    /// <param name="path">The file to write, e.g. <c>loss.svg</c>.</param>
    /// <param name="skipStart">The first batches left off (fastai's default 5), whose loss dwarfs the rest.</param>
    /// <param name="withValid">True (the default) to draw the validation loss too.</param>
    /// <param name="title">The chart's title; default "Loss".</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="skipStart"/> is negative or leaves no batch.</exception>
    /// <exception cref="InvalidOperationException">Nothing has been recorded, or <see cref="Iterations"/> does not
    /// have one entry per row of <see cref="Values"/>.</exception>
    public void PlotLoss(string path, int skipStart = 5, bool withValid = true, string title = "Loss")
    {
        if (Losses.Count == 0) throw new InvalidOperationException("Recorder.PlotLoss: no batch has been recorded; call Fit or FitOneCycle first.");
        if (skipStart < 0 || skipStart >= Losses.Count)
            throw new ArgumentOutOfRangeException(nameof(skipStart), skipStart, $"Recorder.PlotLoss: skipStart must be from 0 to {Losses.Count - 1} (there are {Losses.Count} recorded batches).");
        var smooth = new SmoothLoss();
        var smoothed = Losses.Select(smooth.Add).ToArray();
        var batches = Enumerable.Range(skipStart, Losses.Count - skipStart).Select(i => (double)i).ToList();
        var chart = new LineChart(title, "batches trained", "loss").Add("train", batches, smoothed[skipStart..]);
        if (withValid && Values.Count > 0)
        {
            if (Iterations.Count != Values.Count)
                throw new InvalidOperationException($"Recorder.PlotLoss: {Values.Count} epoch row(s) but {Iterations.Count} iteration count(s); each row needs the number of batches trained when it was recorded.");
            int valid = Column("valid_loss", "PlotLoss");
            var epochs = Enumerable.Range(0, Values.Count).Where(e => Iterations[e] >= skipStart).ToList();
            chart.Add("valid", epochs.Select(e => (double)Iterations[e]).ToList(), epochs.Select(e => Values[e][valid]).ToList(), markers: true);
        }
        chart.Save(path);
    }

    /// <summary>Every metric of <see cref="Values"/> (each column after train_loss and valid_loss) against the
    /// epoch, one series each, as an SVG file.</summary>
    /// <param name="path">The file to write, e.g. <c>metrics.svg</c>.</param>
    /// <param name="title">The chart's title; default "Metrics by epoch".</param>
    /// <exception cref="InvalidOperationException">No epoch has been recorded, or the learner has no metrics.</exception>
    public void PlotMetrics(string path, string title = "Metrics by epoch")
    {
        if (Values.Count == 0) throw new InvalidOperationException("Recorder.PlotMetrics: no epoch has been recorded; call Fit or FitOneCycle first.");
        var metrics = Names.Select((name, i) => (Name: name, Index: i)).Where(c => c.Name is not ("train_loss" or "valid_loss")).ToList();
        if (metrics.Count == 0)
            throw new InvalidOperationException($"Recorder.PlotMetrics: the columns are {string.Join(", ", Names)}; there is no metric to plot. Give the Learner metrics, e.g. Metric.Accuracy.");
        var epochs = Enumerable.Range(0, Values.Count).Select(e => (double)e).ToList();
        var chart = new LineChart(title, "epoch", metrics.Count == 1 ? metrics[0].Name : "metric");
        foreach (var (name, index) in metrics) chart.Add(name, epochs, Values.Select(row => row[index]).ToList(), markers: Values.Count <= 40);
        chart.Save(path);
    }

    private int Column(string name, string method) => Names.IndexOf(name) is var i and >= 0 ? i
        : throw new InvalidOperationException($"Recorder.{method}: there is no '{name}' column (the columns are {string.Join(", ", Names)}).");
}
