using Tensors.NN;
using Xunit;
using F = Tensors.NN.Functional;

namespace Tensors.Tests.Pools;

/// <summary>Batch normalisation: hand values in training and evaluation, running statistics after several steps
/// (momentum and cumulative), affine and tracking options, state-dict names, GradCheck in float64, errors.</summary>
public class BatchNormTests
{
    private static Tensor D(double[] v, params int[] shape) => Tensor.From(v, shape);

    private static Tensor Rand(int[] shape, ulong seed) => Tensor.Randn(shape, new Generator(seed), DType.Float64);

    [Fact]
    public void TrainingNormalisesEachChannelWithTheBatchsBiasedVarianceAndUpdatesTheRunningStatistics()
    {
        // Channel 0: 1, 3 (mean 2, biased var 1, unbiased 2); channel 1: 0, 4 (mean 2, var 4, unbiased 8).
        using var x = D([1, 0, 3, 4], 2, 2);
        using var rm = Tensor.Zeros([2], DType.Float64);
        using var rv = Tensor.Ones([2], DType.Float64);
        using var w = D([2, 1], 2);
        using var b = D([0, 10], 2);
        using var y = F.BatchNorm(x, rm, rv, w, b, training: true, momentum: 0.5, eps: 0);
        TestUtil.AllClose([-2, 9, 2, 11], y.ToArray<double>());
        TestUtil.AllClose([1, 1], rm.ToArray<double>());          // 0.5 * 0 + 0.5 * 2
        TestUtil.AllClose([1.5, 4.5], rv.ToArray<double>());      // 0.5 * 1 + 0.5 * (2, 8)
        // Evaluation uses them: (x - 1) / sqrt(1.5 + eps) * w + b.
        using var e = F.BatchNorm(x, rm, rv, w, b, training: false, eps: 0);
        TestUtil.AllClose([0, 10 - 1 / Math.Sqrt(4.5), 2 * 2 / Math.Sqrt(1.5), 10 + 3 / Math.Sqrt(4.5)], e.ToArray<double>());
    }

    [Fact]
    public void BatchNorm2dModuleTracksRunningStatisticsOverStepsAndSwitchesToThemInEvaluation()
    {
        using var bn = new BatchNorm2d(2);
        bn.To(DType.Float64);
        var batches = new[] { Rand([3, 2, 2, 2], 1), Rand([3, 2, 2, 2], 2), Rand([3, 2, 2, 2], 3) };
        var mean = new double[2];
        var variance = new double[] { 1, 1 };
        foreach (var batch in batches)
        {
            using var y = bn.Forward(batch);
            var v = batch.ToArray<double>();
            for (int c = 0; c < 2; c++)
            {
                var xs = Enumerable.Range(0, v.Length).Where(i => i / 4 % 2 == c).Select(i => v[i]).ToArray();
                double m = xs.Average(), unbiased = xs.Sum(t => (t - m) * (t - m)) / (xs.Length - 1);
                mean[c] = 0.9 * mean[c] + 0.1 * m;
                variance[c] = 0.9 * variance[c] + 0.1 * unbiased;
            }
            // Training output: zero mean, unit (biased) variance per channel.
            using var channelMean = y.Mean([0, 2, 3]);
            TestUtil.AllClose([0, 0], channelMean.ToArray<double>(), 0, 1e-12);
        }
        TestUtil.AllClose(mean, bn.RunningMean!.ToArray<double>());
        TestUtil.AllClose(variance, bn.RunningVar!.ToArray<double>());
        Assert.Equal(3L, bn.NumBatchesTracked!.Item<long>());
        bn.Eval();
        using var eval = bn.Forward(batches[0]);
        using var expected = F.BatchNorm(batches[0], bn.RunningMean, bn.RunningVar, bn.Weight, bn.Bias);
        Assert.Equal(expected.ToArray<double>(), eval.ToArray<double>());
        Assert.Equal(3L, bn.NumBatchesTracked!.Item<long>());
        foreach (var batch in batches) batch.Dispose();
    }

    [Fact]
    public void NullMomentumKeepsTheCumulativeAverage()
    {
        using var bn = new BatchNorm1d(1, momentum: null);
        bn.To(DType.Float64);
        using (var a = D([0, 2], 2, 1)) bn.Forward(a).Dispose();  // mean 1, unbiased var 2
        using (var b = D([4, 4, 7], 3, 1)) bn.Forward(b).Dispose(); // mean 5, unbiased var 3
        // Factor 1 / (batches seen): the first batch replaces the initial statistics, the second averages with it.
        TestUtil.AllClose([(1 + 5) / 2.0], bn.RunningMean!.ToArray<double>());
        TestUtil.AllClose([(2 + 3) / 2.0], bn.RunningVar!.ToArray<double>());
    }

    [Fact]
    public void OptionsLeaveOutWhatPyTorchLeavesOut()
    {
        using var bn = new BatchNorm1d(3);
        Assert.Equal(["weight", "bias"], bn.NamedParameters().Select(p => p.Name));
        Assert.Equal(["running_mean", "running_var", "num_batches_tracked"], bn.NamedBuffers().Select(b => b.Name));
        Assert.Equal(DType.Int64, bn.NumBatchesTracked!.DType);
        using var plain = new BatchNorm2d(3, affine: false, trackRunningStats: false);
        Assert.Empty(plain.Parameters());
        Assert.Empty(plain.Buffers());
        // Without running statistics, evaluation normalises with the batch's.
        plain.Eval();
        using var x = Rand([4, 3, 2, 2], 9);
        using var y = plain.Forward(x);
        using var batch = F.BatchNorm(x, null, null, training: true);
        Assert.Equal(batch.ToArray<double>(), y.ToArray<double>());
        // 1d accepts [N, C, L] and normalises over N and L.
        using var bn3 = new BatchNorm1d(3);
        bn3.To(DType.Float64);
        using var x3 = Rand([4, 3, 5], 4);
        using var y3 = bn3.Forward(x3);
        using var m3 = y3.Mean([0, 2]);
        TestUtil.AllClose([0, 0, 0], m3.ToArray<double>(), 0, 1e-12);
    }

    [Fact]
    public void BatchNormPassesGradCheckInTrainingAndEvaluation()
    {
        using var x = Rand([3, 2, 2, 3], 11).RequiresGrad_();
        using var w = Rand([2], 12).RequiresGrad_();
        using var b = Rand([2], 13).RequiresGrad_();
        using var rm = Rand([2], 14);
        using var rv = Tensor.From(new double[] { 0.5, 2 });
        Tensors.Autograd.GradCheck(xs => F.BatchNorm(xs[0], null, null, xs[1], xs[2], training: true), [x, w, b]);
        Tensors.Autograd.GradCheck(xs => F.BatchNorm(xs[0], rm, rv, xs[1], xs[2]), [x, w, b]);
        using var x2 = Rand([5, 3], 15).RequiresGrad_();
        Tensors.Autograd.GradCheck(xs => F.BatchNorm(xs[0], null, null, training: true), [x2]);
    }

    [Fact]
    public void BadInputsNameTheOpAndTheShapes()
    {
        using var x = Rand([1, 3], 1);
        Assert.Contains("more than 1 value per channel", Assert.Throws<ArgumentException>(() => F.BatchNorm(x, null, null, training: true)).Message);
        Assert.Contains("evaluation mode", Assert.Throws<ArgumentException>(() => F.BatchNorm(x, null, null)).Message);
        using var w = Tensor.Ones([2], DType.Float64);
        Assert.Contains("weight should contain 3 elements", Assert.Throws<ArgumentException>(() => F.BatchNorm(x, null, null, w, training: true)).Message);
        using var bn = new BatchNorm2d(3);
        using var x3 = Rand([2, 3, 4], 2);
        Assert.Contains("expected 4D input", Assert.Throws<ArgumentException>(() => bn.Forward(x3)).Message);
        using var bn1 = new BatchNorm1d(3);
        using var x4 = Rand([2, 3, 4, 4], 3);
        Assert.Contains("expected 2D or 3D input", Assert.Throws<ArgumentException>(() => bn1.Forward(x4)).Message);
    }
}
