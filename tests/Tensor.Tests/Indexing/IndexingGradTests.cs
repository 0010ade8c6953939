using Xunit;

namespace Tensors.Tests.Indexing;

/// <summary>Gradients of the index-tensor ops against finite differences, in float64.</summary>
public class IndexingGradTests
{
    private static Tensor Input(int[] shape, int seed)
    {
        var rng = new System.Random(seed);
        var values = Enumerable.Range(0, shape.Aggregate(1, (a, b) => a * b)).Select(_ => rng.NextDouble() * 4 - 2).ToArray();
        return Tensor.From(values, shape).RequiresGrad_();
    }

    private static Tensor L(long[,] v) => Tensor.From(v);

    private static Tensor L(params long[] v) => Tensor.From(v);

    [Fact]
    public void GatherSumsRepeatedIndicesBack()
    {
        using var x = Input([3, 4], 1);
        using var i1 = L(new long[,] { { 3, 3, 0 }, { 1, 1, 1 } });
        using var i0 = L(new long[,] { { 2, 2, 2, 0 }, { 1, 2, 0, 0 } });
        Tensors.Autograd.GradCheck(xs => xs[0].Gather(1, i1).Exp(), [x]);
        Tensors.Autograd.GradCheck(xs => xs[0].Gather(0, i0) * xs[0].Gather(-2, i0), [x]);
        Assert.Equal("GatherBackward", x.Gather(1, i1).GradFn!.Name);
    }

    [Fact]
    public void ScatterZeroesOverwrittenPlacesAndGathersTheSource()
    {
        using var x = Input([3, 4], 2);
        using var src = Input([2, 5], 3); // larger than the index: its gradient is zero beyond it
        // Distinct indices per row for Scatter (with repeats only one write counts, and PyTorch's gradient, gather,
        // would disagree with finite differences); repeats for ScatterAdd.
        using var i = L(new long[,] { { 3, 0, 1 }, { 2, 1, 0 } });
        using var repeats = L(new long[,] { { 3, 3, 1 }, { 2, 2, 2 } });
        Tensors.Autograd.GradCheck(xs => xs[0].Scatter(1, i, xs[1]).Pow(2), [x, src]);
        Tensors.Autograd.GradCheck(xs => xs[0].Scatter(1, repeats, 0.5).Pow(2), [x]);
        Tensors.Autograd.GradCheck(xs => xs[0].ScatterAdd(1, repeats, xs[1]).Pow(2), [x, src]);
        using var a = Input([3, 4], 2);
        using var b = Input([2, 5], 3);
        using var y = a.Scatter(1, i, b);
        Assert.Equal("ScatterBackward", y.GradFn!.Name);
        using var loss = y.Sum();
        loss.Backward();
        // The six overwritten places get no gradient, the other six get 1; src's gathered places get 1.
        Assert.Equal([0.0, 0, 1, 0, 0, 0, 0, 1, 1, 1, 1, 1], a.Grad!.ToArray<double>());
        Assert.Equal([1.0, 1, 1, 0, 0, 1, 1, 1, 0, 0], b.Grad!.ToArray<double>());
    }

    [Fact]
    public void IndexSelectAndIndexAddWithTensors()
    {
        using var x = Input([3, 4], 4);
        using var src = Input([3, 3], 5);
        using var idx = L(2, 0, 2);
        Tensors.Autograd.GradCheck(xs => xs[0].IndexSelect(1, idx).Exp(), [x]);
        Tensors.Autograd.GradCheck(xs => xs[0].IndexSelect(0, idx).Sum(1), [x]);
        Tensors.Autograd.GradCheck(xs => xs[0].IndexAdd(1, idx, xs[1], alpha: -1.5).Pow(2), [x, src]);
        Assert.Equal("IndexAddBackward", x.IndexAdd(1, idx, src).GradFn!.Name);
    }

    [Fact]
    public void MasksAndIndexers()
    {
        using var x = Input([3, 4], 6);
        using var v = Input([], 7);
        using var m = x.Detach().Gt(0);
        using var rowMask = Tensor.From(new[] { true, false, true });
        using var idx = L(-1, 0, 0);
        Tensors.Autograd.GradCheck(xs => xs[0].MaskedFill(m, 1.5).Pow(2), [x]);
        Tensors.Autograd.GradCheck(xs => xs[0].MaskedFill(m, xs[1]).Pow(2), [x, v]);
        Tensors.Autograd.GradCheck(xs => xs[0].MaskedSelect(m).Exp(), [x]);
        Tensors.Autograd.GradCheck(xs => xs[0][rowMask].Exp(), [x]);
        Tensors.Autograd.GradCheck(xs => xs[0][m].Exp(), [x]);
        Tensors.Autograd.GradCheck(xs => xs[0][idx].Exp(), [x]);
        Tensors.Autograd.GradCheck(xs => xs[0][.., idx].Exp(), [x]);
    }

    [Fact]
    public void WritesThroughIndexersRebaseHistory()
    {
        using var x = Input([3, 4], 8);
        using var values = Input([2, 4], 9);
        using var idx = L(2, 2);
        using var m = x.Detach().Lt(0.5);
        Tensors.Autograd.GradCheck(xs =>
        {
            var y = xs[0] * 2;
            y.IndexPut_(idx, xs[1], accumulate: true);
            return y.Pow(2);
        }, [x, values]);
        Tensors.Autograd.GradCheck(xs =>
        {
            var y = xs[0] * 2;
            y[m] = Tensor.Full([], 3.0, DType.Float64);
            return y.Pow(2);
        }, [x]);
        Tensors.Autograd.GradCheck(xs =>
        {
            var y = xs[0] * 2;
            y.ScatterAdd_(1, L(new long[,] { { 1, 1 } }), xs[1][..1, ..2]);
            return y.MaskedFill_(m, 0).Pow(2);
        }, [x, values]);
    }
}
