using Tensors.Backends;
using Tensors.Backends.Reference;
using Xunit;

namespace Tensors.Tests.RandomSampling;

/// <summary>
/// RandInt, RandPerm, Bernoulli, Multinomial, Normal_ and Uniform_: sample statistics within bounds for fixed seeds
/// (so the tests are deterministic: the bounds are several standard errors wide, and the seeds fixed), determinism
/// for a seed, the same numbers on the reference backend, and the errors.
/// </summary>
[Collection(nameof(BackendRegistry))]
public class RandomSamplingTests
{
    private static (double Mean, double Var) Stats(Tensor t)
    {
        using var d = t.To(DType.Float64);
        var v = d.ToArray<double>();
        double mean = v.Average();
        return (mean, v.Select(x => (x - mean) * (x - mean)).Sum() / (v.Length - 1));
    }

    [Fact]
    public void RandIntCoversTheRangeUniformly()
    {
        using var r = Tensor.RandInt(-3, 5, [40000], generator: new Generator(1));
        Assert.Equal(DType.Int64, r.DType);
        var v = r.ToArray<long>();
        Assert.All(v, x => Assert.InRange(x, -3, 4));
        // Eight values, 5000 expected each; the binomial standard deviation is about 66.
        foreach (var g in v.GroupBy(x => x)) Assert.InRange(g.Count(), 5000 - 400, 5000 + 400);
        Assert.Equal(8, v.Distinct().Count());
        using var again = Tensor.RandInt(-3, 5, [40000], generator: new Generator(1));
        Assert.Equal(v, again.ToArray<long>());
        using var bytes = Tensor.RandInt(256, [1000], DType.UInt8, new Generator(2));
        Assert.Equal(DType.UInt8, bytes.DType);
        Assert.True(bytes.ToArray<byte>().Distinct().Count() > 200);
        using var int8 = Tensor.RandInt(-128, 128, [2000], DType.Int8, new Generator(4));
        Assert.True(int8.ToArray<sbyte>().Distinct().Count() > 250, "int8 covers its whole range");
        using var int16 = Tensor.RandInt(-30000, 30000, [100], DType.Int16, new Generator(4));
        Assert.All(int16.ToArray<short>(), x => Assert.InRange(x, -30000, 29999));
        using var half = Tensor.RandInt(-2048, 2048, [100], DType.Half, new Generator(4));
        Assert.All(half.ToArray<Half>(), x => Assert.Equal(Math.Round((double)x), (double)x));
        Assert.Throws<ArgumentException>(() => Tensor.RandInt(0, 2050, [1], DType.Half));
        using var big = Tensor.RandInt(long.MaxValue - 10, long.MaxValue, [100], generator: new Generator(3));
        Assert.All(big.ToArray<long>(), x => Assert.InRange(x, long.MaxValue - 10, long.MaxValue - 1));
    }

    [Fact]
    public void RandPermIsAPermutationThatDependsOnTheSeed()
    {
        using var p = Tensor.RandPerm(1000, new Generator(5));
        var v = p.ToArray<long>();
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => (long)i), v.Order());
        Assert.NotEqual(Enumerable.Range(0, 1000).Select(i => (long)i), v);
        using var same = Tensor.RandPerm(1000, new Generator(5));
        Assert.Equal(v, same.ToArray<long>());
        using var other = Tensor.RandPerm(1000, new Generator(6));
        Assert.NotEqual(v, other.ToArray<long>());
        // Where element 0 lands is uniform over 10 places.
        var firsts = Enumerable.Range(0, 2000).Select(s => { using var q = Tensor.RandPerm(10, new Generator((ulong)s)); return Array.IndexOf(q.ToArray<long>(), 0L); });
        foreach (var g in firsts.GroupBy(x => x)) Assert.InRange(g.Count(), 200 - 60, 200 + 60);
        using var empty = Tensor.RandPerm(0);
        Assert.Equal([0], empty.Shape);
    }

    [Fact]
    public void BernoulliMatchesItsProbabilities()
    {
        using var p = Tensor.Full([20000], 0.3, DType.Float64);
        using var b = p.Bernoulli(new Generator(7));
        Assert.Equal(DType.Float64, b.DType);
        Assert.All(b.ToArray<double>(), x => Assert.True(x is 0 or 1));
        // Standard error of the mean sqrt(0.21 / 20000) = 0.0032.
        Assert.InRange(Stats(b).Mean, 0.3 - 0.015, 0.3 + 0.015);
        using var edges = Tensor.From([0.0, 1.0, 0.0, 1.0]);
        using var sure = edges.Bernoulli(new Generator(8));
        Assert.Equal([0.0, 1, 0, 1], sure.ToArray<double>());

        using var ints = Tensor.Zeros([2, 10000], DType.Int32);
        using var rowP = Tensor.From([0.1f, 0.9f], 2, 1);
        ints.Bernoulli_(rowP, new Generator(9));
        using var rowMeans = ints.To(DType.Float64).Mean(1);
        TestUtil.AllClose([0.1, 0.9], rowMeans.ToArray<double>(), 0, 0.02);
        using var half = Tensor.Zeros(10000);
        half.Bernoulli_(generator: new Generator(10));
        Assert.InRange(Stats(half).Mean, 0.5 - 0.02, 0.5 + 0.02);
    }

    [Fact]
    public void MultinomialWithAndWithoutReplacement()
    {
        using var w = Tensor.From([1.0, 0, 3, 6]);
        using var draws = w.Multinomial(20000, replacement: true, generator: new Generator(11));
        Assert.Equal([20000], draws.Shape);
        var counts = draws.ToArray<long>().GroupBy(x => x).ToDictionary(g => g.Key, g => g.Count());
        Assert.False(counts.ContainsKey(1));
        Assert.InRange(counts[0], 2000 - 200, 2000 + 200);
        Assert.InRange(counts[2], 6000 - 300, 6000 + 300);
        Assert.InRange(counts[3], 12000 - 300, 12000 + 300);

        using var rows = Tensor.From([5f, 1, 0, 1, 1, 0, 1, 1], 2, 4);
        using var picks = rows.Multinomial(3, generator: new Generator(12));
        Assert.Equal([2, 3], picks.Shape);
        var v = picks.ToArray<long>();
        Assert.Equal([0L, 1, 3], v[..3].Order());
        Assert.Equal([0L, 2, 3], v[3..].Order());
        // Without replacement the heaviest category comes first most often.
        var first = Enumerable.Range(0, 1000).Count(s => { using var m = w.Multinomial(3, generator: new Generator((ulong)s)); return m.ToArray<long>()[0] == 3; });
        Assert.InRange(first, 600 - 60, 600 + 60);
    }

    [Fact]
    public void NormalAndUniformInPlace()
    {
        using var n = Tensor.Zeros([50000], DType.Float64);
        Assert.Same(n, n.Normal_(2, 3, new Generator(13)));
        var (mean, variance) = Stats(n);
        Assert.InRange(mean, 2 - 0.05, 2 + 0.05);        // standard error 3 / sqrt(50000) = 0.013
        Assert.InRange(variance, 9 * 0.97, 9 * 1.03);      // relative standard error sqrt(2 / 50000) = 0.006
        using var u = Tensor.Zeros(50000);
        u.Uniform_(-1, 3, new Generator(14));
        var uv = u.ToArray<float>();
        Assert.All(uv, x => Assert.InRange(x, -1f, 3f));
        (mean, variance) = Stats(u);
        Assert.InRange(mean, 1 - 0.02, 1 + 0.02);
        Assert.InRange(variance, 16.0 / 12 * 0.97, 16.0 / 12 * 1.03);

        // In place on a strided view: only the view's elements change.
        using var m = Tensor.Zeros(4, 6);
        using (var column = m[.., 2]) column.Uniform_(5, 6, new Generator(15));
        var values = m.ToArray<float>();
        for (int i = 0; i < values.Length; i++)
            if (i % 6 == 2) Assert.InRange(values[i], 5f, 6f); else Assert.Equal(0f, values[i]);
    }

    [Fact]
    public void TheSameSeedGivesTheSameNumbersOnTheReferenceBackend()
    {
        var device = Device.Cuda(7);
        BackendRegistry.Register(DeviceType.Cuda, _ => ReferenceBackend.Instance);
        try
        {
            using var a = Tensor.RandInt(0, 1000, [3, 50], generator: new Generator(21));
            using var b = Tensor.RandInt(0, 1000, [3, 50], generator: new Generator(21), device: device);
            using var bh = b.To(Device.Cpu);
            Assert.Equal(a.ToArray<long>(), bh.ToArray<long>());
            using var p = Tensor.Full([100], 0.4, DType.Float32);
            using var pd = p.To(device);
            using var c = p.Bernoulli(new Generator(22));
            using var d = pd.Bernoulli(new Generator(22));
            using var dh = d.To(Device.Cpu);
            Assert.Equal(c.ToArray<float>(), dh.ToArray<float>());
            using var e = Tensor.Zeros([5, 7], DType.Float64).Normal_(1, 2, new Generator(23));
            using var f = Tensor.Zeros([5, 7], DType.Float64, device).Normal_(1, 2, new Generator(23));
            using var fh = f.To(Device.Cpu);
            Assert.Equal(e.ToArray<double>(), fh.ToArray<double>());
        }
        finally { BackendRegistry.Unregister(DeviceType.Cuda); }
    }

    [Fact]
    public void BadInputGetsAClearError()
    {
        void Fails(string op, Action a) => Assert.StartsWith(op + ":", Assert.ThrowsAny<ArgumentException>(a).Message);
        Fails("RandInt", () => Tensor.RandInt(5, 5, [2]));
        Fails("RandInt", () => Tensor.RandInt(0, 300, [2], DType.UInt8));
        Fails("RandPerm", () => Tensor.RandPerm(-1));
        Fails("Bernoulli", () => Tensor.From([0.5, 1.5]).Bernoulli());
        Fails("Bernoulli", () => Tensor.From([1, 0]).Bernoulli());
        Fails("Bernoulli_", () => Tensor.Zeros(3).Bernoulli_(-0.1));
        Fails("Bernoulli_", () => Tensor.Zeros(3).Bernoulli_(Tensor.Full([2], 0.5)));
        Fails("Multinomial", () => Tensor.From([1.0, 0, 0]).Multinomial(2));
        Fails("Multinomial", () => Tensor.From([1.0, -1]).Multinomial(1));
        Fails("Multinomial", () => Tensor.From([0.0, 0]).Multinomial(1, true));
        Fails("Multinomial", () => Tensor.From([1.0, 1]).Multinomial(3));
        Fails("Normal_", () => Tensor.Zeros(3).Normal_(0, -1));
        Fails("Normal_", () => Tensor.Zeros([3], DType.Int64).Normal_());
        Fails("Uniform_", () => Tensor.Zeros(3).Uniform_(2, 1));
    }
}
