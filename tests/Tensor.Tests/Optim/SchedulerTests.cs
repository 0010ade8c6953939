using Tensors.Optim;
using Xunit;

namespace Tensors.Tests.Optim;

/// <summary>Schedulers: hand values, what construction does, errors. Their curves are checked against PyTorch in
/// <see cref="OptimFixtureTests"/>.</summary>
public class SchedulerTests
{
    private static SGD Sgd(double lr = 1, double momentum = 0) => new([Tensor.Zeros(1).RequiresGrad_()], lr, momentum);

    [Fact]
    public void StepAndExponentialHandValues()
    {
        var opt = Sgd();
        var step = new StepLR(opt, 2, 0.5);
        Assert.Equal([1.0], step.GetLastLr());
        var seen = new List<double>();
        for (int i = 0; i < 5; i++) { step.Step(); seen.Add(opt.LearningRate); }
        Assert.Equal([1, 0.5, 0.5, 0.25, 0.25], seen);
        Assert.Equal(5, step.LastEpoch);
        Assert.Equal(1.0, opt.ParamGroups[0].InitialLr);

        var exp = Sgd(2);
        var e = new ExponentialLR(exp, 0.5);
        e.Step(); e.Step();
        Assert.Equal(0.5, exp.LearningRate);

        var multi = Sgd();
        var m = new MultiStepLR(multi, [3, 1, 3], 0.1);
        Assert.Equal([1, 3, 3], m.Milestones);
        seen.Clear();
        for (int i = 0; i < 4; i++) { m.Step(); seen.Add(multi.LearningRate); }
        TestUtil.AllClose([0.1, 0.1, 0.001, 0.001], seen.ToArray());
    }

    [Fact]
    public void OneCycleStartsAtMaxOverDivAndPeaksAtMax()
    {
        var opt = Sgd(momentum: 0.9);
        var s = new OneCycleLR(opt, 1.0, totalSteps: 10, pctStart: 0.3);
        Assert.Equal(1.0 / 25, opt.LearningRate, 15);
        Assert.Equal(1.0 / 25, opt.ParamGroups[0].InitialLr);
        Assert.Equal(0.95, opt.Momentum);
        s.Step(); s.Step(); // the first phase ends at step pctStart * total - 1 = 2
        Assert.Equal(1.0, opt.LearningRate, 15);
        Assert.Equal(0.85, opt.Momentum!.Value, 15);
        for (int i = 0; i < 7; i++) s.Step();
        Assert.Equal(1.0 / 25 / 1e4, opt.LearningRate, 15);
        Assert.Equal(0.95, opt.Momentum!.Value, 15);
        s.Step(); // step 10 is allowed, as in PyTorch; 11 is not
        Assert.Contains("Step was called 11 times but the schedule has 10 steps", Assert.Throws<InvalidOperationException>(s.Step).Message);
        Assert.Equal(10, s.LastEpoch);
        var epochs = new OneCycleLR(Sgd(momentum: 0.9), 1.0, epochs: 3, stepsPerEpoch: 4);
        Assert.Equal(12, epochs.TotalSteps);
    }

    [Fact]
    public void PlateauReducesAfterPatienceAndCoolsDown()
    {
        var opt = Sgd();
        var p = new ReduceLROnPlateau(opt, patience: 1, factor: 0.5, cooldown: 1);
        double[] losses = [1, 1, 1, 1, 1, 1, 0.5];
        var seen = losses.Select(l => { p.Step(l); return opt.LearningRate; }).ToList();
        // bad epochs: 0 (first is best), 1, 2 -> reduce; cooldown swallows the next, then 1, 2 -> reduce; 0.5 improves.
        Assert.Equal([1, 1, 0.5, 0.5, 0.5, 0.25, 0.25], seen);
        Assert.Equal(0.5, p.Best);
        Assert.Equal([0.25], p.GetLastLr());
    }

    [Fact]
    public void BadConfigurationsThrowClearly()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new StepLR(Sgd(), 0));
        Assert.Contains("either totalSteps or both epochs and stepsPerEpoch",
            Assert.Throws<ArgumentException>(() => new OneCycleLR(Sgd(momentum: 0.9), 1.0, epochs: 2)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new OneCycleLR(Sgd(momentum: 0.9), 1.0, totalSteps: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new OneCycleLR(Sgd(momentum: 0.9), 1.0, totalSteps: 5, pctStart: 1.5));
        Assert.Contains("\"cos\" or \"linear\"", Assert.Throws<ArgumentException>(() => new OneCycleLR(Sgd(momentum: 0.9), 1.0, 5, annealStrategy: "exp")).Message);
        Assert.Contains("got 2 maxLr value(s) for 1 parameter group(s)", Assert.Throws<ArgumentException>(() => new OneCycleLR(Sgd(momentum: 0.9), [1.0, 2.0], 5)).Message);
        Assert.Contains("SGD has no momentum to cycle", Assert.Throws<ArgumentException>(() => new OneCycleLR(Sgd(), 1.0, 5)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReduceLROnPlateau(Sgd(), factor: 1));
        Assert.Contains("\"min\" or \"max\"", Assert.Throws<ArgumentException>(() => new ReduceLROnPlateau(Sgd(), mode: "up")).Message);
        Assert.Contains("\"rel\" or \"abs\"", Assert.Throws<ArgumentException>(() => new ReduceLROnPlateau(Sgd(), thresholdMode: "x")).Message);
    }
}
