using System.Globalization;

namespace Tensors.Training;

/// <summary>
/// One axis of a <see cref="LineChart"/>: its range and its ticks. A linear axis widens the data's range to ticks
/// at "nice" values (1, 2 or 5 times a power of ten, Heckbert's "Nice numbers for graph labels"); a log axis widens
/// it to whole decades, with a tick at each (every second or third one when there are many).
/// </summary>
internal sealed class ChartAxis
{
    private ChartAxis(double lo, double hi, double[] ticks, string[] labels, bool log)
    {
        Lo = lo;
        Hi = hi;
        Ticks = ticks;
        Labels = labels;
        IsLog = log;
    }

    /// <summary>The axis' first value.</summary>
    public double Lo { get; }
    /// <summary>The axis' last value.</summary>
    public double Hi { get; }
    /// <summary>Where the ticks are, in data values, ascending.</summary>
    public double[] Ticks { get; }
    /// <summary>Each tick's label, invariant culture.</summary>
    public string[] Labels { get; }
    /// <summary>True for a log-scale axis.</summary>
    public bool IsLog { get; }

    /// <summary>The position of <paramref name="value"/> along the axis, 0 at <see cref="Lo"/> and 1 at
    /// <see cref="Hi"/>.</summary>
    public double Fraction(double value) => IsLog
        ? (Math.Log10(value) - Math.Log10(Lo)) / (Math.Log10(Hi) - Math.Log10(Lo))
        : (value - Lo) / (Hi - Lo);

    /// <summary>A linear axis over [min, max] with about <paramref name="count"/> ticks at nice values. A range of
    /// one value is widened around it, so a flat series still draws.</summary>
    public static ChartAxis Linear(double min, double max, int count = 5)
    {
        if (min == max)
        {
            double pad = min == 0 ? 1 : Math.Abs(min) * 0.1;
            (min, max) = (min - pad, max + pad);
        }
        double range = Nice(max - min, round: false);
        double step = Nice(range / (count - 1), round: true);
        int decimals = Math.Max(0, -(int)Math.Floor(Math.Log10(step)));
        // Whole multiples of the step, with a little slack so that 0.8 / 0.05 = 15.999... still gives 16.
        long first = (long)Math.Floor(min / step + 1e-9), last = (long)Math.Ceiling(max / step - 1e-9);
        var ticks = new double[last - first + 1];
        for (long k = first; k <= last; k++) ticks[k - first] = Math.Round(k * step, decimals);
        var labels = ticks.Select(t => t.ToString("F" + decimals, CultureInfo.InvariantCulture)).ToArray();
        return new ChartAxis(ticks[0], ticks[^1], ticks, labels, log: false);
    }

    /// <summary>A log-scale axis over [min, max] (both positive), from the decade at or below
    /// <paramref name="min"/> to the one at or above <paramref name="max"/>, with a tick at each decade (every
    /// second, third... one when there are more than ten).</summary>
    public static ChartAxis Log(double min, double max)
    {
        int lo = (int)Math.Floor(Math.Log10(min) + 1e-9), hi = (int)Math.Ceiling(Math.Log10(max) - 1e-9);
        if (hi == lo) hi++;
        int every = (hi - lo + 9) / 10;
        var exponents = Enumerable.Range(lo, hi - lo + 1).Where(e => (e - lo) % every == 0).ToArray();
        return new ChartAxis(Math.Pow(10, lo), Math.Pow(10, hi), exponents.Select(e => Math.Pow(10, e)).ToArray(),
            exponents.Select(DecadeLabel).ToArray(), log: true);
    }

    /// <summary>10^e as text: plain from 0.001 to 1000, else 1e-7 or 1e6.</summary>
    internal static string DecadeLabel(int e) => e is >= -3 and <= 3
        ? Math.Pow(10, e).ToString(e < 0 ? "F" + -e : "F0", CultureInfo.InvariantCulture)
        : "1e" + e.ToString(CultureInfo.InvariantCulture);

    /// <summary>A nice number near <paramref name="x"/> (1, 2, 5 or 10 times a power of ten): the nearest when
    /// rounding, else the one at or above it.</summary>
    internal static double Nice(double x, bool round)
    {
        double exp = Math.Floor(Math.Log10(x)), f = x / Math.Pow(10, exp);
        double nice = round
            ? f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10
            : f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
        return nice * Math.Pow(10, exp);
    }
}
