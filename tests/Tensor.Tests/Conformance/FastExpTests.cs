using Tensors.Ops;
using Xunit;

namespace Tensors.Tests.Conformance;

/// <summary>The SIMD float exp against the exact (double) result, across the whole float range.</summary>
public class FastExpTests
{
    private static int UlpDistance(float a, float b)
    {
        int ia = BitConverter.SingleToInt32Bits(a), ib = BitConverter.SingleToInt32Bits(b);
        return Math.Abs(ia - ib);
    }

    [SkippableFact]
    public void WithinTwoUlpEverywhereInItsNormalRange()
    {
        Skip.IfNot(FastExp.IsSupported, "FastExp needs AVX2 and FMA; other CPUs use TensorPrimitives.Exp.");
        var xs = new List<float>();
        for (double v = -87.3; v <= 88.3; v += 0.0137) xs.Add((float)v);
        xs.AddRange([0f, -0f, 1e-8f, -1e-8f, 1f, -1f, 0.5f, 88.37f, -87.33f]);
        var x = xs.ToArray();
        var y = new float[x.Length];
        FastExp.Apply(x, y);
        for (int i = 0; i < x.Length; i++)
        {
            float exact = (float)Math.Exp(x[i]);
            Assert.True(UlpDistance(exact, y[i]) <= 2, $"exp({x[i]:R}) = {y[i]:R}, exact {exact:R}");
        }
    }

    [SkippableFact]
    public void WithinTwoUlpAtTheOverflowAndUnderflowEdges()
    {
        Skip.IfNot(FastExp.IsSupported, "FastExp needs AVX2 and FMA.");
        // Up to ln(float.MaxValue) results are finite; below ~-87.34 they are subnormal, and round to 0 past ~-103.97.
        var xs = new List<float>();
        for (float v = 88.3f; v <= 88.73f; v = MathF.BitIncrement(v) + 1e-5f) xs.Add(v);
        for (float v = -87.3f; v >= -104.5f; v -= 0.00731f) xs.Add(v);
        xs.AddRange([88.72283f, 88.72284f, -103.972f, -103.973f, -149f * MathF.Log(2)]);
        var x = xs.ToArray();
        var y = new float[x.Length];
        FastExp.Apply(x, y);
        for (int i = 0; i < x.Length; i++)
        {
            float exact = (float)Math.Exp(x[i]);
            Assert.True(UlpDistance(exact, y[i]) <= 2 && float.IsFinite(exact) == float.IsFinite(y[i]),
                $"exp({x[i]:R}) = {y[i]:R}, exact {exact:R}");
        }
    }

    [SkippableFact]
    public void SpecialValuesAndEveryTailLength()
    {
        Skip.IfNot(FastExp.IsSupported, "FastExp needs AVX2 and FMA.");
        float[] x = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 100f, -100f, 89f, -104f];
        var y = new float[x.Length];
        FastExp.Apply(x, y);
        Assert.True(float.IsNaN(y[0]));
        Assert.Equal([float.PositiveInfinity, 0f, float.PositiveInfinity, 3.7835059e-44f, float.PositiveInfinity, 0f], y[1..]);
        for (int n = 0; n <= 20; n++)
        {
            var a = Enumerable.Range(0, n).Select(i => i * 0.3f - 3).ToArray();
            var b = new float[n];
            FastExp.Apply(a, b);
            for (int i = 0; i < n; i++) Assert.True(UlpDistance((float)Math.Exp(a[i]), b[i]) <= 2);
        }
    }
}
