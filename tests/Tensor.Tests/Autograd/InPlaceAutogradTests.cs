using Xunit;

namespace Tensors.Tests.Autograd;

/// <summary>In-place ops on non-leaf tensors in the graph rebase their history, as in PyTorch; expected values are
/// PyTorch 1.13's (the script is beside each test) or finite differences.</summary>
public class InPlaceAutogradTests
{
    private static Tensor Leaf(int[] shape, int seed) =>
        Tensor.Rand(shape, new Generator((ulong)seed), DType.Float64).Mul_(4).Sub_(2).RequiresGrad_();

    [Fact]
    public void AddInPlaceOnAResultRebasesItsHistory()
    {
        // x = torch.tensor([1., 2, 3], requires_grad=True); y = x * 2; y.add_(1); (y * y).sum().backward()
        // y.grad_fn is AddBackward0; x.grad == 4 (2x + 1) == [12, 20, 28]
        using var x = Tensor.From([1f, 2, 3]).RequiresGrad_();
        using var y = x * 2;
        Assert.Same(y, y.Add_(1));
        Assert.Equal("AddBackward", y.GradFn!.Name);
        Assert.Equal([3f, 5, 7], y.ToArray<float>());
        using var loss = (y * y).Sum();
        loss.Backward();
        Assert.Equal([12f, 20, 28], x.Grad!.ToArray<float>());

        using var x64 = Leaf([2, 3], 1);
        Tensors.Autograd.GradCheck(xs => { var t = xs[0] * 2; t.Add_(1); t.Mul_(xs[0]); t.Div_(3); t.Sub_(xs[0]); return t; }, [x64]);
    }

    [Fact]
    public void InPlaceReluBetweenLayersMatchesPyTorch()
    {
        // x = [[1, -2], [.5, 3]]; w1 = [[1, -1, .5], [2, .25, -3]]; w2 = [[1], [-2], [.5]] (all requires_grad)
        // h = x @ w1; h.relu_(); (h @ w2).sum().backward()
        using var x = Tensor.From([1f, -2, 0.5f, 3], 2, 2).RequiresGrad_();
        using var w1 = Tensor.From([1f, -1, 0.5f, 2, 0.25f, -3], 2, 3).RequiresGrad_();
        using var w2 = Tensor.From([1f, -2, 0.5f], 3, 1).RequiresGrad_();
        using var h = x.MatMul(w1);
        h.Relu_();
        Assert.Equal("ReluBackward", h.GradFn!.Name);
        Assert.Equal([0f, 0, 6.5f, 6.5f, 0.25f, 0], h.ToArray<float>());
        using var loss = h.MatMul(w2).Sum();
        loss.Backward();
        Assert.Equal([0.25f, -1.5f, 3, 1.5f], x.Grad!.ToArray<float>());
        Assert.Equal([0.5f, -1, 0.5f, 3, -6, -1], w1.Grad!.ToArray<float>());
        Assert.Equal([6.5f, 0.25f, 6.5f], w2.Grad!.ToArray<float>());

        using var a = Leaf([3, 2], 2);
        using var b = Leaf([2, 4], 3);
        using var c = Leaf([4, 2], 4);
        Tensors.Autograd.GradCheck(xs => { var t = xs[0].MatMul(xs[1]); t.Relu_(); return t.MatMul(xs[2]); }, [a, b, c]);
    }

    [Fact]
    public void MulInPlaceOfAPlainTensorByAParameterMakesItANonLeaf()
    {
        // a = torch.tensor([1., 2, 3]); w = torch.tensor([4., 5, 6], requires_grad=True); a.mul_(w)
        // a.grad_fn is MulBackward0, a.is_leaf is False; (a * a).sum().backward(); w.grad == [8, 40, 108]
        using var a = Tensor.From([1f, 2, 3]);
        using var w = Tensor.From([4f, 5, 6]).RequiresGrad_();
        a.Mul_(w);
        Assert.False(a.IsLeaf);
        Assert.True(a.RequiresGrad);
        Assert.Equal("MulBackward", a.GradFn!.Name);
        Assert.Equal([4f, 10, 18], a.ToArray<float>());
        using var loss = (a * a).Sum();
        loss.Backward();
        Assert.Equal([8f, 40, 108], w.Grad!.ToArray<float>());

        using var p = Leaf([2, 3], 5);
        using var q = Leaf([3], 6);
        Tensors.Autograd.GradCheck(xs => { using var plain = Tensor.Full([2, 3], 1.5, DType.Float64); var t = plain.Clone(); t.Mul_(xs[0]); t.Div_(xs[1]); return t; }, [p, q]);
    }

    [Fact]
    public void CopyAndFillInPlaceReplaceTheHistory()
    {
        // a = torch.zeros(2, 3); w = torch.tensor([1., 2, 3], requires_grad=True); a.copy_(w)
        // (a * [[1, 2, 3], [4, 5, 6]]).sum().backward(); w.grad == [5, 7, 9]
        using var a = Tensor.Zeros(2, 3);
        using var w = Tensor.From([1f, 2, 3]).RequiresGrad_();
        a.CopyFrom_(w);
        Assert.False(a.IsLeaf);
        using var m = Tensor.From([1f, 2, 3, 4, 5, 6], 2, 3);
        using (var loss = (a * m).Sum()) loss.Backward();
        Assert.Equal([5f, 7, 9], w.Grad!.ToArray<float>());

        // x = torch.tensor([1., 2], requires_grad=True); y = x * 2; y.fill_(3); (y * x).sum().backward(); x.grad == [3, 3]
        using var x = Tensor.From([1f, 2]).RequiresGrad_();
        using var y = x * 2;
        y.Fill_(3);
        using (var loss = (y * x).Sum()) loss.Backward();
        Assert.Equal([3f, 3], x.Grad!.ToArray<float>());
    }

    [Fact]
    public void AnInPlaceChangeOfATensorSavedForBackwardStillThrows()
    {
        // Sigmoid saves its output, so changing it in place invalidates the graph (as in PyTorch).
        using var x = Tensor.From([0.5f, -1]).RequiresGrad_();
        using var y = x.Sigmoid();
        y.Mul_(2);
        using var g = Tensor.Ones(2);
        var ex = Assert.Throws<InvalidOperationException>(() => y.Backward(g));
        Assert.Contains("SigmoidBackward", ex.Message);
        Assert.Contains("in-place", ex.Message);
    }

    [Fact]
    public void InPlaceOpsThatAutogradCannotFollowAreRefusedClearly()
    {
        using var x = Tensor.From([1f, 2, 3, 4], 2, 2).RequiresGrad_();
        var leaf = Assert.Throws<InvalidOperationException>(() => x.Relu_());
        Assert.Contains("leaf", leaf.Message);

        // A view of a tensor in the graph (PyTorch's CopySlices) is refused.
        using var h = x * 2;
        using var row = h[0];
        var view = Assert.Throws<InvalidOperationException>(() => row.Add_(1));
        Assert.Contains("view", view.Message);
        Assert.Contains("Clone()", view.Message);
        // So is rebasing a tensor whose views would keep the old history.
        using var w = Tensor.Ones(2).RequiresGrad_();
        var based = Assert.Throws<InvalidOperationException>(() => h.Mul_(w));
        Assert.Contains("1 live view", based.Message);
        Assert.Equal([2f, 4, 6, 8], h.ToArray<float>());          // nothing was written
        using (var element = h[1, 1]) { }                           // views of views count too, until disposed
        using (var column = h[.., 0])
        using (var inner = column[1])
        {
            column.Dispose();
            Assert.Throws<InvalidOperationException>(() => h.Mul_(w));
        }
        row.Dispose();
        h.Mul_(w);                                                  // no live views left: the history is rebased
        Assert.Equal("MulBackward", h.GradFn!.Name);
        using (var loss = h.Sum()) loss.Backward();
        Assert.Equal([2f, 2, 2, 2], x.Grad!.ToArray<float>());      // d/dx sum(2 x w) with w = 1
        Assert.Equal([8f, 12], w.Grad!.ToArray<float>());           // d/dw: the column sums of 2 x

        // Without gradients, views are written in place as before.
        using var plain = Tensor.Zeros(2, 2);
        using var first = plain[0];
        first.Add_(1).Relu_();
        Assert.Equal([1f, 1, 0, 0], plain.ToArray<float>());
    }

    [Fact]
    public void ReluInPlaceWithoutGradientsWritesThrough()
    {
        using var t = Tensor.From([-1f, 0, 2, -3]);
        Assert.Same(t, t.Relu_());
        Assert.Equal([0f, 0, 2, 0], t.ToArray<float>());
        Assert.True(t.IsLeaf);
        Assert.Throws<ArgumentException>(() => Tensor.From([true]).Relu_());
    }
}
