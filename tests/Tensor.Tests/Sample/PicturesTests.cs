using System.Text.Json.Nodes;
using System.Xml.Linq;
using Tensors.Samples.MnistBasics;
using Tensors.Samples.MnistBasics.Data;
using Xunit;

namespace Tensors.Tests.Sample;

/// <summary>The sample as a learner sees it: where the pictures go, pictures big enough to see, the charts through the
/// library's chart writer, --help with the defaults, and the summary marked on a subset.</summary>
[Collection(DefaultGeneratorCollection.Name)]
public class PicturesTests : IDisposable
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private readonly string _dir = Directory.CreateTempSubdirectory("mnist-pictures-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void WithoutColourTheTerminalPictureIsDrawnInCharacters()
    {
        // Ink 0, 0.5 and 1 over two rows: blank, the middle shade and the darkest, two characters per pixel.
        using var image = Tensor.From([0f, 0.5f, 1f, 1f, 0f, 0.5f], 2, 3);
        var output = new StringWriter();
        Pictures.Show(Tensors.Training.ConsoleReporter.CreateConsole(output), image, "tiny");
        var lines = output.ToString().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Equal("tiny", lines[0]);
        Assert.Equal("  ==@@", lines[1]);
        Assert.Equal("@@  ==", lines[2]);
        Assert.DoesNotContain('\u001b', output.ToString());
    }

    [Fact]
    public void MeanImagesAreEightTimesBiggerAndDarkOnWhite()
    {
        // A 2 x 3 image: 0 is white (255), 1 is black (0), as the book's "Greys".
        using var image = Tensor.From([0f, 0.5f, 1f, 1f, 0f, 0.25f], 2, 3);
        var path = Path.Combine(_dir, "tiny.png");
        Pictures.WritePng(image, path);
        var png = Png.Read(path);
        Assert.Equal((24, 16), (png.Width, png.Height));
        byte[] expected = [255, 128, 0, 0, 255, 192];   // 255 - round(v * 255) truncated: 0.5 -> 127 -> 128, 0.25 -> 63 -> 192
        for (int y = 0; y < 16; y++)
            for (int x = 0; x < 24; x++)
                Assert.Equal(expected[y / 8 * 3 + x / 8], png.Pixels[y * 24 + x]);
    }

    [Fact]
    public void HelpShowsEveryOptionAndItsDefault()
    {
        foreach (var option in new[] { "--data DIR", "--device cpu|cuda", "--parts 1,2,...", "--seed N", "--json FILE", "--out DIR", "--no-download", "--export-subset DIR", "-h, --help" })
            Assert.Contains("\n  " + option, Options.Usage.ReplaceLineEndings("\n"));
        var defaults = new Options();
        Assert.Contains($"[{defaults.OutDir}]", Options.Usage);
        Assert.Equal("mnist_basics_out", defaults.OutDir);
        Assert.Contains("[42]", Options.Usage);
        Assert.Contains("[cpu]", Options.Usage);
        Assert.Contains("[1,2,3,4,5,6,7]", Options.Usage);
        Assert.All(Options.Usage.Split(Environment.NewLine), line => Assert.True(line.Length <= 100, line));
    }

    [Fact]
    public void PicturesAreWrittenWhereTheRunSaysAndTheSubsetIsMarked()
    {
        var json = Path.Combine(_dir, "r.json");
        var outDir = Path.Combine(_dir, "pictures");
        var output = new StringWriter();
        var console = SampleTests.Quiet(output);
        console.Profile.Width = 500;   // long temporary paths on one line
        int code = Cli.Run(["--data", DataLocator.SubsetDir, "--parts", "2,6,7", "--json", json, "--out", outDir, "--no-download"], console);
        string text = output.ToString();
        Assert.True(code == 0, text);
        Assert.Contains($"Pictures go to {Path.GetFullPath(outDir)}", text);
        string[] files = ["mean3.png", "mean7.png", "simple_net_accuracy.svg", "simple_net_loss.svg", "simple_net_lr_find.svg", "resnet18_loss.svg"];
        foreach (var file in files)
        {
            var path = Path.Combine(outDir, file);
            Assert.True(File.Exists(path), file);
            Assert.Contains($"Wrote {path}", text);
        }
        Assert.Equal(files.Order(), Directory.GetFiles(outDir).Select(Path.GetFileName).Order());
        Assert.Equal((224, 224), (Png.Read(Path.Combine(outDir, "mean3.png")).Width, Png.Read(Path.Combine(outDir, "mean3.png")).Height));

        // The accuracy chart: 40 epochs of batch_accuracy, with axis labels and ticks.
        var accuracy = XDocument.Load(Path.Combine(outDir, "simple_net_accuracy.svg")).Root!;
        var series = accuracy.Descendants(Svg + "g").Single(g => (string?)g.Attribute("class") == "series");
        Assert.Equal("batch_accuracy", (string)series.Attribute("data-name")!);
        Assert.Equal(40, series.Element(Svg + "polyline")!.Attribute("points")!.Value.Split(' ').Length);
        string Text(XElement root, string cls) => string.Join("|", root.Descendants(Svg + "text").Where(t => (string?)t.Attribute("class") == cls).Select(t => t.Value));
        Assert.Equal("epoch", Text(accuracy, "xlabel"));
        Assert.Equal("batch_accuracy", Text(accuracy, "ylabel"));
        Assert.Equal("0|10|20|30|40", Text(accuracy, "xtick"));   // epochs 0..39: range 50, step 12.5 -> 10
        // The loss and the learning-rate finder.
        var loss = XDocument.Load(Path.Combine(outDir, "simple_net_loss.svg")).Root!;
        Assert.Equal(["train", "valid"], loss.Descendants(Svg + "g").Where(g => (string?)g.Attribute("class") == "series").Select(g => (string)g.Attribute("data-name")!));
        var lrFind = XDocument.Load(Path.Combine(outDir, "simple_net_lr_find.svg")).Root!;
        Assert.Equal("Learning Rate", Text(lrFind, "xlabel"));
        Assert.StartsWith("1e-7|", Text(lrFind, "xtick"));
        var r = JsonNode.Parse(File.ReadAllText(json))!;
        var found = r["simple_net"]!["lr_find"]!;
        Assert.InRange(found["batches"]!.GetValue<int>(), 2, 100);
        if (found["valley"] is JsonNode valley) Assert.InRange(valley.GetValue<double>(), 1e-7, 10);

        // 300 training images are not the book's 12,396: the summary says so.
        Assert.True(r["subset"]!.GetValue<bool>());
        Assert.Contains("This run on a subset beside the book", text);
        Assert.Contains("this run (subset)", text);
        Assert.Contains("Measured on 150 + 150 training and 50 + 50 validation images, not the book's", text);
    }
}
