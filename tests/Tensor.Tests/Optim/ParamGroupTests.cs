using Tensors.Data;
using Tensors.NN;
using Tensors.Optim;
using Tensors.Training;
using Xunit;

namespace Tensors.Tests.Optim;

/// <summary>Parameter groups: defaults, per-group hyperparameters, the ratio kept by LearningRate, errors.</summary>
public class ParamGroupTests
{
    private static Tensor P(params double[] values) => Tensor.From(values).RequiresGrad_();

    private static void SetGrad(Tensor p, params double[] grad)
    {
        p.Grad?.Dispose();
        p.Grad = Tensor.From(grad);
    }

    [Fact]
    public void GroupsTakeTheOptimizersValuesTheyDoNotSet()
    {
        using var a = P(1);
        using var b = P(1);
        using var opt = new Adam([new ParamGroup([a], lr: 0.5, betas: (0.8, 0.9)), new ParamGroup([b], weightDecay: 0.1)], lr: 0.01, beta2: 0.99);
        Assert.Equal([0.5, 0.01], opt.ParamGroups.Select(g => g.Lr));
        Assert.Equal([0.0, 0.1], opt.ParamGroups.Select(g => g.WeightDecay));
        Assert.Equal<(double, double)?>((0.8, 0.9), opt.ParamGroups[0].Betas);
        Assert.Equal<(double, double)?>((0.9, 0.99), opt.ParamGroups[1].Betas);
        Assert.Null(opt.ParamGroups[0].Momentum);
        Assert.Equal([a, b], opt.Parameters);
    }

    [Fact]
    public void EachGroupStepsWithItsOwnHyperparameters()
    {
        using var a = P(1, -2);
        using var b = P(4);
        using var opt = new SGD([new ParamGroup([a]), new ParamGroup([b], lr: 0.5, weightDecay: 0.25)], lr: 0.1);
        SetGrad(a, 1, -2);
        SetGrad(b, 2);
        opt.Step();
        TestUtil.AllClose([0.9, -1.8], a.ToArray<double>());
        TestUtil.AllClose([4 - 0.5 * (2 + 0.25 * 4)], b.ToArray<double>()); // d = g + wd * p = 3
    }

    [Fact]
    public void SgdMomentumIsPerGroup()
    {
        using var a = P(1);
        using var b = P(1);
        using var opt = new SGD([new ParamGroup([a], momentum: 0.5), new ParamGroup([b])], lr: 1);
        Assert.True(opt.UsesMomentum);
        Assert.Equal(0.5, opt.GetMomentum(opt.ParamGroups[0]));
        Assert.Null(opt.GetMomentum(opt.ParamGroups[1]));
        for (int i = 0; i < 2; i++)
        {
            SetGrad(a, 1);
            SetGrad(b, 1);
            opt.Step();
        }
        // a: buffers 1 then 1.5 -> 1 - 2.5; b: plain steps -> 1 - 2.
        TestUtil.AllClose([-1.5], a.ToArray<double>());
        TestUtil.AllClose([-1.0], b.ToArray<double>());
        opt.Momentum = 0.1; // a group without momentum keeps none
        Assert.Equal(0.1, opt.ParamGroups[0].Momentum);
        Assert.Equal(0.0, opt.ParamGroups[1].Momentum);
    }

    [Fact]
    public void LearningRateKeepsTheGroupsRatio()
    {
        using var a = P(1);
        using var b = P(1);
        using var opt = new SGD([new ParamGroup([a], lr: 0.1), new ParamGroup([b], lr: 0.01)], lr: 1);
        opt.LearningRate = 2;
        Assert.Equal(2, opt.ParamGroups[0].Lr, 15);
        Assert.Equal(0.2, opt.ParamGroups[1].Lr, 15);
        Assert.Equal(2, opt.LearningRate);
        var sched = Scheduler.OneCycle(opt, 10, 1.0);
        for (int i = 0; i <= 10; i++, sched.Step())
            Assert.Equal(opt.ParamGroups[0].Lr * 0.1, opt.ParamGroups[1].Lr, 15);
    }

    [Fact]
    public void LearnerFitsEveryGroupWithDiscriminativeRates()
    {
        using var x = Tensor.Rand([48, 2], new Generator(1));
        using var w = Tensor.From([2f, -3f], 2, 1);
        using var y = x.MatMul(w);
        var dls = new DataLoaders(new DataLoader(new TensorDataset(x[..32].Contiguous(), y[..32].Contiguous()), 8),
            new DataLoader(new TensorDataset(x[32..].Contiguous(), y[32..].Contiguous()), 8));
        using var model = new Sequential(new Linear(2, 2, generator: new Generator(2)), new Linear(2, 1, generator: new Generator(3)));
        var body = model.NamedParameters().Where(p => p.Name.StartsWith("0.")).Select(p => p.Tensor).ToList();
        var head = model.NamedParameters().Where(p => p.Name.StartsWith("1.")).Select(p => p.Tensor).ToList();
        var lrs = new List<double[]>();
        var learn = new Learner(dls, model, (_, lr) => new SGD([new ParamGroup(head), new ParamGroup(body, lr: lr / 10)], lr, momentum: 0.9),
            Functional.MseLoss) { Verbose = false };
        learn.Callbacks.Add(new GroupSpy(lrs));
        learn.FitOneCycle(2, 0.1);
        Assert.Equal(8, lrs.Count);
        // The first group (the head) follows the schedule; the body keeps a tenth of it.
        foreach (var step in lrs) Assert.Equal(step[0] / 10, step[1], 12);
        Assert.Equal(0.1 / 25, lrs[0][0], 12);
        learn.Fit(1, 0.05); // a constant rate keeps the ratio too
        TestUtil.AllClose([0.05, 0.005], lrs[^1]);
    }

    private sealed class GroupSpy(List<double[]> lrs) : Callback
    {
        public override void BeforeBatch(Learner l) => lrs.Add(l.Optimizer!.ParamGroups.Select(g => g.Lr).ToArray());
    }

    [Fact]
    public void BadGroupsThrowClearly()
    {
        using var a = P(1);
        using var b = P(1);
        var ex = Assert.Throws<ArgumentException>(() => new SGD([new ParamGroup([a], betas: (0.9, 0.99))], 0.1));
        Assert.Contains("parameter group 0 sets 'beta1', which SGD does not have", ex.Message);
        Assert.Contains("appears more than once", Assert.Throws<ArgumentException>(() => new Adam([new ParamGroup([a]), new ParamGroup([b, a])])).Message);
        Assert.Contains("appears more than once", Assert.Throws<ArgumentException>(() => new SGD([a, a], 0.1)).Message);
        Assert.Contains("no parameters", Assert.Throws<ArgumentException>(() => new RMSprop([new ParamGroup([])])).Message);
        var negative = Assert.Throws<ArgumentOutOfRangeException>(() => new SGD([new ParamGroup([a]), new ParamGroup([b], lr: -1)], 0.1));
        Assert.Contains("parameter group 1 must not be negative", negative.Message);
        Assert.Contains("positive momentum", Assert.Throws<ArgumentException>(() => new SGD([new ParamGroup([a], momentum: 0.9), new ParamGroup([b])], 0.1, nesterov: true)).Message);
        Assert.Contains("'lr' is not set", Assert.Throws<InvalidOperationException>(() => new ParamGroup([a]).Lr).Message);
    }

    [Fact]
    public void RmspropFirstStepMatchesHandValues()
    {
        // s = (1 - alpha) g² = 0.01 g², so the step is lr * g / (0.1 |g| + eps) = 0.1 sign(g) for lr = 0.01.
        using var p = P(1, -2);
        using var opt = new RMSprop([p], lr: 0.01);
        SetGrad(p, 1, -2);
        opt.Step();
        TestUtil.AllClose([0.9, -1.9], p.ToArray<double>(), 1e-6, 1e-9);
        // Centered: the running mean of g is 0.01 g, so the root is sqrt(0.01 - 0.0001) |g|.
        using var q = P(1);
        using var centered = new RMSprop([q], lr: 0.01, centered: true);
        SetGrad(q, 1);
        centered.Step();
        TestUtil.AllClose([1 - 0.01 / Math.Sqrt(0.0099)], q.ToArray<double>(), 1e-6, 1e-9);
        Assert.Throws<ArgumentOutOfRangeException>(() => new RMSprop([q], alpha: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RMSprop([q], momentum: -0.5));
    }
}
