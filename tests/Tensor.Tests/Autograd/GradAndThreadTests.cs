using Xunit;

namespace Tensors.Tests.Autograd;

/// <summary>Assigning gradients, and Backward calls on several threads that meet in one leaf.</summary>
public class GradAndThreadTests
{
    [Fact]
    public void AssigningAGradOfTheWrongShapeOrDTypeThrowsNamingBoth()
    {
        using var w = Tensor.Zeros(2, 3).RequiresGrad_();
        var shape = Assert.Throws<ArgumentException>(() => w.Grad = Tensor.Ones(3));
        Assert.Contains("[3]", shape.Message);
        Assert.Contains("[2, 3]", shape.Message);
        var dtype = Assert.Throws<ArgumentException>(() => w.Grad = Tensor.Ones([2, 3], DType.Float64));
        Assert.Contains("float64", dtype.Message);
        Assert.Contains("float32", dtype.Message);
        Assert.Null(w.Grad);

        w.Grad = Tensor.Ones(2, 3);                    // the right shape, dtype and device is accepted
        Assert.Equal(Enumerable.Repeat(1f, 6), w.Grad!.ToArray<float>());
        w.Grad = null;                                 // and so is null
        Assert.Null(w.Grad);
    }

    [Fact]
    public void SgdNoLongerSeesABroadcastableWrongShapedGradient()
    {
        // Before, a [1]-shaped gradient was accepted and SGD broadcast it over every element.
        using var p = Tensor.Zeros(4).RequiresGrad_();
        Assert.Throws<ArgumentException>(() => p.Grad = Tensor.Ones(1));
        Assert.Null(p.Grad);
    }

    [Fact]
    public void ConcurrentBackwardCallsIntoASharedLeafLoseNoUpdates()
    {
        const int threads = 8, perThread = 10, trials = 30;
        using var w = Tensor.Zeros(64).RequiresGrad_();
        for (int trial = 0; trial < trials; trial++)
        {
            w.Grad = null;
            using var start = new Barrier(threads);
            var workers = Enumerable.Range(0, threads).Select(k => new Thread(() =>
            {
                start.SignalAndWait();
                for (int i = 0; i < perThread; i++)
                {
                    // Each thread's own graph: d/dw sum(w * (k + 1)) = k + 1.
                    using var y = w * (double)(k + 1);
                    using var loss = y.Sum();
                    loss.Backward();
                }
            })).ToList();
            workers.ForEach(t => t.Start());
            workers.ForEach(t => t.Join());
            float expected = perThread * threads * (threads + 1) / 2f;   // 10 * (1 + ... + 8) = 360
            Assert.All(w.Grad!.ToArray<float>(), g => Assert.Equal(expected, g));
        }
    }

    [Fact]
    public void ConcurrentInPlaceWritesBumpTheVersionOncePerWrite()
    {
        const int threads = 4, writes = 2000;
        using var t = Tensor.Zeros(1);
        int before = t.StorageVersion;
        var workers = Enumerable.Range(0, threads).Select(_ => new Thread(() =>
        {
            using var view = t.Detach();
            for (int i = 0; i < writes; i++) view.Fill_(i);
        })).ToList();
        workers.ForEach(x => x.Start());
        workers.ForEach(x => x.Join());
        Assert.Equal(before + threads * writes, t.StorageVersion);
    }
}
