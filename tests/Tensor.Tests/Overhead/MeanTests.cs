using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Tensors.Tests.Overhead;

/// <summary>Mean as one reduction divided in place, with one graph node: values and gradients must be exactly those of
/// the sum divided by the count, which is what it computed before.</summary>
public class MeanTests
{
    private static Gen<(int[] Shape, int[]? Dims, bool KeepDim, bool Double, int Seed)> Cases() =>
        from shape in Shapes.Shape(4, 5).Where(s => s.Length > 0 && !s.Contains(0))
        from all in Gen.Elements(true, false, false)
        from dims in Gen.SubListOf(Enumerable.Range(0, shape.Length).ToArray()).Where(d => d.Count > 0)
        from keepDim in Gen.Elements(true, false)
        from dbl in Gen.Elements(true, false)
        from seed in Gen.Choose(0, 10000)
        select (shape, all ? null : dims.Select(d => d - shape.Length).ToArray(), keepDim, dbl, seed);

    private static long Count(int[] shape, int[]? dims) =>
        dims is null ? shape.Aggregate(1L, (a, b) => a * b) : dims.Aggregate(1L, (a, d) => a * shape[d < 0 ? d + shape.Length : d]);

    private static double[] Values(Tensor t) { using var d = t.To(DType.Float64); return d.ToArray<double>(); }

    [Fact]
    public void ValuesAndGradientsAreExactlyTheSumDividedByTheCount()
    {
        TestUtil.Check(Cases(), c =>
        {
            using var scope = Tensor.NewDisposeScope();
            var x = Tensor.Randn(c.Shape, new Generator((ulong)c.Seed));
            if (c.Double) x = x.To(DType.Float64);
            x.RequiresGrad_();
            var mean = c.Dims is null ? x.Mean() : x.Mean(c.Dims, c.KeepDim);
            var sum = c.Dims is null ? x.Sum() : x.Sum(c.Dims, c.KeepDim);
            var expected = sum / (double)Count(c.Shape, c.Dims);
            if (!mean.Shape.SequenceEqual(expected.Shape) || !Values(mean).SequenceEqual(Values(expected))) return false;
            if (mean.GradFn?.Name != "MeanBackward") return false;

            var g = Tensor.Randn(mean.Shape, new Generator((ulong)c.Seed + 1));
            if (c.Double) g = g.To(DType.Float64);
            mean.Backward(g);
            var viaMean = Values(x.Grad!);
            x.Grad = null;
            expected.Backward(g);
            return viaMean.SequenceEqual(Values(x.Grad!));
        }, maxTest: 200);
    }

    [Fact]
    public void HandDerivedMeanAndGradient()
    {
        using var x = Tensor.From(new float[,] { { 1, 2, 6 }, { 3, 4, 8 } }).RequiresGrad_();
        using var rows = x.Mean(1);
        Assert.Equal([3f, 5f], rows.ToArray<float>());
        using var total = rows.Sum();
        total.Backward();
        // d(mean over 3 columns)/dx = 1/3 for every element.
        Assert.Equal(Enumerable.Repeat(1f / 3, 6).ToArray(), x.Grad!.ToArray<float>());
    }

    [Fact]
    public void ReducedResultsTakeInPlaceOpsWhileGradientsAreRecorded()
    {
        // A reduction's result is a tensor of its own (not a view of a kept-dims buffer), so an in-place op on it is
        // recorded like one on any other result.
        using var x = Tensor.Randn([3, 4], new Generator(1)).RequiresGrad_();
        using var m = x.Mean(1);
        m.Mul_(2.0);
        using var ms = m.Sum();
        ms.Backward();
        Assert.Equal(Enumerable.Repeat(0.5f, 12).ToArray(), x.Grad!.ToArray<float>());
        x.Grad = null;
        using var s = x.Sum([0, 1]);
        s.Add_(1.0);
        s.Backward();
        Assert.Equal(Enumerable.Repeat(1f, 12).ToArray(), x.Grad!.ToArray<float>());
        using var kept = x.Max(1, keepDim: false);
        Assert.Equal([3], kept.Shape);
    }

    [Fact]
    public void MeanPassesGradCheck()
    {
        using var x = Tensor.Randn([3, 4, 2], new Generator(7)).To(DType.Float64).RequiresGrad_();
        Tensors.Autograd.GradCheck(t => t[0].Mean([0, 2], keepDim: true), [x]);
        Tensors.Autograd.GradCheck(t => t[0].Mean(), [x]);
    }

    [Fact]
    public void MeanUnderNoGradRecordsNothingAndLeavesItsInputAlone()
    {
        using var x = Tensor.Randn([4, 5], new Generator(3)).RequiresGrad_();
        var before = x.ToArray<float>();
        using (Tensors.Autograd.NoGrad())
        {
            using var m = x.Mean(0);
            Assert.Null(m.GradFn);
            Assert.False(m.RequiresGrad);
        }
        Assert.Equal(before, x.ToArray<float>());
    }
}
