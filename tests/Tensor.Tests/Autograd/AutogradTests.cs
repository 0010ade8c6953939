using Tensors.Graph;
using Xunit;

namespace Tensors.Tests.Autograd;

public class AutogradTests
{
    [Fact]
    public void TheChaptersHandDerivedGradients()
    {
        using var x = Tensor.Scalar(3).RequiresGrad_();
        using var y = x.Pow(2);
        y.Backward();
        Assert.Equal(6f, x.Grad!.Item<float>());

        using var xs = Tensor.From([3f, 4, 10]).RequiresGrad_();
        using var s = xs.Pow(2).Sum();
        s.Backward();
        Assert.Equal([6f, 8, 20], xs.Grad!.ToArray<float>());
    }

    [Fact]
    public void GradientsAccumulateAcrossBackwardCallsUntilZeroed()
    {
        using var x = Tensor.From([1f, 2]).RequiresGrad_();
        for (int i = 0; i < 3; i++)
        {
            using var y = (x * x).Sum();
            y.Backward();
        }
        Assert.Equal([6f, 12], x.Grad!.ToArray<float>());
        x.Grad = null;
        using var z = (x * 5).Sum();
        z.Backward();
        Assert.Equal([5f, 5], x.Grad!.ToArray<float>());
    }

    [Fact]
    public void NonScalarBackwardNeedsAGradient()
    {
        using var x = Tensor.From([1f, 2, 3]).RequiresGrad_();
        using var y = x * 2;
        var ex = Assert.Throws<InvalidOperationException>(() => y.Backward());
        Assert.Contains("scalar", ex.Message);
        using var g = Tensor.From([1f, 0.5f, 0]);
        y.Backward(g);
        Assert.Equal([2f, 1, 0], x.Grad!.ToArray<float>());
    }

    [Fact]
    public void NoGradDetachAndRequiresGradFlags()
    {
        using var w = Tensor.Ones(2).RequiresGrad_();
        using (Tensors.Autograd.NoGrad())
        {
            using var y = w * 2;
            Assert.False(y.RequiresGrad);
            Assert.Null(y.GradFn);
            w.Sub_(Tensor.Ones(2));          // allowed: a parameter update
        }
        Assert.True(Tensors.Autograd.IsEnabled);
        using var z = w * 3;
        Assert.True(z.RequiresGrad);
        Assert.False(z.IsLeaf);
        using var d = z.Detach();
        Assert.False(d.RequiresGrad);
        Assert.True(d.SharesStorageWith(z));
        Assert.Throws<InvalidOperationException>(() => z.RequiresGrad = false);
        Assert.Throws<InvalidOperationException>(() => Tensor.Arange(3).RequiresGrad_());
    }

    [Fact]
    public void ToStringShowsTheGradFunction()
    {
        using var x = Tensor.From([1f, 2]).RequiresGrad_();
        Assert.Equal("tensor([1., 2.], requires_grad=True)", x.ToString());
        using var y = x * x;
        Assert.Equal("tensor([1., 4.], grad_fn=<MulBackward>)", y.ToString());
        using var s = y.Sum();
        Assert.Equal("tensor(5., grad_fn=<SumBackward>)", s.ToString());
        using var t = x.T;
        Assert.Contains("grad_fn=<TBackward>", t.ToString());
    }

    [Fact]
    public void InPlaceOnALeafThatRequiresGradThrows()
    {
        using var w = Tensor.Ones(3).RequiresGrad_();
        var ex = Assert.Throws<InvalidOperationException>(() => w.Sub_(1.0));
        Assert.Contains("leaf", ex.Message);
        Assert.Contains("NoGrad", ex.Message);
    }

    [Fact]
    public void InPlaceChangeOfASavedTensorIsDetectedAtBackward()
    {
        using var x = Tensor.From([1f, 2]).RequiresGrad_();
        using var y = x.Exp();               // saves its output
        using var loss = y.Sum();
        using (Tensors.Autograd.NoGrad()) y.Detach().Add_(1.0);
        var ex = Assert.Throws<InvalidOperationException>(() => loss.Backward());
        Assert.Contains("ExpBackward", ex.Message);
        Assert.Contains("in-place", ex.Message);
    }

    [Fact]
    public void ASecondBackwardThroughAFreedGraphSaysSo()
    {
        using var x = Tensor.From([1f, 2]).RequiresGrad_();
        using var loss = (x * x).Sum();
        loss.Backward(retainGraph: true);
        loss.Backward();
        Assert.Equal([4f, 8], x.Grad!.ToArray<float>());
        var ex = Assert.Throws<InvalidOperationException>(() => loss.Backward());
        Assert.Contains("second time", ex.Message);
        Assert.Contains("retainGraph", ex.Message);
    }

    [Fact]
    public void DeepGraphsDoNotOverflowTheStack()
    {
        using var x = Tensor.Scalar(1).RequiresGrad_();
        var y = x;
        for (int i = 0; i < 20000; i++) y = y + 1e-4;
        y.Backward();
        Assert.Equal(1f, x.Grad!.Item<float>());
    }

    [Fact]
    public void DisposingInputsAfterForwardDoesNotBreakBackward()
    {
        using var w = Tensor.From([2f, 3]).RequiresGrad_();
        Tensor loss;
        using (var scope = Tensor.NewDisposeScope())
        {
            var a = Tensor.From([4f, 5]);
            var p = a * w;
            loss = scope.MoveToOuter(p.Sum());
            Assert.True(scope.Count >= 2);
        }
        loss.Backward();
        Assert.Equal([4f, 5], w.Grad!.ToArray<float>());
    }

    [Fact]
    public void DisposeScopeDisposesTemporariesButNotGradients()
    {
        using var w = Tensor.From([1f, 2]).RequiresGrad_();
        Tensor inside;
        using (Tensor.NewDisposeScope())
        {
            inside = w * 2;
            using var loss = inside.Sum();
            loss.Backward();
        }
        Assert.True(inside.IsDisposed);
        Assert.False(w.IsDisposed);
        Assert.False(w.Grad!.IsDisposed);
        Assert.Equal([2f, 2], w.Grad.ToArray<float>());
    }
}
