using Tensors.Optim;
using Xunit;

namespace Tensors.Tests.Training;

public class OptimizerTests
{
    // loss = sum(p^2) / 2, so the gradient is p itself: every step below is easy to do by hand.
    private static double[] Run(Func<Tensor, Optimizer> make, double[] start, int steps, double scale = 0.5)
    {
        using var p = Tensor.From(start).RequiresGrad_();
        using var opt = make(p);
        for (int i = 0; i < steps; i++)
        {
            using var loss = (p * p).Sum() * scale;
            loss.Backward();
            opt.Step();
            opt.ZeroGrad();
        }
        return p.ToArray<double>();
    }

    [Fact]
    public void SgdWithMomentumMatchesHandComputedSteps()
    {
        // buf1 = g1 = [1,-2] -> p = [0.9,-1.8]; buf2 = 0.9 buf1 + g2 = [1.8,-3.6] -> [0.72,-1.44];
        // buf3 = 0.9 buf2 + g3 = [2.34,-4.68] -> [0.486,-0.972]
        TestUtil.AllClose([0.486, -0.972], Run(p => new SGD([p], lr: 0.1, momentum: 0.9), [1, -2], 3));
    }

    [Fact]
    public void SgdVariants()
    {
        TestUtil.AllClose([0.9, -1.8], Run(p => new SGD([p], lr: 0.1), [1, -2], 1));
        // Nesterov: d = g + 0.9 * buf = 1.9 g on the first step.
        TestUtil.AllClose([0.81, -1.62], Run(p => new SGD([p], lr: 0.1, momentum: 0.9, nesterov: true), [1, -2], 1));
        // Weight decay 0.1 adds 0.1 p to the gradient: p * (1 - 0.11).
        TestUtil.AllClose([0.89, -1.78], Run(p => new SGD([p], lr: 0.1, weightDecay: 0.1), [1, -2], 1));
    }

    [Fact]
    public void AdamAndAdamWMatchHandComputedSteps()
    {
        // loss = p^2: g = 2p. Step 1 of Adam moves by exactly lr; later steps by lr * m̂ / sqrt(v̂).
        var adam = Run(p => new Adam([p], lr: 0.1), [1.0], 3, scale: 1);
        TestUtil.AllClose([0.7015862729460303], adam, 1e-10, 1e-10);
        var adamW = Run(p => new AdamW([p], lr: 0.1, weightDecay: 0.1), [1.0], 2, scale: 1);
        TestUtil.AllClose([0.7815718559365048], adamW, 1e-10, 1e-10);
    }

    [Fact]
    public void ParametersWithoutGradientsAreSkippedAndZeroGradNullsThem()
    {
        using var a = Tensor.From([1.0]).RequiresGrad_();
        using var b = Tensor.From([1.0]).RequiresGrad_();
        var opt = new SGD([a, b], lr: 0.5);
        using var loss = a * 2;
        loss.Backward();
        opt.Step();
        Assert.Equal(0.0, a.Item<double>());
        Assert.Equal(1.0, b.Item<double>());
        opt.ZeroGrad();
        Assert.Null(a.Grad);
    }

    [Fact]
    public void BadConfigurationsThrowClearly()
    {
        Assert.Contains("no parameters", Assert.Throws<ArgumentException>(() => new SGD([], 0.1)).Message);
        Assert.Contains("does not require grad", Assert.Throws<ArgumentException>(() => new Adam([Tensor.Zeros(2)])).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SGD([Tensor.Zeros(1).RequiresGrad_()], -1));
    }

    [Fact]
    public void OneCycleAndCosineSchedules()
    {
        var lr = Schedules.OneCycle(1.0);
        Assert.Equal(1.0 / 25, lr(0), 12);
        Assert.Equal(1.0, lr(0.25), 12);
        Assert.Equal(1e-5, lr(1), 12);
        Assert.True(lr(0.1) > lr(0.05) && lr(0.6) < lr(0.3));
        var mom = Schedules.OneCycleMomentum();
        Assert.Equal(0.95, mom(0), 12);
        Assert.Equal(0.85, mom(0.25), 12);
        Assert.Equal(0.95, mom(1), 12);
        var cos = Schedules.Cosine(1, 0);
        Assert.Equal(0.5, cos(0.5), 12);

        using var p = Tensor.Zeros(1).RequiresGrad_();
        var opt = new SGD([p], 0.3, momentum: 0.9);
        var sched = Scheduler.OneCycle(opt, 8, 0.3);
        Assert.Equal(0.3 / 25, opt.LearningRate, 12);
        Assert.Equal(0.95, opt.Momentum!.Value, 12);
        sched.Step(); sched.Step();
        Assert.Equal(0.3, opt.LearningRate, 12);
        Assert.Equal(0.85, opt.Momentum!.Value, 12);
    }
}
