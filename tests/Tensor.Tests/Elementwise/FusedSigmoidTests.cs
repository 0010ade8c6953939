using Tensors.Ops;
using Xunit;

namespace Tensors.Tests.Elementwise;

/// <summary>
/// The one-pass float32 sigmoid (<see cref="FastExp.Sigmoid"/>) against the four passes it replaced (negate, the same
/// exp, add 1, reciprocal), bit for bit, over the whole float range, special values and every tail length; and the
/// tensor op against the exact double result.
/// </summary>
public class FusedSigmoidTests
{
    // The four-pass form: the exp of -x a span at a time, then 1 + e and 1 / that as IEEE float operations.
    private static float[] FourPasses(float[] x)
    {
        var e = new float[x.Length];
        FastExp.Apply(x.Select(v => -v).ToArray(), e);
        return e.Select(v => 1f / (1f + v)).ToArray();
    }

    private static float[] Fused(float[] x)
    {
        var y = new float[x.Length];
        FastExp.Sigmoid(x, y);
        return y;
    }

    [SkippableFact]
    public void MatchesTheFourPassFormBitForBit()
    {
        Skip.IfNot(FastExp.IsSupported, "FastExp needs AVX2 and FMA; other CPUs take the four-pass form.");
        var xs = new List<float>();
        for (double v = -110; v <= 110; v += 0.0173) xs.Add((float)v);
        xs.AddRange([float.NaN, -float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f, float.Epsilon,
            -float.Epsilon, 1e-30f, -1e-30f, float.MaxValue, float.MinValue, 88.72284f, -88.72284f, 103.973f, -103.973f]);
        var x = xs.ToArray();
        var expected = FourPasses(x);
        var actual = Fused(x);
        for (int i = 0; i < x.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]),
                $"sigmoid({x[i]:R}) = {actual[i]:R}, four passes give {expected[i]:R}");
    }

    [SkippableFact]
    public void EveryTailLengthGivesTheSameValues()
    {
        Skip.IfNot(FastExp.IsSupported, "FastExp needs AVX2 and FMA.");
        // Lengths 0..17: no whole vector, one, two, with every tail; each element as in a long span.
        var all = Enumerable.Range(0, 17).Select(i => (i - 8) * 1.37f).ToArray();
        var whole = Fused(all);
        for (int n = 0; n <= all.Length; n++)
            Assert.Equal(whole[..n], Fused(all[..n]));
    }

    [Fact]
    public void TheTensorOpIsWithinAFewUlpOfTheExactResult()
    {
        // 1M elements (the benchmark's size, split across cores and pieces) and 11 (one vector and a tail).
        foreach (int n in new[] { 1 << 20, 11 })
        {
            var x = Enumerable.Range(0, n).Select(i => (float)((i % 2001 - 1000) * 0.02)).ToArray();
            using var t = Tensor.From(x);
            using var s = t.Sigmoid();
            var y = s.ToArray<float>();
            for (int i = 0; i < n; i += n > 100 ? 997 : 1)
            {
                double exact = 1 / (1 + Math.Exp(-(double)x[i]));
                Assert.True(Math.Abs(y[i] - exact) <= 4e-7 * exact + 1e-45, $"sigmoid({x[i]:R}) = {y[i]:R}, exact {exact:R}");
            }
        }
    }
}
