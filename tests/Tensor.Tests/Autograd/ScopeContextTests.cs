using Xunit;

namespace Tensors.Tests.Autograd;

/// <summary>DisposeScope and NoGrad follow the logical (async) context: disposal out of order, after an await or on
/// another thread leaves every thread's state right.</summary>
public class ScopeContextTests
{
    [Fact]
    public void ScopesDisposedOutOfOrderLeaveTheInnermostLiveOneCurrent()
    {
        using var outermost = Tensor.NewDisposeScope();
        var first = Tensor.NewDisposeScope();
        var second = Tensor.NewDisposeScope();
        first.Dispose();                               // out of order: second is still live and current
        var a = Tensor.Zeros(1);
        Assert.Equal(1, second.Count);
        Assert.Equal(0, outermost.Count);
        second.Dispose();
        Assert.True(a.IsDisposed);
        var b = Tensor.Zeros(1);                       // neither dead scope captures it
        Assert.Equal(1, outermost.Count);
        outermost.Dispose();
        Assert.True(b.IsDisposed);
    }

    [Fact]
    public void MoveToOuterSkipsADisposedEnclosingScope()
    {
        using var outer = Tensor.NewDisposeScope();
        var middle = Tensor.NewDisposeScope();
        var inner = Tensor.NewDisposeScope();
        var t = Tensor.Zeros(1);
        middle.Dispose();
        inner.MoveToOuter(t);
        inner.Dispose();
        Assert.False(t.IsDisposed);
        Assert.Equal(1, outer.Count);
        outer.Dispose();
        Assert.True(t.IsDisposed);
    }

    [Fact]
    public async Task AScopeDisposedOnAnotherThreadNoLongerCapturesTensorsHere()
    {
        using var outer = Tensor.NewDisposeScope();
        var inner = Tensor.NewDisposeScope();
        var before = Tensor.Zeros(1);
        await Task.Run(inner.Dispose);
        Assert.True(before.IsDisposed);
        var after = Tensor.Zeros(1);                   // belongs to outer, not to the dead inner scope
        Assert.Equal(0, inner.Count);
        Assert.Equal(1, outer.Count);
        // The other thread, too, sees outer as its current scope (Task.Run runs in this context).
        var there = await Task.Run(() => Tensor.Zeros(1));
        Assert.Equal(2, outer.Count);
        outer.Dispose();
        Assert.True(after.IsDisposed && there.IsDisposed);
    }

    [Fact]
    public void TasksStartedInsideAScopeRegisterIntoItConcurrently()
    {
        // Parallel work inherits the scope with the async context, so registration must be thread-safe.
        const int n = 20000;
        var made = new Tensor[n];
        using (var scope = Tensor.NewDisposeScope())
        {
            Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => made[i] = Tensor.Zeros(1));
            Assert.Equal(n, scope.Count);
        }
        Assert.All(made, t => Assert.True(t.IsDisposed));
    }

    private static async Task<Tensor> MakeInAScopeAcrossAnAwait()
    {
        using var scope = Tensor.NewDisposeScope();
        var temp = Tensor.Zeros(1);
        await Task.Yield();                            // the rest may run on a thread-pool thread
        var kept = scope.MoveToOuter(Tensor.Ones(1));
        Assert.Equal(1, scope.Count);
        Assert.False(temp.IsDisposed);
        return kept;
    }

    [Fact]
    public async Task AScopeDisposedAfterAnAwaitLeavesBothThreadsRight()
    {
        using var outer = Tensor.NewDisposeScope();
        var pending = MakeInAScopeAcrossAnAwait();     // returns at its await, on this thread
        var here = Tensor.Zeros(1);                    // this context never entered the method's scope
        var kept = await pending;
        Assert.False(here.IsDisposed);
        Assert.False(kept.IsDisposed);
        var later = Tensor.Zeros(1);
        Assert.Equal(3, outer.Count);                  // here, kept and later
        outer.Dispose();
        Assert.True(here.IsDisposed && kept.IsDisposed && later.IsDisposed);
    }

    [Fact]
    public async Task NoGradHoldsAcrossAnAwaitAndEndsWithItsScope()
    {
        using var w = Tensor.Ones(2).RequiresGrad_();
        async Task Body()
        {
            using (Tensors.Autograd.NoGrad())
            {
                await Task.Yield();
                Assert.False(Tensors.Autograd.IsEnabled);
                using var y = w * 2;
                Assert.Null(y.GradFn);
            }
            Assert.True(Tensors.Autograd.IsEnabled);
        }
        var pending = Body();
        Assert.True(Tensors.Autograd.IsEnabled);       // the caller's thread is not left in NoGrad
        await pending;
        Assert.True(Tensors.Autograd.IsEnabled);
        using var z = w * 2;
        Assert.NotNull(z.GradFn);
    }

    [Fact]
    public async Task NoGradDisposedOnAnotherThreadEndsItEverywhere()
    {
        var noGrad = Tensors.Autograd.NoGrad();
        Assert.False(Tensors.Autograd.IsEnabled);
        Assert.False(await Task.Run(() => Tensors.Autograd.IsEnabled));   // a task started inside inherits it
        await Task.Run(noGrad.Dispose);
        Assert.True(Tensors.Autograd.IsEnabled);
        Assert.True(await Task.Run(() => Tensors.Autograd.IsEnabled));
        var other = new Thread(() => Assert.True(Tensors.Autograd.IsEnabled));
        other.Start();
        other.Join();
    }

    [Fact]
    public void NoGradScopesDisposedOutOfOrderKeepRecordingOffUntilTheLastOne()
    {
        var outer = Tensors.Autograd.NoGrad();
        var inner = Tensors.Autograd.NoGrad();
        outer.Dispose();
        Assert.False(Tensors.Autograd.IsEnabled);
        inner.Dispose();
        Assert.True(Tensors.Autograd.IsEnabled);
    }
}
