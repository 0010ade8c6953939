using Tensors.Graph;
using Xunit;

namespace Tensors.Tests.Autograd;

// The backward pass frees the gradients it made as soon as no pending node needs them (so that a training step's
// intermediate gradients are not all alive at once until the caller's DisposeScope ends), and never frees the
// caller's gradient or a gradient that is still pending.
public class EngineFreesGradientsTests
{
    // An identity op that remembers the gradients it was handed.
    private sealed class Spy(Tensor input, bool passThrough) : Node(input)
    {
        public List<Tensor> Seen { get; } = new();
        public override string Name => "SpyBackward";
        protected override Tensor?[] Backward(Tensor gradOutput)
        {
            Seen.Add(gradOutput);
            return [passThrough ? gradOutput : gradOutput * 1];
        }
    }

    private static (Tensor Output, Spy Node) Identity(Tensor h, bool passThrough)
    {
        Tensor o;
        using (Tensors.Autograd.NoGrad()) o = h * 1;
        var spy = new Spy(h, passThrough);
        return (o.Record(spy), spy);
    }

    [Fact]
    public void AnIntermediateGradientIsFreedOnceItsNodeRan()
    {
        using var x = Tensor.From([1f, 2, 3]).RequiresGrad_();
        using var h = x * 3;
        var (o, spy) = Identity(h, passThrough: false);
        using var loss = (o * o).Sum();
        loss.Backward();
        Assert.Single(spy.Seen);
        Assert.True(spy.Seen[0].IsDisposed);
        Assert.Equal([18f, 36, 54], x.Grad!.ToArray<float>());   // d/dx (3x)^2 = 18x
        o.Dispose();
    }

    [Fact]
    public void TheCallersGradientAndPassedOnGradientsStayUsable()
    {
        using var x = Tensor.From([1f, 2]).RequiresGrad_();
        using var h = x * 2;
        var (a, first) = Identity(h, passThrough: true);
        var (b, second) = Identity(a, passThrough: true);
        using var gradient = Tensor.From([1f, 10]);
        b.Backward(gradient);
        Assert.False(gradient.IsDisposed);
        Assert.Equal([1f, 10], gradient.ToArray<float>());
        Assert.Same(gradient, first.Seen[0]);
        Assert.Same(gradient, second.Seen[0]);
        Assert.Equal([2f, 20], x.Grad!.ToArray<float>());
        a.Dispose();
        b.Dispose();
    }

    [Fact]
    public void GradientsMeetingAtANodeAreSummedThenFreed()
    {
        using var x = Tensor.From([1f, -2]).RequiresGrad_();
        using var h = x * 1;
        var (o, spy) = Identity(h, passThrough: false);
        using var y = (o + o) + o * o;   // one node reached by three paths
        using var loss = y.Sum();
        loss.Backward(retainGraph: true);
        Assert.Single(spy.Seen);
        Assert.True(spy.Seen[0].IsDisposed);
        Assert.Equal([4f, -2], x.Grad!.ToArray<float>());   // 2 + 2x
        loss.Backward();
        Assert.Equal([8f, -4], x.Grad!.ToArray<float>());
        o.Dispose();
    }
}
