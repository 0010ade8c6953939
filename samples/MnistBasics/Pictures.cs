using System.Globalization;
using System.Text;
using Spectre.Console;
using Tensors.Samples.MnistBasics.Data;

namespace Tensors.Samples.MnistBasics;

/// <summary>Images in the terminal and on disk, and the accuracy chart.</summary>
public static class Pictures
{
    /// <summary>A [28, 28] image with values in [0, 1] (or bytes), drawn dark-on-light like the book's "Greys".</summary>
    public static void Show(IAnsiConsole console, Tensor image, string title)
    {
        var (h, w, pixels) = Bytes(image);
        var canvas = new Canvas(w, h);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                byte v = (byte)(255 - pixels[y * w + x]);
                canvas.SetPixel(x, y, new Color(v, v, v));
            }
        console.Write(new Panel(canvas).Header(title));
    }

    /// <summary>Writes the image as an 8-bit grayscale PNG.</summary>
    public static void WritePng(Tensor image, string path)
    {
        var (h, w, pixels) = Bytes(image);
        Png.Write(path, w, h, pixels);
    }

    private static (int H, int W, byte[] Pixels) Bytes(Tensor image)
    {
        using var _ = Autograd.NoGrad();
        byte[] pixels;
        if (image.DType == DType.UInt8) pixels = image.ToArray<byte>();
        else
        {
            using var scaled = (image * 255).Clamp(0, 255);
            pixels = scaled.To(DType.UInt8).ToArray<byte>();
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

    /// <summary>Accuracy per epoch as a small SVG line chart.</summary>
    public static void WriteSvg(IReadOnlyList<double> values, string title, string path)
    {
        const int W = 640, H = 360, M = 50;
        double lo = Math.Floor(values.Min() * 100) / 100, hi = Math.Ceiling(values.Max() * 100) / 100;
        if (hi - lo < 0.01) hi = lo + 0.01;
        string X(int i) => (M + (W - 2 * M) * (values.Count == 1 ? 0 : (double)i / (values.Count - 1))).ToString("F1", CultureInfo.InvariantCulture);
        string Y(double v) => (H - M - (H - 2 * M) * (v - lo) / (hi - lo)).ToString("F1", CultureInfo.InvariantCulture);
        var sb = new StringBuilder();
        sb.AppendLine($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{W}\" height=\"{H}\" font-family=\"sans-serif\" font-size=\"12\">");
        sb.AppendLine($"<rect width=\"{W}\" height=\"{H}\" fill=\"white\"/><text x=\"{W / 2}\" y=\"24\" text-anchor=\"middle\" font-size=\"16\">{title}</text>");
        sb.AppendLine($"<line x1=\"{M}\" y1=\"{H - M}\" x2=\"{W - M}\" y2=\"{H - M}\" stroke=\"black\"/><line x1=\"{M}\" y1=\"{M}\" x2=\"{M}\" y2=\"{H - M}\" stroke=\"black\"/>");
        sb.AppendLine($"<text x=\"{M - 6}\" y=\"{Y(hi)}\" text-anchor=\"end\">{hi.ToString("F2", CultureInfo.InvariantCulture)}</text><text x=\"{M - 6}\" y=\"{Y(lo)}\" text-anchor=\"end\">{lo.ToString("F2", CultureInfo.InvariantCulture)}</text>");
        sb.AppendLine($"<text x=\"{W / 2}\" y=\"{H - 12}\" text-anchor=\"middle\">epoch (0..{values.Count - 1})</text>");
        sb.AppendLine($"<polyline fill=\"none\" stroke=\"steelblue\" stroke-width=\"2\" points=\"{string.Join(" ", values.Select((v, i) => $"{X(i)},{Y(v)}"))}\"/>");
        sb.AppendLine("</svg>");
        File.WriteAllText(path, sb.ToString());
    }
}
