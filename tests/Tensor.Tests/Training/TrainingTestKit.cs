using Tensors.Data;
using Tensors.NN;
using Tensors.Optim;
using Tensors.Training;

namespace Tensors.Tests.Training;

/// <summary>A small learner whose every random stream is its own (shuffled loader, dropout with a generator), so that
/// runs compare bit for bit while other tests draw from the default generator.</summary>
internal static class TrainingTestKit
{
    public const int Batches = 4;

    public static Learner Make(ulong initSeed = 2, ILearnerReporter? reporter = null, bool prefetch = false)
    {
        using var x = Tensor.Rand([48, 3], new Generator(1));
        using var w = Tensor.From([2f, -3f, 0.5f], 3, 1);
        using var xw = x.MatMul(w);
        using var y = xw + 1;
        var train = new TensorDataset(x[..32].Contiguous(), y[..32].Contiguous());
        var valid = new TensorDataset(x[32..].Contiguous(), y[32..].Contiguous());
        var dls = new DataLoaders(new DataLoader(train, 8, shuffle: true, seed: 5, prefetch: prefetch), new DataLoader(valid, 8));
        var init = new Generator(initSeed);
        var model = new Sequential(new Linear(3, 8, generator: init), new ReLU(), new Dropout(0.2, new Generator(9)), new Linear(8, 1, generator: init));
        var mae = new Metric("mae", (p, t) => Functional.L1Loss(p, t));
        var learner = new Learner(dls, model, (_, lr) => Learner.FastaiAdam(model, lr), Functional.MseLoss, mae);
        if (reporter is null) learner.Verbose = false;
        else learner.Reporter = reporter;
        return learner;
    }

    /// <summary>Every parameter and buffer, by name, as raw bits.</summary>
    public static Dictionary<string, float[]> Weights(Learner learner) =>
        learner.Model.StateDict().ToDictionary(kv => kv.Key, kv => { using var t = kv.Value; return t.ToArray<float>(); });

    public static void AssertSameBits(Dictionary<string, float[]> expected, Dictionary<string, float[]> actual)
    {
        Xunit.Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (k, v) in expected)
            Xunit.Assert.True(v.Select(BitConverter.SingleToInt32Bits).SequenceEqual(actual[k].Select(BitConverter.SingleToInt32Bits)), $"{k} differs");
    }

    public static void AssertSameRecorder(Recorder expected, Recorder actual)
    {
        Xunit.Assert.Equal(expected.Names, actual.Names);
        Xunit.Assert.Equal(expected.Values.Count, actual.Values.Count);
        for (int i = 0; i < expected.Values.Count; i++) Xunit.Assert.Equal(Bits(expected.Values[i]), Bits(actual.Values[i]));
        Xunit.Assert.Equal(Bits(expected.Losses), Bits(actual.Losses));
        Xunit.Assert.Equal(Bits(expected.LearningRates), Bits(actual.LearningRates));
    }

    private static long[] Bits(IEnumerable<double> values) => values.Select(BitConverter.DoubleToInt64Bits).ToArray();
}

/// <summary>Calls a delegate at each event.</summary>
internal sealed class HookCallback(Action<string, Learner> hook) : Callback
{
    public override void BeforeFit(Learner learner) => hook("BeforeFit", learner);
    public override void AfterBatch(Learner learner) => hook("AfterBatch", learner);
    public override void AfterEpoch(Learner learner) => hook("AfterEpoch", learner);
    public override void AfterFit(Learner learner) => hook("AfterFit", learner);
}

/// <summary>An <see cref="IProgress{T}"/> that runs on the training thread (Progress&lt;T&gt; would post).</summary>
internal sealed class SyncProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress value) => report(value);
}

/// <summary>Writes down every call, one line each.</summary>
internal sealed class RecordingReporter : ILearnerReporter
{
    public List<string> Calls { get; } = new();
    public List<TrainingProgress> Batches { get; } = new();
    public List<double[]> Rows { get; } = new();

    public void FitStarted(IReadOnlyList<string> names, int firstEpoch, int epochs) => Calls.Add($"FitStarted {string.Join(",", names)} {firstEpoch} {epochs}");
    public void EpochStarted(int epoch, int batches) => Calls.Add($"EpochStarted {epoch} {batches}");
    public void BatchEnded(TrainingProgress progress)
    {
        Calls.Add($"BatchEnded {progress.Epoch} {progress.Batch}");
        Batches.Add(progress);
    }
    public void EpochEnded(int epoch, IReadOnlyList<double> values, TimeSpan elapsed)
    {
        Calls.Add($"EpochEnded {epoch}");
        Rows.Add(values.ToArray());
    }
    public void FitEnded(FitStatus status) => Calls.Add($"FitEnded {status}");
}
