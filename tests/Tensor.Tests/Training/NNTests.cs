using Tensors.NN;
using Tensors.Optim;
using Xunit;
using F = Tensors.NN.Functional;

namespace Tensors.Tests.Training;

public class NNTests
{
    [Fact]
    public void ModulesFindParametersRecursivelyWithNames()
    {
        using var model = new Sequential(new Linear(4, 3, generator: new Generator(1)), new ReLU(), new Linear(3, 1, bias: false));
        var names = model.NamedParameters().Select(p => p.Name).ToArray();
        Assert.Equal(["0.weight", "0.bias", "2.weight"], names);
        Assert.Equal(new[] { 3, 4 }, model.Parameters().First().Shape);
        Assert.All(model.Parameters(), p => Assert.True(p.RequiresGrad && p.IsLeaf));
        model.Eval();
        Assert.False(model[0].IsTraining);
        model.Train();
        Assert.True(model[2].IsTraining);
    }

    [Fact]
    public void LinearUsesPyTorchsDefaultInitAndComputesXWtPlusB()
    {
        using var big = new Linear(100, 50, generator: new Generator(3));
        double bound = 1 / Math.Sqrt(100);
        Assert.All(big.Weight.ToArray<float>(), w => Assert.InRange(w, -bound, bound));
        Assert.True(big.Weight.ToArray<float>().Max() > bound * 0.9); // it spans the interval
        using var lin = new Linear(2, 1);
        using (Tensors.Autograd.NoGrad())
        {
            lin.Weight.CopyFrom_(Tensor.From([2f, -1], 1, 2));
            lin.Bias!.Fill_(0.5);
        }
        using var y = lin.Forward(Tensor.From(new float[,] { { 1, 1 }, { 3, 2 } }));
        Assert.Equal([1.5f, 4.5f], y.ToArray<float>());
        Assert.Equal("AddBackward", y.GradFn!.Name);
    }

    [Fact]
    public void LossesMatchHandComputedValues()
    {
        using var p = Tensor.From([0.8f, 0.2f]);
        using var y = Tensor.From([1f, 0]);
        Assert.Equal((0.04f + 0.04f) / 2, F.MseLoss(p, y).Item<float>(), 6);
        Assert.Equal(0.2f, F.L1Loss(p, y).Item<float>(), 6);
        Assert.Equal(-MathF.Log(0.8f), F.BinaryCrossEntropy(p, y).Item<float>(), 5);
        // With logits: stable even where sigmoid saturates.
        using var logits = Tensor.From([100f, -100f, 0f]);
        using var t = Tensor.From([1f, 0, 1]);
        Assert.Equal(MathF.Log(2) / 3, F.BinaryCrossEntropyWithLogits(logits, t).Item<float>(), 5);
        // Cross-entropy: -log softmax at the target class.
        using var z = Tensor.From(new float[,] { { 1, 2, 3 }, { 1, 1, 1 } });
        using var cls = Tensor.From([2L, 0]);
        double lse = Math.Log(Math.Exp(1) + Math.Exp(2) + Math.Exp(3));
        Assert.Equal((lse - 3 + Math.Log(3)) / 2, F.CrossEntropy(z, cls).Item<double>(), 5);
        AllRowsSumToOne(F.Softmax(z, 1));
    }

    private static void AllRowsSumToOne(Tensor s) => Assert.All(s.Sum(1).ToArray<float>(), v => Assert.Equal(1f, v, 5));

    [Fact]
    public void MnistLossIsThreeLinesWithWhere()
    {
        static Tensor MnistLoss(Tensor predictions, Tensor targets)
        {
            using var p = predictions.Sigmoid();
            return Tensor.Where(targets.Eq(1), 1 - p, p).Mean();
        }
        using var preds = Tensor.From([0.9f, 0.4f, -0.2f]);
        using var trgts = Tensor.From([1f, 0, 1]);
        float s(float x) => 1 / (1 + MathF.Exp(-x));
        Assert.Equal(((1 - s(0.9f)) + s(0.4f) + (1 - s(-0.2f))) / 3, MnistLoss(preds, trgts).Item<float>(), 6);
    }

    [Fact]
    public void LossGradientsPassGradCheck()
    {
        using var x = Tensor.Randn([4, 3], new Generator(5), DType.Float64).RequiresGrad_();
        using var target = Tensor.Rand([4, 3], new Generator(6), DType.Float64);
        using var cls = Tensor.From([0L, 2, 1, 2]);
        Tensors.Autograd.GradCheck(xs => F.MseLoss(xs[0], target), [x]);
        Tensors.Autograd.GradCheck(xs => F.BinaryCrossEntropyWithLogits(xs[0], target), [x]);
        Tensors.Autograd.GradCheck(xs => F.CrossEntropy(xs[0], cls), [x]);
        Tensors.Autograd.GradCheck(xs => F.Softmax(xs[0], 0), [x]);
    }

    [Fact]
    public void BadLossInputsThrowClearly()
    {
        var ex = Assert.Throws<ArgumentException>(() => F.MseLoss(Tensor.Zeros(4, 2), Tensor.Zeros(3)));
        Assert.Contains("[4, 2]", ex.Message);
        Assert.Contains("[3]", ex.Message);
        Assert.Contains("out of range", Assert.Throws<IndexOutOfRangeException>(() => F.CrossEntropy(Tensor.Zeros(2, 3), Tensor.From([0L, 3]))).Message);
        Assert.Contains("integer", Assert.Throws<ArgumentException>(() => F.CrossEntropy(Tensor.Zeros(2, 3), Tensor.Zeros(2))).Message);
    }

    /// <summary>Runs <paramref name="steps"/> optimizer steps on <paramref name="loss"/>; returns the last loss.</summary>
    private static float Train(Optimizer opt, int steps, Func<Tensor> loss)
    {
        float last = float.NaN;
        for (int i = 0; i < steps; i++)
        {
            using var scope = Tensor.NewDisposeScope();
            var l = loss();
            l.Backward();
            opt.Step();
            opt.ZeroGrad();
            last = l.Item<float>();
        }
        return last;
    }

    [Fact]
    public void LinearRegressionConverges()
    {
        using var x = Tensor.Linspace(-1, 1, 50).Unsqueeze(1);
        using var y = x * 3 + 2;
        using var model = new Linear(1, 1, generator: new Generator(2));
        Train(new SGD(model.Parameters(), lr: 0.3), 300, () => F.MseLoss(model.Forward(x), y));
        Assert.Equal(3f, model.Weight.Item<float>(), 3);
        Assert.Equal(2f, model.Bias!.Item<float>(), 3);
    }

    [Fact]
    public void AnXorNetworkLearns()
    {
        using var x = Tensor.From(new float[,] { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } });
        using var y = Tensor.From(new float[,] { { 0 }, { 1 }, { 1 }, { 0 } });
        using var model = new Sequential(new Linear(2, 8, generator: new Generator(4)), new ReLU(), new Linear(8, 1, generator: new Generator(5)));
        float loss = Train(new Adam(model.Parameters(), lr: 0.05), 400, () => F.BinaryCrossEntropyWithLogits(model.Forward(x), y));
        Assert.True(loss < 0.05, $"loss {loss}");
        using var preds = model.Forward(x).Gt(0);
        Assert.Equal([false, true, true, false], preds.ToArray<bool>());
    }
}
