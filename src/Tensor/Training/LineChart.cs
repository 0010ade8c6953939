using System.Globalization;
using System.Security;
using System.Text;

namespace Tensors.Training;

/// <summary>One series of a <see cref="LineChart"/>: points (x, y) drawn as a line, as markers, or both.</summary>
/// <param name="Name">The series' name in the legend.</param>
/// <param name="X">The x values.</param>
/// <param name="Y">The y values, as many as <paramref name="X"/>. A point whose x or y is NaN or infinite is left
/// out, and the line breaks there.</param>
/// <param name="Line">True (the default) to join the points with a line.</param>
/// <param name="Markers">True to draw a dot at each point; default false.</param>
public sealed record ChartSeries(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y, bool Line = true, bool Markers = false);

/// <summary>
/// A small line chart written as SVG (matplotlib's <c>plt.plot</c> for the pictures fastai shows: losses, the
/// learning-rate finder, metrics by epoch): a title, axes with ticks at round values and their labels, axis labels,
/// several series in matplotlib's colours with a legend when there are two or more, and an optional log-scale x
/// axis. Numbers are written in the invariant culture and text is escaped, so any title is safe.
/// </summary>
/// <example><code>
/// new LineChart("loss", "batch", "loss").Add("train", xs, ys).Save("loss.svg");
/// </code></example>
public sealed class LineChart
{
    // matplotlib's default colour cycle ("tab10").
    private static readonly string[] Colors = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];
    private const int Left = 72, Right = 24, Top = 40, Bottom = 56;
    private readonly List<ChartSeries> _series = new();

    /// <summary>Creates an empty chart.</summary>
    /// <param name="title">The title above the plot.</param>
    /// <param name="xLabel">The x axis' label.</param>
    /// <param name="yLabel">The y axis' label.</param>
    /// <param name="logX">True for a log-scale x axis (every x must then be positive), as the learning-rate
    /// finder's; default false.</param>
    public LineChart(string title, string xLabel, string yLabel, bool logX = false)
    {
        Title = title ?? "";
        XLabel = xLabel ?? "";
        YLabel = yLabel ?? "";
        LogX = logX;
    }

    /// <summary>The title.</summary>
    public string Title { get; }
    /// <summary>The x axis' label.</summary>
    public string XLabel { get; }
    /// <summary>The y axis' label.</summary>
    public string YLabel { get; }
    /// <summary>True when the x axis is log-scale.</summary>
    public bool LogX { get; }
    /// <summary>The picture's width in pixels (default 640).</summary>
    public int Width { get; init; } = 640;
    /// <summary>The picture's height in pixels (default 400).</summary>
    public int Height { get; init; } = 400;
    /// <summary>The series, in the order they were added (and drawn).</summary>
    public IReadOnlyList<ChartSeries> Series => _series;

    /// <summary>Adds a series; returns this chart, so that calls chain.</summary>
    /// <param name="series">The series.</param>
    /// <exception cref="ArgumentException">X and Y differ in length, or the x axis is log-scale and an x is zero or
    /// negative.</exception>
    public LineChart Add(ChartSeries series)
    {
        ArgumentNullException.ThrowIfNull(series);
        if (series.X.Count != series.Y.Count)
            throw new ArgumentException($"LineChart.Add: series '{series.Name}' has {series.X.Count} x values but {series.Y.Count} y values; give as many of each.", nameof(series));
        int bad = LogX ? Enumerable.Range(0, series.X.Count).FirstOrDefault(i => series.X[i] <= 0, -1) : -1;
        if (bad >= 0)
            throw new ArgumentException($"LineChart.Add: series '{series.Name}' has x = {Number(series.X[bad])} at index {bad}, but the x axis is log-scale; every x must be positive.", nameof(series));
        _series.Add(series);
        return this;
    }

    /// <summary>Adds a series drawn as a line (<paramref name="markers"/> adds a dot at each point); returns this
    /// chart.</summary>
    /// <param name="name">The series' name in the legend.</param>
    /// <param name="x">The x values.</param>
    /// <param name="y">The y values, as many as <paramref name="x"/>.</param>
    /// <param name="markers">True to draw a dot at each point too; default false.</param>
    /// <exception cref="ArgumentException">See <see cref="Add(ChartSeries)"/>.</exception>
    public LineChart Add(string name, IReadOnlyList<double> x, IReadOnlyList<double> y, bool markers = false) =>
        Add(new ChartSeries(name, x, y, Line: true, Markers: markers));

    /// <summary>The chart as an SVG document. The axes span every finite point of every series, widened to round
    /// ticks.</summary>
    /// <exception cref="InvalidOperationException">No series has a finite point.</exception>
    public string ToSvg()
    {
        var points = _series.SelectMany(s => Finite(s).SelectMany(run => run)).ToList();
        if (points.Count == 0)
            throw new InvalidOperationException($"LineChart.ToSvg: '{Title}' has no point to draw ({_series.Count} series, none with a finite x and y); add a series first.");
        var xAxis = LogX ? ChartAxis.Log(points.Min(p => p.X), points.Max(p => p.X)) : ChartAxis.Linear(points.Min(p => p.X), points.Max(p => p.X));
        var yAxis = ChartAxis.Linear(points.Min(p => p.Y), points.Max(p => p.Y));
        double plotW = Width - Left - Right, plotH = Height - Top - Bottom;
        double Px(double x) => Left + plotW * xAxis.Fraction(x);
        double Py(double y) => Top + plotH * (1 - yAxis.Fraction(y));

        var svg = new StringBuilder();
        svg.AppendLine($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"sans-serif\" font-size=\"12\">");
        svg.AppendLine($"<rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/>");
        svg.AppendLine($"<text class=\"title\" x=\"{Number(Left + plotW / 2)}\" y=\"24\" text-anchor=\"middle\" font-size=\"15\">{Escape(Title)}</text>");
        // Grid lines and tick labels first, so that the series draw over them.
        for (int i = 0; i < xAxis.Ticks.Length; i++)
        {
            string x = Number(Px(xAxis.Ticks[i]));
            svg.AppendLine($"<line x1=\"{x}\" y1=\"{Top}\" x2=\"{x}\" y2=\"{Top + plotH}\" stroke=\"#e0e0e0\"/>");
            svg.AppendLine($"<line x1=\"{x}\" y1=\"{Top + plotH}\" x2=\"{x}\" y2=\"{Top + plotH + 5}\" stroke=\"black\"/>");
            svg.AppendLine($"<text class=\"xtick\" x=\"{x}\" y=\"{Top + plotH + 18}\" text-anchor=\"middle\">{Escape(xAxis.Labels[i])}</text>");
        }
        for (int i = 0; i < yAxis.Ticks.Length; i++)
        {
            string y = Number(Py(yAxis.Ticks[i]));
            svg.AppendLine($"<line x1=\"{Left}\" y1=\"{y}\" x2=\"{Left + plotW}\" y2=\"{y}\" stroke=\"#e0e0e0\"/>");
            svg.AppendLine($"<line x1=\"{Left - 5}\" y1=\"{y}\" x2=\"{Left}\" y2=\"{y}\" stroke=\"black\"/>");
            svg.AppendLine($"<text class=\"ytick\" x=\"{Left - 8}\" y=\"{y}\" text-anchor=\"end\" dominant-baseline=\"middle\">{Escape(yAxis.Labels[i])}</text>");
        }
        svg.AppendLine($"<rect x=\"{Left}\" y=\"{Top}\" width=\"{Number(plotW)}\" height=\"{Number(plotH)}\" fill=\"none\" stroke=\"black\"/>");
        svg.AppendLine($"<text class=\"xlabel\" x=\"{Number(Left + plotW / 2)}\" y=\"{Height - 12}\" text-anchor=\"middle\">{Escape(XLabel)}</text>");
        svg.AppendLine($"<text class=\"ylabel\" x=\"16\" y=\"{Number(Top + plotH / 2)}\" text-anchor=\"middle\" transform=\"rotate(-90 16 {Number(Top + plotH / 2)})\">{Escape(YLabel)}</text>");
        for (int s = 0; s < _series.Count; s++)
        {
            var series = _series[s];
            string color = Colors[s % Colors.Length];
            svg.AppendLine($"<g class=\"series\" data-name=\"{Escape(series.Name)}\">");
            foreach (var run in Finite(series))
            {
                string coordinates = string.Join(" ", run.Select(p => $"{Number(Px(p.X))},{Number(Py(p.Y))}"));
                if (series.Line && run.Count > 1)
                    svg.AppendLine($"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"1.5\" points=\"{coordinates}\"/>");
                if (series.Markers || run.Count == 1)
                    foreach (var p in run) svg.AppendLine($"<circle cx=\"{Number(Px(p.X))}\" cy=\"{Number(Py(p.Y))}\" r=\"3.5\" fill=\"{color}\"/>");
            }
            svg.AppendLine("</g>");
        }
        if (_series.Count > 1) Legend(svg, points.Select(p => (Px(p.X), Py(p.Y))).ToList(), plotW, plotH);
        svg.AppendLine("</svg>");
        return svg.ToString();
    }

    /// <summary>Writes <see cref="ToSvg"/> to a file (UTF-8), creating its folder when missing.</summary>
    /// <param name="path">The file to write, e.g. <c>loss.svg</c>.</param>
    /// <exception cref="InvalidOperationException">No series has a finite point.</exception>
    public void Save(string path)
    {
        string svg = ToSvg();
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } dir) Directory.CreateDirectory(dir);
        File.WriteAllText(path, svg);
    }

    // The legend: a swatch and the name of each series, in the corner of the plot that hides the fewest points
    // (matplotlib's loc="best", upper right first).
    private void Legend(StringBuilder svg, List<(double X, double Y)> pixels, double plotW, double plotH)
    {
        int width = 28 + 7 * _series.Max(s => s.Name.Length), height = 8 + 18 * _series.Count;
        var corners = new[]
        {
            (X: Left + plotW - 8 - width, Y: Top + 8.0), (X: Left + 8.0, Y: Top + 8.0),
            (X: Left + 8.0, Y: Top + plotH - 8 - height), (X: Left + plotW - 8 - width, Y: Top + plotH - 8 - height),
        };
        var (x, top) = corners.MinBy(c => pixels.Count(p => p.X >= c.X - 4 && p.X <= c.X + width + 4 && p.Y >= c.Y - 4 && p.Y <= c.Y + height + 4));
        svg.AppendLine($"<g class=\"legend\"><rect x=\"{Number(x)}\" y=\"{Number(top)}\" width=\"{width}\" height=\"{height}\" fill=\"white\" fill-opacity=\"0.85\" stroke=\"#c0c0c0\"/>");
        for (int s = 0; s < _series.Count; s++)
        {
            double y = top + 13 + 18 * s;
            string color = Colors[s % Colors.Length];
            svg.AppendLine($"<line x1=\"{Number(x + 6)}\" y1=\"{Number(y)}\" x2=\"{Number(x + 20)}\" y2=\"{Number(y)}\" stroke=\"{color}\" stroke-width=\"3\"/>");
            svg.AppendLine($"<text x=\"{Number(x + 24)}\" y=\"{Number(y)}\" dominant-baseline=\"middle\">{Escape(_series[s].Name)}</text>");
        }
        svg.AppendLine("</g>");
    }

    // The series' points split into runs of finite points: a NaN or an infinity breaks the line.
    private static List<List<(double X, double Y)>> Finite(ChartSeries series)
    {
        var runs = new List<List<(double X, double Y)>> { new() };
        for (int i = 0; i < series.X.Count; i++)
        {
            if (double.IsFinite(series.X[i]) && double.IsFinite(series.Y[i])) runs[^1].Add((series.X[i], series.Y[i]));
            else if (runs[^1].Count > 0) runs.Add(new());
        }
        return runs.Where(r => r.Count > 0).ToList();
    }

    private static string Number(double v) => Math.Round(v, 2).ToString("0.##", CultureInfo.InvariantCulture);

    private static string Escape(string text) => SecurityElement.Escape(text) ?? "";
}
