using FsCheck;
using FsCheck.Fluent;
using Tensors.Optim;
using Xunit;

namespace Tensors.Tests.Optim;

/// <summary>Properties of every scheduler: stopping at any step and resuming from the state dicts continues the
/// exact learning rate sequence, and OneCycleLR stays between its final and peak rates.</summary>
public class SchedulerProperties
{
    // A scheduler kind with random settings, made over an SGD of two groups; metrics feed ReduceLROnPlateau.
    private sealed record Config(int Kind, int Period, double Gamma, int Total, double PctStart, bool ThreePhase, int Patience)
    {
        public (Optimizer Opt, Action<int> Step, Func<SavedState> Save, Action<SavedState> Load) Make()
        {
            var opt = new SGD([new ParamGroup([Tensor.Zeros(1).RequiresGrad_()]), new ParamGroup([Tensor.Zeros(1).RequiresGrad_()], lr: 0.03)],
                0.1, momentum: 0.9);
            LRScheduler? s = Kind switch
            {
                0 => new StepLR(opt, Period, Gamma),
                1 => new MultiStepLR(opt, [Period, 2 * Period, 2 * Period, 3 * Period], Gamma),
                2 => new ExponentialLR(opt, Gamma),
                3 => new OneCycleLR(opt, [1.0, 0.5], Total, pctStart: PctStart, threePhase: ThreePhase),
                4 => Scheduler.OneCycle(opt, Total, 0.5),
                _ => null,
            };
            if (s is not null) return (opt, _ => s.Step(), s.StateDict, s.LoadStateDict);
            var p = new ReduceLROnPlateau(opt, patience: Patience, factor: Gamma, cooldown: Period % 3);
            return (opt, t => p.Step(t % (Period + 1) == 0 ? 0.5 / (t + 1) : 1.0), p.StateDict, p.LoadStateDict);
        }
    }

    private static readonly Gen<Config> Configs =
        from kind in Gen.Choose(0, 5)
        from period in Gen.Choose(1, 6)
        from gamma in Gen.Choose(1, 9).Select(g => g / 10.0)
        from total in Gen.Choose(2, 40)
        from pct in Gen.Choose(5, 60).Select(p => p / 100.0)
        from three in Gen.Elements(false, true)
        from patience in Gen.Choose(0, 3)
        select new Config(kind, period, gamma, total, pct, three, patience);

    private static List<double[]> Run(Config c, int steps, int stopAt)
    {
        var (opt, step, save, _) = c.Make();
        var lrs = new List<double[]>();
        for (int t = 0; t < stopAt; t++) { step(t); lrs.Add(opt.ParamGroups.Select(g => g.Lr).ToArray()); }
        var (optState, schedState) = (opt.StateDict(), save());
        var (fresh, freshStep, _, load) = c.Make();
        fresh.LoadStateDict(optState);
        load(schedState);
        for (int t = stopAt; t < steps; t++) { freshStep(t); lrs.Add(fresh.ParamGroups.Select(g => g.Lr).ToArray()); }
        return lrs;
    }

    [Fact]
    public void ResumingAtAnyStepContinuesTheSameSequence() =>
        TestUtil.Check(
            from c in Configs
            from stop in Gen.Choose(0, c.Total)
            select (c, stop),
            x =>
            {
                var straight = Run(x.c, x.c.Total, x.c.Total);
                var resumed = Run(x.c, x.c.Total, x.stop);
                return straight.Zip(resumed).All(p => p.First.SequenceEqual(p.Second));
            }, maxTest: 100);

    [Fact]
    public void OneCycleStaysBetweenItsFinalAndPeakRates() =>
        TestUtil.Check(Configs.Where(c => c.Kind == 3), c =>
        {
            var (opt, step, _, _) = c.Make();
            var peak = new[] { 1.0, 0.5 };
            for (int t = 0; t < c.Total; t++)
            {
                step(t);
                for (int g = 0; g < 2; g++)
                    if (opt.ParamGroups[g].Lr > peak[g] * (1 + 1e-12) || opt.ParamGroups[g].Lr < peak[g] / 25 / 1e4 * (1 - 1e-9)) return false;
            }
            return true;
        }, maxTest: 60);
}
