using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Tensors.Tests;

internal static class TestUtil
{
    /// <summary>Runs an FsCheck property from xunit, throwing (with the counterexample) on failure.</summary>
    public static void Check<T>(Gen<T> gen, Func<T, bool> property, int maxTest = 150) =>
        FsCheck.Check.One(Config.QuickThrowOnFailure.WithMaxTest(maxTest), Prop.ForAll(Arb.From(gen), property));

    public static void AllClose(float[] expected, float[] actual, float rtol = 1e-5f, float atol = 1e-6f) =>
        AllClose<float>(expected, actual, rtol, atol);

    public static void AllClose(double[] expected, double[] actual, double rtol = 1e-12, double atol = 1e-12) =>
        AllClose<double>(expected, actual, rtol, atol);

    private static void AllClose<T>(T[] expected, T[] actual, T rtol, T atol) where T : System.Numerics.IFloatingPointIeee754<T>
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            T e = expected[i], a = actual[i];
            if (T.IsNaN(e)) { Assert.True(T.IsNaN(a), $"index {i}: expected NaN, got {a}"); continue; }
            if (T.IsInfinity(e)) { Assert.Equal(e, a); continue; }
            Assert.True(T.Abs(e - a) <= atol + rtol * T.Abs(e), $"index {i}: expected {e}, got {a}");
        }
    }

    public static Tensor Seq(params int[] shape)
    {
        int n = shape.Aggregate(1, (a, b) => a * b);
        return Tensor.From(Enumerable.Range(0, n).Select(i => (float)i).ToArray(), shape);
    }
}

/// <summary>Generators for shapes and for pairs of shapes that do or do not broadcast.</summary>
internal static class Shapes
{
    public static Gen<int[]> Shape(int maxRank = 6, int maxSize = 5) =>
        Gen.Choose(0, maxRank).SelectMany(r => Gen.ArrayOf(Gen.Choose(0, maxSize), r));

    /// <summary>Two shapes that broadcast: suffixes of one shape with some sizes replaced by 1.</summary>
    public static Gen<(int[] A, int[] B)> Compatible(int maxRank = 6, int maxSize = 5) =>
        from full in Shape(maxRank, maxSize)
        from a in Derive(full)
        from b in Derive(full)
        select (a, b);

    private static Gen<int[]> Derive(int[] full) =>
        from drop in Gen.Choose(0, full.Length)
        from ones in Gen.ArrayOf(Gen.Elements(true, false, false), full.Length - drop)
        select full[drop..].Select((s, i) => ones[i] ? 1 : s).ToArray();

    /// <summary>The broadcasting rule written the plain way, as the oracle.</summary>
    public static int[]? Reference(int[] a, int[] b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var pa = Enumerable.Repeat(1, rank - a.Length).Concat(a).ToArray();
        var pb = Enumerable.Repeat(1, rank - b.Length).Concat(b).ToArray();
        var result = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            if (pa[i] == pb[i] || pb[i] == 1) result[i] = pa[i];
            else if (pa[i] == 1) result[i] = pb[i];
            else return null;
        }
        return result;
    }
}
