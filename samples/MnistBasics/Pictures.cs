using System.Globalization;
using Spectre.Console;
using Tensors.Samples.MnistBasics.Data;

namespace Tensors.Samples.MnistBasics;

/// <summary>Images in the terminal and on disk, and the accuracy chart in the terminal (the SVG charts are the
/// library's <see cref="Tensors.Training.LineChart"/>).</summary>
public static class Pictures
{
    /// <summary>A [28, 28] image with values in [0, 1] (or bytes), drawn dark-on-light like the book's "Greys": in
    /// colour where the console has colour, else (output redirected, or NO_COLOR set) as characters from light to
    /// dark, since a canvas drawn without colour would be blank.</summary>
    public static void Show(IAnsiConsole console, Tensor image, string title)
    {
        var (h, w, pixels) = Bytes(image);
        if (console.Profile.Capabilities.ColorSystem == ColorSystem.NoColors)
        {
            console.WriteLine(title);
            for (int y = 0; y < h; y++)
                console.WriteLine(string.Concat(Enumerable.Range(0, w).Select(x => Shade(pixels[y * w + x]))));
            return;
        }
        var canvas = new Canvas(w, h);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                byte v = (byte)(255 - pixels[y * w + x]);
                canvas.SetPixel(x, y, new Color(v, v, v));
            }
        console.Write(new Panel(canvas).Header(title));
    }

    // Two characters per pixel (terminal cells are about twice as tall as wide), ink from none to full.
    private static string Shade(byte ink) => "  ..::--==++**##%%@@".Substring(ink * 10 / 256 * 2, 2);

    /// <summary>Writes the image as an 8-bit grayscale PNG the way the book shows it: dark on white (matplotlib's
    /// "Greys": 0 is white, 1 is black), each pixel a <paramref name="scale"/> x <paramref name="scale"/> block
    /// (nearest neighbour), so that a 28 x 28 digit is big enough to see.</summary>
    public static void WritePng(Tensor image, string path, int scale = 8)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 1);
        var (h, w, pixels) = Bytes(image);
        var big = new byte[h * scale * w * scale];
        for (int y = 0; y < h * scale; y++)
            for (int x = 0; x < w * scale; x++)
                big[y * w * scale + x] = (byte)(255 - pixels[y / scale * w + x / scale]);
        Png.Write(path, w * scale, h * scale, big);
    }

    private static (int H, int W, byte[] Pixels) Bytes(Tensor image)
    {
        using var _ = Autograd.NoGrad();
        byte[] pixels;
        if (image.DType == DType.UInt8) pixels = image.ToArray<byte>();
        else
        {
            using var times = image * 255;
            using var scaled = times.Clamp(0, 255);
            using var bytes = scaled.To(DType.UInt8);
            pixels = bytes.ToArray<byte>();
        }
        return (image.Shape[0], image.Shape[1], pixels);
    }

    /// <summary>Accuracy per epoch as a terminal chart; bars start at a baseline just below the lowest value so
    /// that differences of a fraction of a percent show.</summary>
    public static void Chart(IAnsiConsole console, IReadOnlyList<double> values, string title)
    {
        double baseline = Math.Floor(values.Min() * 100 - 1) / 100;
        var chart = new BarChart().Label($"{title} (bars from {baseline.ToString("F2", CultureInfo.InvariantCulture)})").Width(70).HideValues();
        int step = Math.Max(1, values.Count / 20);
        var shown = Enumerable.Range(0, values.Count).Where(i => i % step == 0 || i == values.Count - 1);
        foreach (var i in shown)
            chart.AddItem($"epoch {i,2}: {values[i].ToString("F4", CultureInfo.InvariantCulture)}", values[i] - baseline, Color.SteelBlue);
        console.Write(chart);
    }
}
