using FsCheck.Fluent;
using Tensors.NN;
using Xunit;
using F = Tensors.NN.Functional;

namespace Tensors.Tests.NN;

/// <summary>The losses: hand values, reductions, GradCheck in float64, the broadcast warning, loss modules.</summary>
public class LossTests
{
    private static Tensor D(params double[] v) => Tensor.From(v);

    private static double Item(Tensor t) { using (t) return t.Item<double>(); }

    [Fact]
    public void RegressionLossesMatchHandValuesForEachReduction()
    {
        using var x = D(0, 1, 3);
        using var y = D(0.5, -1, 3);
        // d = -0.5, 2, 0
        Assert.Equal((0.25 + 4) / 3, Item(F.MseLoss(x, y)), 12);
        Assert.Equal(4.25, Item(F.MseLoss(x, y, reduction: "sum")), 12);
        using (var none = F.L1Loss(x, y, reduction: "none")) Assert.Equal([0.5, 2, 0], none.ToArray<double>());
        // Huber, delta 1: 0.125, 1 * (2 - 0.5) = 1.5, 0.
        Assert.Equal(1.625, Item(F.HuberLoss(x, y, reduction: "sum")), 12);
        // Huber, delta 3: all quadratic.
        Assert.Equal(0.125 + 2, Item(F.HuberLoss(x, y, reduction: "sum", delta: 3)), 12);
        // Smooth L1, beta 0.5: |d| < 0.5 is quadratic: 0.5 d^2 / beta; else |d| - beta / 2.
        using (var s = F.SmoothL1Loss(x, y, reduction: "none", beta: 0.5)) Assert.Equal([0.25, 1.75, 0], s.ToArray<double>());
        using (var s0 = F.SmoothL1Loss(x, y, reduction: "none", beta: 0)) Assert.Equal([0.5, 2, 0], s0.ToArray<double>());
        Assert.StartsWith("MseLoss:", Assert.Throws<ArgumentException>(() => F.MseLoss(x, y, reduction: "avg")).Message);
    }

    [Fact]
    public void RegressionTargetsOfAnotherShapeBroadcastWithPyTorchsWarningOnce()
    {
        var original = Console.Error;
        var captured = new StringWriter();
        Console.SetError(captured);
        try
        {
            using var x = Tensor.Zeros(7, 1);
            using var y = Tensor.Ones(7);
            using var a = F.MseLoss(x, y, reduction: "none");
            using var b = F.L1Loss(x, y);
            Assert.Equal([7, 7], a.Shape);
            Assert.Equal(1f, b.Item<float>());
        }
        finally { Console.SetError(original); }
        const string warning = "UserWarning: Using a target size (torch.Size([7])) that is different to the input size (torch.Size([7, 1])). " +
                               "This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size.";
        var text = captured.ToString();
        Assert.Contains(warning, text);
        Assert.Equal(text.IndexOf(warning, StringComparison.Ordinal), text.LastIndexOf(warning, StringComparison.Ordinal));
    }

    [Fact]
    public void KlDivergenceMatchesTheDefinition()
    {
        using var p = D(0.5, 0.5, 0);   // target, with a zero
        using var q = D(0.25, 0.25, 0.5);
        using var logQ = q.Log();
        double kl = 0.5 * Math.Log(2) * 2; // sum p log(p / q); the zero contributes 0
        Assert.Equal(kl, Item(F.KlDivLoss(logQ, p, reduction: "sum")), 12);
        using var batch = logQ.Unsqueeze(0).Expand(2, 3);
        using var targets = p.Unsqueeze(0).Expand(2, 3);
        Assert.Equal(kl, Item(F.KlDivLoss(batch, targets, reduction: "batchmean")), 12);
        using var logP = D(Math.Log(0.5), Math.Log(0.5), double.NegativeInfinity);
        using (var withLog = F.KlDivLoss(logQ, logP, reduction: "none", logTarget: true))
            Assert.Equal([0.5 * Math.Log(2), 0.5 * Math.Log(2)], withLog.ToArray<double>()[..2]);
        using var x = Tensor.Randn([2, 3], new Generator(1), DType.Float64).RequiresGrad_();
        using var t = Tensor.Rand([2, 3], new Generator(2), DType.Float64).RequiresGrad_();
        Tensors.Autograd.GradCheck(xs => F.KlDivLoss(xs[0], xs[1], reduction: "batchmean"), [x, t]);
        Tensors.Autograd.GradCheck(xs => F.KlDivLoss(xs[0], xs[1], reduction: "sum", logTarget: true), [x, t]);
    }

    [Fact]
    public void NllAndCrossEntropyWeightIgnoreAndSmoothAsPyTorch()
    {
        using var logP = Tensor.From(new double[,] { { -1, -2, -3 }, { -0.5, -1.5, -2.5 }, { -4, -5, -6 } });
        using var target = Tensor.From([2L, 0, -100]);
        using var w = D(1, 2, 3);
        // Picked: 3 (weight 3), 0.5 (weight 1); the third is ignored.
        Assert.Equal((3.0 + 0.5) / 2, Item(F.NllLoss(logP, target)), 12);
        Assert.Equal((9.0 + 0.5) / 4, Item(F.NllLoss(logP, target, w)), 12);
        using (var none = F.NllLoss(logP, target, w, reduction: "none")) Assert.Equal([9.0, 0.5, 0], none.ToArray<double>());
        // [N, C, d]: the class dim is 1.
        using var spatial = Tensor.From(new double[,,] { { { -1, -2 }, { -3, -4 } } }); // [1, 2 classes, 2 positions]
        using var st = Tensor.From(new long[,] { { 1, 0 } });
        Assert.Equal((3.0 + 2) / 2, Item(F.NllLoss(spatial, st)), 12);
        // Label smoothing: (1 - e) nll + e / C * (-sum log p) over the counted samples.
        using var z = Tensor.From(new double[,] { { 1, 2, 3 } });
        using var zt = Tensor.From([0L]);
        double lse = Math.Log(Math.Exp(1) + Math.Exp(2) + Math.Exp(3));
        double nll = lse - 1, smooth = 3 * lse - 6;
        Assert.Equal(0.9 * nll + 0.1 / 3 * smooth, Item(F.CrossEntropy(z, zt, labelSmoothing: 0.1)), 12);
        // Probability targets: a one-hot target gives the class-index loss.
        using var oneHot = D(1, 0, 0).Unsqueeze(0);
        Assert.Equal(nll, Item(F.CrossEntropy(z, oneHot)), 12);
    }

    [Fact]
    public void ProbabilityTargetsThatAreOneHotAgreeWithClassIndices()
    {
        var gen = from n in Gen.Choose(1, 4) from c in Gen.Choose(2, 5) from seed in Gen.Choose(0, 10000) select (n, c, seed);
        TestUtil.Check(gen, p =>
        {
            using var scope = Tensor.NewDisposeScope();
            var g = new Generator((ulong)p.seed);
            var logits = Tensor.Randn([p.n, p.c], g, DType.Float64);
            var cls = Enumerable.Range(0, p.n).Select(_ => (long)g.NextInt(p.c)).ToArray();
            var target = Tensor.From(cls);
            var oneHot = target.Unsqueeze(1).Eq(Tensor.Arange(0, p.c)).To(DType.Float64);
            double a = F.CrossEntropy(logits, target, labelSmoothing: 0.2).Item<double>();
            double b = F.CrossEntropy(logits, oneHot, labelSmoothing: 0.2).Item<double>();
            return Math.Abs(a - b) < 1e-12;
        });
    }

    [Fact]
    public void EveryLossPassesGradCheckForEveryReduction()
    {
        using var scope = Tensor.NewDisposeScope();
        var x = Tensor.Randn([3, 4], new Generator(1), DType.Float64).RequiresGrad_();
        var t = Tensor.Randn([3, 4], new Generator(2), DType.Float64).RequiresGrad_();
        var p = Tensor.Rand([3, 4], new Generator(3), DType.Float64) * 0.8 + 0.1;
        p.RequiresGrad_();
        var y = Tensor.Rand([3, 4], new Generator(4), DType.Float64).RequiresGrad_();
        var w = Tensor.Rand([4], new Generator(5), DType.Float64) + 0.5;
        var cls = Tensor.From([1L, -100, 3]);
        foreach (var r in new[] { "mean", "sum", "none" })
        {
            Tensors.Autograd.GradCheck(xs => F.MseLoss(xs[0], xs[1], r), [x, t]);
            Tensors.Autograd.GradCheck(xs => F.L1Loss(xs[0], xs[1], r), [x, t]);
            Tensors.Autograd.GradCheck(xs => F.HuberLoss(xs[0], xs[1], r, delta: 0.7), [x, t]);
            Tensors.Autograd.GradCheck(xs => F.SmoothL1Loss(xs[0], xs[1], r, beta: 0.7), [x, t]);
            Tensors.Autograd.GradCheck(xs => F.BinaryCrossEntropy(xs[0], xs[1], w, r), [p, y]);
            Tensors.Autograd.GradCheck(xs => F.BinaryCrossEntropyWithLogits(xs[0], xs[1], w, r, posWeight: w * 2), [x, y]);
            Tensors.Autograd.GradCheck(xs => F.NllLoss(xs[0], cls, w, reduction: r), [x]);
            Tensors.Autograd.GradCheck(xs => F.CrossEntropy(xs[0], cls, w, reduction: r, labelSmoothing: 0.1), [x]);
            Tensors.Autograd.GradCheck(xs => F.CrossEntropy(xs[0], F.Softmax(xs[1], 1), w, reduction: r, labelSmoothing: 0.1), [x, t]);
        }
    }

    [Fact]
    public void LossModulesHoldTheirOptionsAndWeightsAsBuffers()
    {
        using var w = D(1, 3);
        using var ce = new CrossEntropyLoss(weight: w, labelSmoothing: 0.1);
        Assert.Equal(["weight"], ce.NamedBuffers().Select(b => b.Name));
        Assert.Empty(ce.Parameters());
        using var logits = Tensor.From(new double[,] { { 0.3, -0.2 }, { 1.5, 0.5 } });
        using var cls = Tensor.From([1L, 0]);
        Assert.Equal(Item(F.CrossEntropy(logits, cls, w, labelSmoothing: 0.1)), Item(ce.Forward(logits, cls)), 15);
        Assert.StartsWith("CrossEntropyLoss:", Assert.Throws<InvalidOperationException>(() => ce.Forward(logits)).Message);
        using var bce = new BCEWithLogitsLoss(posWeight: D(2, 2));
        Assert.Equal(["pos_weight"], bce.StateDict().Keys);
        using var y = Tensor.From(new double[,] { { 1, 0 }, { 0, 1 } });
        Assert.Equal(Item(F.BinaryCrossEntropyWithLogits(logits, y, posWeight: D(2, 2))), Item(bce.Forward(logits, y)), 15);
        using var mse = new MSELoss("sum");
        Assert.Equal(Item(F.MseLoss(logits, y, "sum")), Item(mse.Forward(logits, y)), 15);
        using var kl = new KLDivLoss("batchmean", logTarget: true);
        Assert.Equal(Item(F.KlDivLoss(logits, y, "batchmean", true)), Item(kl.Forward(logits, y)), 15);
        // The two-argument forms stay method groups for Func<Tensor, Tensor, Tensor> (a Learner's loss).
        Func<Tensor, Tensor, Tensor>[] groups = [F.MseLoss, F.L1Loss, F.HuberLoss, F.SmoothL1Loss, F.KlDivLoss,
            F.BinaryCrossEntropy, F.BinaryCrossEntropyWithLogits, F.NllLoss, F.CrossEntropy];
        Assert.Equal(9, groups.Length);
    }

    [Fact]
    public void BadClassTargetsThrowNamingTheProblem()
    {
        using var x = Tensor.Zeros(2, 3);
        Assert.Contains("target 3 is out of range", Assert.Throws<IndexOutOfRangeException>(() => F.NllLoss(x, Tensor.From([0L, 3]))).Message);
        Assert.Contains("[2]", Assert.Throws<ArgumentException>(() => F.NllLoss(x, Tensor.From([0L, 1, 2]))).Message);
        Assert.Contains("3 class weights", Assert.Throws<ArgumentException>(() => F.CrossEntropy(x, Tensor.From([0L, 1]), Tensor.Ones(4))).Message);
        Assert.StartsWith("CrossEntropy:", Assert.Throws<ArgumentOutOfRangeException>(() => F.CrossEntropy(x, Tensor.From([0L, 1]), labelSmoothing: 2)).Message);
        Assert.StartsWith("CrossEntropy:", Assert.Throws<ArgumentException>(() => F.CrossEntropy(x, Tensor.Zeros(2, 3).To(DType.Int64))).Message);
    }
}
