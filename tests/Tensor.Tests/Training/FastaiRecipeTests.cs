using Tensors.Data;
using Tensors.NN;
using Tensors.Optim;
using Tensors.Training;
using Xunit;

namespace Tensors.Tests.Training;

public class FastaiRecipeTests
{
    private sealed class Net : Module
    {
        public Net()
        {
            Lin = Register("lin", new Linear(3, 2, generator: new Generator(5)));
            Norm = Register("norm", new LayerNorm(2));
            Head = Register("head", new Linear(2, 1, bias: false, generator: new Generator(6)));
        }

        public Linear Lin { get; }
        public LayerNorm Norm { get; }
        public Linear Head { get; }
        public override Tensor Forward(Tensor input) => Head.Forward(Norm.Forward(Lin.Forward(input)));
    }

    [Fact]
    public void NormalizationParametersAndBiasesAreNotDecayed()
    {
        var net = new Net();
        Assert.Equal([net.Lin.Bias!, .. net.Norm.Parameters()], Learner.NormBiasParameters(net));
        var opt = (AdamW)Learner.FastaiAdam(net, lr: 0.1);
        Assert.Equal(2, opt.ParamGroups.Count);
        Assert.Equal([net.Lin.Weight, net.Head.Weight], opt.ParamGroups[0].Parameters);
        Assert.Equal((0.01, 0.0), (opt.ParamGroups[0].WeightDecay, opt.ParamGroups[1].WeightDecay));
        Assert.All(opt.ParamGroups, g => Assert.Equal((0.9, 0.99), g.Betas));
        Assert.Equal(1e-5, opt.Eps);
        Assert.Single(((AdamW)Learner.FastaiAdam(net, 0.1, wdBnBias: true)).ParamGroups);
    }

    [Fact]
    public void OneStepIsFastaisAdamByHand()
    {
        // After one step m / (1 - b1) = g and v / (1 - b2) = g^2, so the step is lr * g / (|g| + eps); the decayed
        // weight first shrinks by 1 - lr * wd, the bias does not.
        var net = new Linear(1, 1, generator: new Generator(1));
        using (Tensors.Autograd.NoGrad())
        {
            net.Weight.Fill_(2.0);
            net.Bias!.Fill_(3.0);
        }
        var opt = Learner.FastaiAdam(net, lr: 0.1);
        net.Weight.Grad = Tensor.From([0.5f], 1, 1);
        net.Bias.Grad = Tensor.From([-0.25f]);
        opt.Step();
        Assert.Equal(2.0 * (1 - 0.1 * 0.01) - 0.1 * 0.5 / (0.5 + 1e-5), net.Weight.Item<float>(), 5);
        Assert.Equal(3.0 + 0.1 * 0.25 / (0.25 + 1e-5), net.Bias.Item<float>(), 5);
    }

    [Fact]
    public void FitOneCycleCyclesTheLearningRateAndBeta1OfEveryGroup()
    {
        using var x = Tensor.Rand([64, 3], new Generator(2));
        using var y = x.Sum(1, keepDim: true);
        var ds = new TensorDataset(x, y);
        var net = new Net();
        var learner = new Learner(new DataLoaders(new DataLoader(ds, 8, shuffle: true), new DataLoader(ds, 8)), net,
            (_, lr) => Learner.FastaiAdam(net, lr), Functional.MseLoss) { Verbose = false };
        var betas = new List<double[]>();
        learner.Callbacks.Add(new Spy(l => betas.Add([.. l.Optimizer!.ParamGroups.Select(g => g.Betas!.Value.Beta1)])));
        learner.FitOneCycle(1, 0.01);
        var lrs = learner.Recorder.LearningRates;
        Assert.Equal(8, lrs.Count);
        Assert.Equal(0.01 / 25, lrs[0], 12);                 // progress 0
        Assert.Equal(0.01, lrs[2], 12);                      // progress 0.25: the peak
        Assert.Equal(Schedules.AnnealCos(0.01, 0.01 / 1e5, 5.0 / 6), lrs[7], 12);
        Assert.All(betas, b => Assert.Equal(b[0], b[1]));
        Assert.Equal([0.95, 0.9, 0.85], betas.Take(3).Select(b => Math.Round(b[0], 12)));
        Assert.Equal(0.0, learner.Optimizer!.ParamGroups[1].WeightDecay);
    }

    private sealed class Spy(Action<Learner> before) : Callback
    {
        public override void BeforeBatch(Learner l) => before(l);
    }
}
