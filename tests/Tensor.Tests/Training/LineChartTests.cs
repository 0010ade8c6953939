using System.Globalization;
using System.Xml.Linq;
using Tensors.Training;
using Xunit;

namespace Tensors.Tests.Training;

/// <summary>The SVG line-chart writer: ticks at round values (derived by hand in each case), log axes, the
/// document's structure, escaping and culture.</summary>
public class LineChartTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static (double[] Ticks, string[] Labels, double Lo, double Hi) Axis(ChartAxis a) => (a.Ticks, a.Labels, a.Lo, a.Hi);

    [Fact]
    public void LinearTicksAreNiceNumbers()
    {
        // 0.8..0.97: the range 0.17 rounds up to 0.2, a quarter of it (five ticks) to 0.05; multiples of 0.05 around the data.
        var a = ChartAxis.Linear(0.8, 0.97);
        Assert.Equal([0.8, 0.85, 0.9, 0.95, 1.0], a.Ticks);
        Assert.Equal(["0.80", "0.85", "0.90", "0.95", "1.00"], a.Labels);
        Assert.Equal((0.8, 1.0), (a.Lo, a.Hi));
        // 0..7: range 10, step 10/4 = 2.5 rounds to 2.
        Assert.Equal(["0", "2", "4", "6", "8"], ChartAxis.Linear(0, 7).Labels);
        // -3..12: range 15 rounds up to 20, step 5.
        Assert.Equal([-5.0, 0, 5, 10, 15], ChartAxis.Linear(-3, 12).Ticks);
        // 0.0123..0.0187: range 0.0064 -> 0.01, step 0.0025 -> 0.002.
        Assert.Equal(["0.012", "0.014", "0.016", "0.018", "0.020"], ChartAxis.Linear(0.0123, 0.0187).Labels);
        // 150..4321: range 5000, step 1250 -> 1000.
        Assert.Equal(["0", "1000", "2000", "3000", "4000", "5000"], ChartAxis.Linear(150, 4321).Labels);
    }

    [Fact]
    public void AFlatSeriesGetsARange()
    {
        // 2..2 widens by a tenth each side to 1.8..2.2: range 0.4 -> 0.5, step 0.125 -> 0.1.
        Assert.Equal(["1.8", "1.9", "2.0", "2.1", "2.2"], ChartAxis.Linear(2, 2).Labels);
        Assert.Equal(["-1.0", "-0.5", "0.0", "0.5", "1.0"], ChartAxis.Linear(0, 0).Labels);
    }

    [Fact]
    public void LogTicksAreDecades()
    {
        var a = ChartAxis.Log(1e-7, 10);
        Assert.Equal(["1e-7", "1e-6", "1e-5", "1e-4", "0.001", "0.01", "0.1", "1", "10"], a.Labels);
        Assert.Equal((1e-7, 10), (a.Lo, a.Hi));
        Assert.Equal(0.5, a.Fraction(1e-3), 12);
        Assert.Equal(["1e-5", "1e-4", "0.001", "0.01", "0.1", "1"], ChartAxis.Log(3e-5, 0.4).Labels);
        Assert.Equal(["10", "100"], ChartAxis.Log(20, 80).Labels);   // within one decade: its two ends
        // 24 decades: every third one.
        Assert.Equal(["1e-12", "1e-9", "1e-6", "0.001", "1", "1000", "1e6", "1e9", "1e12"], ChartAxis.Log(1e-12, 1e12).Labels);
    }

    private static XElement Parse(string svg) => XDocument.Parse(svg).Root!;

    private static List<string> Texts(XElement root, string cls) =>
        root.Descendants(Svg + "text").Where(t => (string?)t.Attribute("class") == cls).Select(t => t.Value).ToList();

    [Fact]
    public void TheDocumentCarriesTitleAxesAndSeries()
    {
        var chart = new LineChart("simple_net: accuracy", "epoch", "accuracy")
            .Add("train", [0, 1, 2, 3], [0.80, 0.90, 0.95, 0.97])
            .Add("valid", [0, 1, 2, 3], [0.82, 0.91, 0.94, 0.96], markers: true);
        var root = Parse(chart.ToSvg());
        Assert.Equal("svg", root.Name.LocalName);
        Assert.Equal("simple_net: accuracy", Texts(root, "title").Single());
        Assert.Equal("epoch", Texts(root, "xlabel").Single());
        Assert.Equal("accuracy", Texts(root, "ylabel").Single());
        Assert.Equal(["0", "1", "2", "3"], Texts(root, "xtick"));   // range 3 rounds up to 5, step 1.25 to 1
        Assert.Equal(["0.80", "0.85", "0.90", "0.95", "1.00"], Texts(root, "ytick"));
        var series = root.Descendants(Svg + "g").Where(g => (string?)g.Attribute("class") == "series").ToList();
        Assert.Equal(["train", "valid"], series.Select(g => (string)g.Attribute("data-name")!));
        Assert.Equal(4, series[0].Element(Svg + "polyline")!.Attribute("points")!.Value.Split(' ').Length);
        Assert.Empty(series[0].Elements(Svg + "circle"));
        Assert.Equal(4, series[1].Elements(Svg + "circle").Count());
        // Two series: a legend naming both.
        var legend = root.Descendants(Svg + "g").Single(g => (string?)g.Attribute("class") == "legend");
        Assert.Equal(["train", "valid"], legend.Elements(Svg + "text").Select(t => t.Value));
        // The first point (0, 0.80) sits on the axes' corner: x = 72 (the left margin), y = 400 - 56 (the bottom margin).
        Assert.StartsWith("72,344 ", series[0].Element(Svg + "polyline")!.Attribute("points")!.Value);
    }

    [Fact]
    public void TheLegendGoesWhereItHidesTheFewestPoints()
    {
        string LegendX(double[] y)
        {
            double[] x = Enumerable.Range(0, y.Length).Select(i => (double)i).ToArray();
            var root = Parse(new LineChart("t", "x", "y").Add("a", x, y).Add("b", x, y.Select(v => v * 0.9).ToArray()).ToSvg());
            return root.Descendants(Svg + "g").Single(g => (string?)g.Attribute("class") == "legend").Element(Svg + "rect")!.Attribute("x")!.Value;
        }
        double[] falling = Enumerable.Range(0, 50).Select(i => 10.0 - i / 5.0).ToArray();
        // Falling from the top left: the upper right is free (x = 72 + 544 - 8 - (28 + 7 * 1) = 573).
        Assert.Equal("573", LegendX(falling));
        // Rising to the top right: the upper left, 8 pixels in from the axis.
        Assert.Equal("80", LegendX(falling.Reverse().ToArray()));
    }

    [Fact]
    public void ALogAxisPlacesPointsByTheirLogarithm()
    {
        var root = Parse(new LineChart("lr", "Learning Rate", "Loss", logX: true).Add(new ChartSeries("point", [1e-3], [1.0], Line: false, Markers: true)).ToSvg());
        // The x axis spans 1e-3..1e-2 (one decade); the plot is 640 - 72 - 24 = 544 wide: 1e-3 is at its left edge.
        var circle = root.Descendants(Svg + "circle").Single();
        Assert.Equal("72", circle.Attribute("cx")!.Value);
        Assert.Equal(["0.001", "0.01"], Texts(root, "xtick"));
        var wide = Parse(new LineChart("lr", "Learning Rate", "Loss", logX: true).Add("loss", [1e-7, 1e-3, 10], [3, 2, 4]).ToSvg());
        // 1e-3 is halfway along 1e-7..10: 72 + 544 / 2 = 344. Loss 2 is the y axis' bottom (2..4, step 0.5).
        Assert.Contains("344,344", wide.Descendants(Svg + "polyline").Single().Attribute("points")!.Value.Split(' '));
        var ex = Assert.Throws<ArgumentException>(() => new LineChart("lr", "x", "y", logX: true).Add("loss", [1e-3, 0, 1], [1, 2, 3]));
        Assert.Contains("'loss' has x = 0 at index 1", ex.Message);
    }

    [Fact]
    public void TextIsEscapedAndNumbersAreInvariant()
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            var svg = new LineChart("<loss> & \"acc\"", "x's", "y").Add("a<b", [0.5, 1.5], [0.25, 0.75]).ToSvg();
            var root = Parse(svg);
            Assert.Equal("<loss> & \"acc\"", Texts(root, "title").Single());
            Assert.Equal("x's", Texts(root, "xlabel").Single());
            Assert.Equal("a<b", (string)root.Descendants(Svg + "g").First(g => (string?)g.Attribute("class") == "series").Attribute("data-name")!);
            Assert.Equal(["0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8"], Texts(root, "ytick"));
            Assert.DoesNotContain(",", string.Join(" ", root.Descendants(Svg + "circle").Concat(root.Descendants(Svg + "line")).SelectMany(e => e.Attributes()).Select(a => a.Value)));
        }
        finally { CultureInfo.CurrentCulture = saved; }
    }

    [Fact]
    public void NonFinitePointsBreakTheLine()
    {
        var root = Parse(new LineChart("t", "x", "y").Add("s", [0, 1, 2, 3, 4, 5], [1, 2, double.NaN, 3, double.PositiveInfinity, 4]).ToSvg());
        var g = root.Descendants(Svg + "g").Single(e => (string?)e.Attribute("class") == "series");
        Assert.Single(g.Elements(Svg + "polyline"));           // 0..1, then 3 and 5 alone, drawn as dots
        Assert.Equal(2, g.Elements(Svg + "circle").Count());
        Assert.Equal(["1", "2", "3", "4"], Texts(root, "ytick"));   // the infinity left out of the range
    }

    [Fact]
    public void BadInputIsAClearError()
    {
        var ex = Assert.Throws<ArgumentException>(() => new LineChart("t", "x", "y").Add("s", [1, 2, 3], [1, 2]));
        Assert.Contains("series 's' has 3 x values but 2 y values", ex.Message);
        var empty = Assert.Throws<InvalidOperationException>(() => new LineChart("t", "x", "y").Add("s", [1], [double.NaN]).ToSvg());
        Assert.Contains("LineChart.ToSvg: 't' has no point to draw", empty.Message);
    }

    [Fact]
    public void SaveWritesTheFileAndItsFolder()
    {
        var dir = Directory.CreateTempSubdirectory("chart-").FullName;
        try
        {
            var path = Path.Combine(dir, "sub", "c.svg");
            new LineChart("t", "x", "y").Add("s", [0, 1], [0, 1]).Save(path);
            Assert.Equal("svg", XDocument.Load(path).Root!.Name.LocalName);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
