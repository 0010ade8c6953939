using Tensors.NN;
using Xunit;

namespace Tensors.Tests.Edges;

/// <summary>Issue 8, class 7: gradients at ties, bounds, saturation and NaN, as PyTorch 1.13 gives them (each
/// expected value below was printed by PyTorch for the same input).</summary>
public class EdgeGradientTests
{
    private static float[] GradOf(float[] values, Func<Tensor, Tensor> f)
    {
        var x = Tensor.From(values).RequiresGrad_();
        using (var y = f(x))
        using (var s = y.Numel == 1 ? y.Sum() : y.Sum())
            s.Backward();
        return x.Grad!.ToArray<float>();
    }

    [Fact]
    public void ClampPassesTheWholeGradientAtItsBounds()
    {
        Assert.Equal([1f, 1, 1], GradOf([0, 1, 2], x => x.Clamp(0, 2)));
        Assert.Equal([0f, 1, 1, 0], GradOf([-1, 0, 2, 3], x => x.Clamp(0, 2)));
        Assert.Equal([0f, 1], GradOf([-1, 0], x => x.Clamp(min: 0)));
        Assert.Equal([1f, 0], GradOf([2, 3], x => x.Clamp(max: 2)));
        Assert.Equal([0f], GradOf([float.NaN], x => x.Clamp(0, 1)));
    }

    [Fact]
    public void BinaryCrossEntropyWithLogitsAtZero()
    {
        using var y = Tensor.From([1f, 0]);
        Assert.Equal([-0.25f, 0.25f], GradOf([0, 0], x => Functional.BinaryCrossEntropyWithLogits(x, y)));
        var g = GradOf([2, -3], x => Functional.BinaryCrossEntropyWithLogits(x, y));
        TestUtil.AllClose([(1 / (1 + MathF.Exp(-2)) - 1) / 2, 1 / (1 + MathF.Exp(3)) / 2], g);
    }

    [Fact]
    public void BinaryCrossEntropyIsFiniteAtZeroAndOne()
    {
        using var y = Tensor.From([1f, 0, 1]);
        var g = GradOf([0, 1, 0.5f], x => Functional.BinaryCrossEntropy(x, y));
        TestUtil.AllClose([-1f / 1e-12f / 3, 1f / 1e-12f / 3, -2f / 3], g, 1e-5f, 0);
        using var p = Tensor.From([0f, 1]);
        using var t = Tensor.From([1f, 0]);
        Assert.Equal(100f, Functional.BinaryCrossEntropy(p, t).Item<float>());
    }

    [Fact]
    public void PowZeroHasZeroGradientAtZero()
    {
        Assert.Equal([0f, 0], GradOf([0, 2], x => x.Pow(0)));
        Assert.Equal([0f, 4], GradOf([0, 2], x => x.Pow(2)));
        var e = Tensor.From([0f, 2]).RequiresGrad_();
        using (var s = Tensor.From([0f, 3]).Pow(e).Sum()) s.Backward();
        Assert.Equal([0f, 9 * MathF.Log(3)], e.Grad!.ToArray<float>());
    }

    [Fact]
    public void NaNFlowsAsInPyTorch()
    {
        Assert.Equal([1f, 1, 0], GradOf([float.NaN, 2, -1], x => x.Relu()));
        Assert.Equal([1f, 0, 0], GradOf([float.NaN, 2, -1], x => x.Max()));           // torch.max: to the NaN
        Assert.All(GradOf([float.NaN, 2, -1], x => x.Max(0)), g => Assert.True(float.IsNaN(g))); // amax: NaN everywhere
        Assert.Equal([0f, 0.5f, 0.5f], GradOf([1, 3, 3], x => x.Max()));              // ties share
        var a = Tensor.From([float.NaN, 2, 1]).RequiresGrad_();
        var b = Tensor.From([1f, float.NaN, 1]).RequiresGrad_();
        using (var s = a.Maximum(b).Sum()) s.Backward();
        Assert.Equal([1f, 1, 0.5f], a.Grad!.ToArray<float>());
        Assert.Equal([1f, 1, 0.5f], b.Grad!.ToArray<float>());
        var c = Tensor.From([3f, 1]).RequiresGrad_();
        var d = Tensor.From([1f, 3]).RequiresGrad_();
        using (var s = c.Minimum(d).Sum()) s.Backward();
        Assert.Equal([0f, 1], c.Grad!.ToArray<float>());
        Assert.Equal([1f, 0], d.Grad!.ToArray<float>());
    }

    [Fact]
    public void RemainderAndFloorDivideGradients()
    {
        var a = Tensor.From([7.5f, -7.5f]).RequiresGrad_();
        var b = Tensor.From([2f, 2]).RequiresGrad_();
        using (var s = (a % b).Sum()) s.Backward();
        Assert.Equal([1f, 1], a.Grad!.ToArray<float>());
        Assert.Equal([-3f, 4], b.Grad!.ToArray<float>());
        Assert.Equal([0f, 0], GradOf([7.5f, -7.5f], x => x.FloorDivide(2)));
    }
}
