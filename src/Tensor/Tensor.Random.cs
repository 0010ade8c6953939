using Tensors.Backends;
using Tensors.Random;

namespace Tensors;

// Random sampling beyond Rand/Randn. Everything draws from the same counter-based stream (Generator), through the
// backend's FillRandom or, for host-side sampling, the same CounterRandom function, so a seed gives the same numbers
// on every backend. The sampling itself is composed from elementwise ops (uniform draws scaled, truncated,
// compared), except RandPerm and Multinomial, which sort or search on the host.
public sealed partial class Tensor
{
    /// <summary>Integers uniform on [0, <paramref name="high"/>) (PyTorch's <c>randint(high, size)</c>).</summary>
    /// <param name="high">One past the largest value, at least 1.</param>
    /// <param name="shape">The result's shape.</param>
    /// <param name="dtype">The result's dtype (Int64 by default); it must hold every value of the range.</param>
    /// <param name="generator">The stream to draw from (default: <see cref="Generator.Default"/>).</param>
    /// <param name="device">Where the result goes (default: the CPU).</param>
    public static Tensor RandInt(long high, int[] shape, DType dtype = DType.Int64, Generator? generator = null, Device? device = null) =>
        RandInt(0, high, shape, dtype, generator, device);

    /// <summary>Integers uniform on [<paramref name="low"/>, <paramref name="high"/>) (PyTorch's <c>randint</c>): each is
    /// low + floor(u * (high - low)) for a uniform double u, so the range may span at most 2^53 values.</summary>
    /// <param name="low">The smallest value.</param>
    /// <param name="high">One past the largest value; more than <paramref name="low"/>.</param>
    /// <param name="shape">The result's shape.</param>
    /// <param name="dtype">The result's dtype (Int64 by default); it must hold every value of the range.</param>
    /// <param name="generator">The stream to draw from (default: <see cref="Generator.Default"/>).</param>
    /// <param name="device">Where the result goes (default: the CPU).</param>
    /// <exception cref="ArgumentException">The range [low, high) is empty, holds more than 2^53 values, or does not fit
    /// <paramref name="dtype"/>.</exception>
    public static Tensor RandInt(long low, long high, int[] shape, DType dtype = DType.Int64, Generator? generator = null, Device? device = null)
    {
        const string op = "RandInt";
        ArgumentNullException.ThrowIfNull(shape);
        Int128 span = (Int128)high - low;
        if (span <= 0 || span > (1L << 53))
            throw new ArgumentException($"{op}: the range [{low}, {high}) must hold 1 to 2^53 values.");
        var (min, max) = ExactIntegerRange(op, dtype);
        if (low < min || high - 1 > max)
            throw new ArgumentException($"{op}: the range [{low}, {high}) does not fit {dtype.Name()}, which holds {min}..{max}.");
        using var noGrad = Autograd.Suspend();
        using var u = Rand(shape, generator, DType.Float64, device);
        using var scaled = u * (double)span;
        using var whole = scaled.Trunc();
        // u < 1, but u * span may round up to span itself when span is large.
        using var capped = whole.Clamp(null, (double)(span - 1));
        using var offsets = capped.To(DType.Int64);
        using var values = offsets + low;
        return values.To(dtype);
    }

    /// <summary>The integers that <paramref name="dtype"/> holds exactly, for RandInt's range check.</summary>
    private static (long Min, long Max) ExactIntegerRange(string op, DType dtype) => dtype switch
    {
        DType.Bool => (0, 1),
        DType.UInt8 => (byte.MinValue, byte.MaxValue),
        DType.Int8 => (sbyte.MinValue, sbyte.MaxValue),
        DType.Int16 => (short.MinValue, short.MaxValue),
        DType.Int32 => (int.MinValue, int.MaxValue),
        DType.Int64 => (long.MinValue, long.MaxValue),
        DType.Half => (-(1L << 11), 1L << 11),
        DType.BFloat16 => (-(1L << 8), 1L << 8),
        DType.Float32 => (-(1L << 24), 1L << 24),
        DType.Float64 => (-(1L << 53), 1L << 53),
        _ => throw new ArgumentException($"{op}: dtype {dtype.Name()} is not supported; use an integer, Bool or floating-point dtype."),
    };

    /// <summary>A random permutation of 0..<paramref name="n"/>-1 (PyTorch's <c>randperm</c>): the order that sorts
    /// <paramref name="n"/> uniform draws, computed on the host.</summary>
    /// <param name="n">How many integers, 0 or more.</param>
    /// <param name="generator">The stream to draw from (default: <see cref="Generator.Default"/>).</param>
    /// <param name="dtype">The result's dtype (Int64 by default).</param>
    /// <param name="device">Where the result goes (default: the CPU).</param>
    /// <exception cref="ArgumentException"><paramref name="n"/> is negative.</exception>
    public static Tensor RandPerm(int n, Generator? generator = null, DType dtype = DType.Int64, Device? device = null)
    {
        if (n < 0) throw new ArgumentException($"RandPerm: n must be 0 or more, got {n}.");
        var g = generator ?? Generator.Default;
        ulong start = g.Take(n);
        var keys = new double[n];
        var order = new long[n];
        for (int i = 0; i < n; i++) (keys[i], order[i]) = (CounterRandom.Uniform(g.Seed, start + (ulong)i), i);
        Array.Sort(keys, order);
        using var host = From(order);
        using var typed = host.To(dtype);
        return typed.To(device ?? Device.Cpu);
    }

    /// <summary>0 or 1 drawn with this tensor's values as the probabilities of 1 (PyTorch's <c>bernoulli</c>), in this
    /// tensor's dtype. Not differentiable.</summary>
    /// <param name="generator">The stream to draw from (default: <see cref="Generator.Default"/>).</param>
    /// <exception cref="ArgumentException">This tensor (the probabilities) is not floating point.</exception>
    public Tensor Bernoulli(Generator? generator = null)
    {
        const string op = "Bernoulli";
        if (!DType.IsFloatingPoint())
            throw new ArgumentException($"{op}: the probabilities must be floating point, got {DType.Name()}.");
        using var noGrad = Autograd.Suspend();
        CheckProbabilities(op, this);
        using var drawn = Draw(op, this, generator);
        return drawn.To(DType);
    }

    /// <summary>Fills this tensor in place with 1 at probability <paramref name="p"/> and 0 otherwise (PyTorch's
    /// <c>bernoulli_</c>). Returns this tensor.</summary>
    /// <param name="p">The probability of 1, in [0, 1]; default 0.5.</param>
    /// <param name="generator">The stream to draw from (default: <see cref="Generator.Default"/>).</param>
    /// <exception cref="ArgumentException"><paramref name="p"/> is outside [0, 1].</exception>
    public Tensor Bernoulli_(double p = 0.5, Generator? generator = null)
    {
        if (!(p >= 0 && p <= 1)) throw new ArgumentException($"Bernoulli_: p must be in [0, 1], got {p}.");
        using var probability = Full([], p, DType.Float64, Device);
        return Bernoulli_(probability, generator);
    }

    /// <summary>Fills this tensor in place with 1 at the probabilities <paramref name="p"/> (broadcast to this shape)
    /// and 0 otherwise (PyTorch's <c>bernoulli_</c>). Returns this tensor.</summary>
    /// <param name="p">Probabilities of 1, floating point, in [0, 1], broadcastable to this tensor's shape.</param>
    /// <param name="generator">The stream to draw from (default: <see cref="Generator.Default"/>).</param>
    /// <exception cref="ArgumentException"><paramref name="p"/> is not floating point or does not broadcast to this
    /// tensor's shape.</exception>
    public Tensor Bernoulli_(Tensor p, Generator? generator = null)
    {
        const string op = "Bernoulli_";
        ArgumentNullException.ThrowIfNull(p);
        if (!p.DType.IsFloatingPoint())
            throw new ArgumentException($"{op}: the probabilities must be floating point, got {p.DType.Name()}.");
        SameDevice(op, this, p);
        var shape = Broadcasting.Shape(op, Layout.Shape, p.Layout.Shape);
        if (!shape.AsSpan().SequenceEqual(Layout.Shape))
            throw new ArgumentException($"{op}: probabilities of shape {Layout.Format(p.Layout.Shape)} do not broadcast to this tensor's shape {Layout.Format(Layout.Shape)}.");
        Tensor drawn;
        using (Autograd.Suspend())
        {
            CheckProbabilities(op, p);
            using var expanded = p.BroadcastTo(shape);
            drawn = Draw(op, expanded, generator);
        }
        using (drawn) return Overwrite_(op, drawn);
    }

    /// <summary>Bool: a uniform draw per element of <paramref name="p"/>'s shape below p.</summary>
    private static Tensor Draw(string op, Tensor p, Generator? generator)
    {
        using var u = Rand(p.Shape, generator, DType.Float64, p.Device);
        return u.Lt(p);
    }

    private static void CheckProbabilities(string op, Tensor p)
    {
        if (p.Numel == 0) return;
        using var low = p.Min();
        using var high = p.Max();
        double min = low.Item<double>(), max = high.Item<double>();
        if (!(min >= 0 && max <= 1))
            throw new ArgumentException($"{op}: probabilities must be in [0, 1], but they range over [{min}, {max}] (shape {Layout.Format(p.Layout.Shape)}).");
    }

    /// <summary>Fills this tensor in place with normal values of mean <paramref name="mean"/> and standard deviation
    /// <paramref name="std"/> (PyTorch's <c>normal_</c>). Returns this tensor.</summary>
    /// <param name="mean">The mean; default 0.</param>
    /// <param name="std">The standard deviation, 0 or more; default 1.</param>
    /// <param name="generator">The stream to draw from (default: <see cref="Generator.Default"/>).</param>
    /// <exception cref="ArgumentException"><paramref name="std"/> is negative.</exception>
    public Tensor Normal_(double mean = 0, double std = 1, Generator? generator = null)
    {
        const string op = "Normal_";
        if (!(std >= 0)) throw new ArgumentException($"{op}: std must be 0 or more, got {std}.");
        return Affine_(op, RandomKind.Normal, std, mean, generator);
    }

    /// <summary>Fills this tensor in place with values uniform on [<paramref name="from"/>, <paramref name="to"/>)
    /// (PyTorch's <c>uniform_</c>). Returns this tensor.</summary>
    /// <param name="from">The lower bound; default 0.</param>
    /// <param name="to">The upper bound, at least <paramref name="from"/>; default 1.</param>
    /// <param name="generator">The stream to draw from (default: <see cref="Generator.Default"/>).</param>
    /// <exception cref="ArgumentException">The range is not finite, or <paramref name="from"/> is greater than
    /// <paramref name="to"/>.</exception>
    public Tensor Uniform_(double from = 0, double to = 1, Generator? generator = null)
    {
        const string op = "Uniform_";
        if (!(from <= to) || double.IsInfinity(to - from))
            throw new ArgumentException($"{op}: expects a finite range with from <= to, got from {from} and to {to}.");
        return Affine_(op, RandomKind.Uniform, to - from, from, generator);
    }

    /// <summary>Writes scale * draw + shift for a draw of <paramref name="kind"/> per element, in place.</summary>
    private Tensor Affine_(string op, RandomKind kind, double scale, double shift, Generator? generator)
    {
        if (!DType.IsFloatingPoint())
            throw new ArgumentException($"{op}: the tensor must be floating point, got {DType.Name()}; create it with a float dtype.");
        Tensor values;
        using (Autograd.Suspend())
        {
            using var draws = Random(kind, Shape, generator, DType, Device);
            using var scaled = draws * scale;
            values = scaled + shift;
        }
        using (values) return Overwrite_(op, values);
    }

    /// <summary>Writes <paramref name="values"/> (this shape) into this tensor in place, converting to its dtype;
    /// as other in-place ops, under autograd it becomes this tensor's (gradient-free) history.</summary>
    private Tensor Overwrite_(string op, Tensor values)
    {
        CheckWritable(op);
        if (RecordInPlace(op, null, _ => values.ViewAs(op), keepsOldValue: false)) return this;
        Backend.Copy(values.StorageFor(op), values.Layout, Storage, Layout);
        Storage.BumpVersion();
        return this;
    }

    /// <summary>Samples <paramref name="numSamples"/> category indices per row of this tensor of non-negative weights
    /// (1-D: one distribution, 2-D: one per row), as PyTorch's <c>multinomial</c>: without replacement each category is
    /// drawn at most once. The sampling runs on the host (the weights are copied there); the Int64 result goes to this
    /// tensor's device.</summary>
    /// <param name="numSamples">Samples per row, at least 1 (at most the non-zero categories without replacement).</param>
    /// <param name="replacement">Whether a category may be drawn more than once; default <c>false</c>.</param>
    /// <param name="generator">The stream to draw from (default: <see cref="Generator.Default"/>).</param>
    /// <exception cref="ArgumentException">The weights are not a 1-D or 2-D floating-point tensor, or are negative or
    /// not finite; <paramref name="numSamples"/> is below 1; or, without replacement, a row has fewer non-zero weights
    /// than samples.</exception>
    public Tensor Multinomial(int numSamples, bool replacement = false, Generator? generator = null)
    {
        const string op = "Multinomial";
        if (Rank is not (1 or 2) || !DType.IsFloatingPoint())
            throw new ArgumentException($"{op}: expects a 1-D or 2-D floating-point tensor of weights, got {DType.Name()} of shape {Layout.Format(Layout.Shape)}.");
        int rows = Rank == 1 ? 1 : Layout.Shape[0], n = Layout.Shape[^1];
        if (numSamples <= 0)
            throw new ArgumentException($"{op}: numSamples must be at least 1, got {numSamples}.");
        if (!replacement && numSamples > n)
            throw new ArgumentException($"{op}: cannot draw {numSamples} samples from {n} categories without replacement.");
        double[] weights;
        using (Autograd.Suspend())
        using (var host = To(DType.Float64))
            weights = host.ToArray<double>();
        var g = generator ?? Generator.Default;
        ulong start = g.Take((long)rows * numSamples);
        var result = new long[(long)rows * numSamples];
        for (int r = 0; r < rows; r++)
        {
            var w = weights.AsSpan(r * n, n);
            foreach (var x in w)
                if (!(x >= 0) || double.IsInfinity(x))
                    throw new ArgumentException($"{op}: weights must be finite and non-negative, row {r} holds {x}.");
            int nonzero = 0;
            foreach (var x in w) if (x > 0) nonzero++;
            if (nonzero == 0 || (!replacement && numSamples > nonzero))
                throw new ArgumentException($"{op}: row {r} has {nonzero} non-zero weight(s); " +
                    (nonzero == 0 ? "the weights must not all be zero." : $"{numSamples} samples without replacement need as many."));
            var remaining = w.ToArray();
            for (int s = 0; s < numSamples; s++)
            {
                double u = CounterRandom.Uniform(g.Seed, start + (ulong)(r * numSamples + s));
                int pick = Pick(remaining, u);
                result[r * numSamples + s] = pick;
                if (!replacement) remaining[pick] = 0;
            }
        }
        using var samples = From(result, Rank == 1 ? [numSamples] : [rows, numSamples]);
        return samples.To(Device);
    }

    /// <summary>The category whose share of the running total of <paramref name="weights"/> holds <paramref name="u"/>
    /// (uniform on [0, 1)), never one of weight zero.</summary>
    private static int Pick(double[] weights, double u)
    {
        double total = 0;
        foreach (var x in weights) total += x;
        double target = u * total, sum = 0;
        int last = -1;
        for (int i = 0; i < weights.Length; i++)
        {
            if (weights[i] == 0) continue;
            sum += weights[i];
            last = i;
            if (target < sum) return i;
        }
        return last;
    }
}
