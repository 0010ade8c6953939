using System.Globalization;

namespace Tensors.Training;

/// <summary>
/// What <see cref="Learner.LrFind"/> measured: the learning rate and smoothed training loss of each batch of the
/// sweep, and fastai's three suggestions (<c>SuggestionMethod.Minimum</c>, <c>Steep</c> and <c>Valley</c>, the
/// default since fastai 2.5). As fastai's <c>lr_find</c>, the suggestions look only at the curve without its first
/// tenth (<c>numIt / 10</c> points) and its last five points, cut at the first NaN or infinite loss.
/// </summary>
public sealed class LrFindResult
{
    private readonly int _start;
    private readonly int _count;

    /// <summary>Keeps the curve of a sweep of <paramref name="numIt"/> batches (fewer points when it diverged).</summary>
    internal LrFindResult(IReadOnlyList<double> learningRates, IReadOnlyList<double> losses, int numIt)
    {
        LearningRates = learningRates;
        Losses = losses;
        NumIt = numIt;
        // fastai: lrs[num_it//10:-5], then cut at the first NaN.
        _start = numIt / 10;
        int end = Math.Max(_start, losses.Count - 5);
        int bad = Enumerable.Range(_start, end - _start).FirstOrDefault(i => !double.IsFinite(losses[i]), end);
        _count = bad - _start;
    }

    /// <summary>The learning rate of each batch of the sweep (the first group's), growing exponentially.</summary>
    public IReadOnlyList<double> LearningRates { get; }

    /// <summary>The smoothed training loss after each batch (fastai's <c>recorder.losses</c>).</summary>
    public IReadOnlyList<double> Losses { get; }

    /// <summary>The batches the sweep was asked for; <see cref="LearningRates"/> has fewer when it stopped at
    /// divergence.</summary>
    public int NumIt { get; }

    /// <summary>True when the sweep stopped before <see cref="NumIt"/> batches because the loss diverged.</summary>
    public bool Diverged => LearningRates.Count < NumIt;

    /// <summary>True when the curve has enough points for the suggestions (two between the first
    /// <c>numIt / 10</c> and the last five, with a finite loss); when false, reading one throws.</summary>
    public bool HasSuggestions => _count >= 2;

    /// <summary>fastai's <c>minimum</c>: a tenth of the learning rate at the lowest loss.</summary>
    /// <exception cref="InvalidOperationException">The sweep has too few points for a suggestion.</exception>
    public double Minimum => MinimumPoint.Lr / 10;

    /// <summary>fastai's <c>steep</c>: the learning rate where the loss falls fastest against log(lr) (the start of
    /// the steepest segment).</summary>
    /// <exception cref="InvalidOperationException">The sweep has too few points for a suggestion.</exception>
    public double Steep => SteepPoint.Lr;

    /// <summary>fastai's <c>valley</c> (its default suggestion): the learning rate a little past the middle of the
    /// longest stretch over which the loss keeps falling.</summary>
    /// <exception cref="InvalidOperationException">The sweep has too few points for a suggestion.</exception>
    public double Valley => ValleyPoint.Lr;

    /// <summary>The point fastai marks for <see cref="Minimum"/>: the lowest loss (the suggestion is a tenth of its
    /// learning rate).</summary>
    /// <exception cref="InvalidOperationException">The sweep has too few points for a suggestion.</exception>
    public (double Lr, double Loss) MinimumPoint => Point(ArgMin(Enumerable.Range(0, Checked()).Select(Loss)));

    /// <summary>The point fastai marks for <see cref="Steep"/>.</summary>
    /// <exception cref="InvalidOperationException">The sweep has too few points for a suggestion.</exception>
    public (double Lr, double Loss) SteepPoint =>
        Point(ArgMin(Enumerable.Range(0, Checked() - 1).Select(i => (Loss(i + 1) - Loss(i)) / (Math.Log(Lr(i + 1)) - Math.Log(Lr(i))))));

    /// <summary>The point fastai marks for <see cref="Valley"/>.</summary>
    /// <exception cref="InvalidOperationException">The sweep has too few points for a suggestion.</exception>
    public (double Lr, double Loss) ValleyPoint
    {
        get
        {
            int n = Checked();
            // fastai's valley, loop for loop: lds[i] is the length of the longest decreasing subsequence ending at i;
            // the first longest one sets the valley, from max_end - lds[max_end] (one before its first point, as
            // fastai's) to max_end, and the suggestion is a little past its middle.
            var lds = Enumerable.Repeat(1, n).ToArray();
            int maxStart = 0, maxEnd = 0;
            for (int i = 1; i < n; i++)
                for (int j = 0; j < i; j++)
                {
                    if (Loss(i) < Loss(j) && lds[i] < lds[j] + 1) lds[i] = lds[j] + 1;
                    if (lds[maxEnd] < lds[i])
                    {
                        maxEnd = i;
                        maxStart = maxEnd - lds[maxEnd];
                    }
                }
            double sections = (maxEnd - maxStart) / 3.0;
            int idx = maxStart + (int)sections + (int)(sections / 2);
            return Point(idx < 0 ? idx + n : idx);   // -1 (two points, falling) is Python's last element
        }
    }

    /// <summary>Draws the curve as fastai's <c>plot_lr_find</c> does (loss against learning rate on a log axis,
    /// without the last <paramref name="skipEnd"/> points) with the three suggestions marked, as an SVG file.</summary>
    /// <param name="path">The file to write, e.g. <c>lr_find.svg</c>.</param>
    /// <param name="skipEnd">The points left off the end (fastai's default 5), where the loss shoots up.</param>
    /// <param name="title">The chart's title; default "Learning rate finder".</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="skipEnd"/> is negative or leaves no point.</exception>
    public void Plot(string path, int skipEnd = 5, string title = "Learning rate finder")
    {
        if (skipEnd < 0 || skipEnd >= LearningRates.Count)
            throw new ArgumentOutOfRangeException(nameof(skipEnd), skipEnd, $"LrFindResult.Plot: skipEnd must be from 0 to {LearningRates.Count - 1} (the curve has {LearningRates.Count} points).");
        int n = LearningRates.Count - skipEnd;
        var chart = new LineChart(title, "Learning Rate", "Loss", logX: true).Add("loss", LearningRates.Take(n).ToList(), Losses.Take(n).ToList());
        if (HasSuggestions)
            foreach (var (name, suggestion, p) in new[] { ("valley", Valley, ValleyPoint), ("minimum", Minimum, MinimumPoint), ("steep", Steep, SteepPoint) })
                chart.Add(new ChartSeries($"{name}: {Format(suggestion)}", [p.Lr], [p.Loss], Line: false, Markers: true));
        chart.Save(path);
    }

    // A learning rate as a person writes it: 0.0692, 1.1, 3e-5.
    private static string Format(double lr) =>
        lr.ToString(lr is >= 1e-3 and < 1e4 ? "G3" : "0.##e+0", CultureInfo.InvariantCulture);

    private double Lr(int i) => LearningRates[_start + i];
    private double Loss(int i) => Losses[_start + i];
    private (double Lr, double Loss) Point(int i) => (Lr(i), Loss(i));

    // The first index of the smallest value, as torch.argmin.
    private static int ArgMin(IEnumerable<double> values)
    {
        int best = -1, i = 0;
        double min = double.PositiveInfinity;
        foreach (var v in values)
        {
            if (best < 0 || v < min) (best, min) = (i, v);
            i++;
        }
        return best;
    }

    // The suggestions need two points of the trimmed curve.
    private int Checked() => HasSuggestions ? _count : throw new InvalidOperationException(
        $"LrFindResult: the sweep has {LearningRates.Count} point(s) ({(Diverged ? "it diverged early" : $"numIt {NumIt}")}); a suggestion needs at least 2 " +
        $"between the first numIt/10 = {_start} and the last 5 with a finite loss. Lower startLr, or raise numIt.");
}
