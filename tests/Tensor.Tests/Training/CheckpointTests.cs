using Tensors.NN;
using Tensors.Training;
using Xunit;
using static Tensors.Tests.Training.TrainingTestKit;

namespace Tensors.Tests.Training;

/// <summary>Learner checkpoints: a fit stopped after an epoch, saved, loaded into a fresh learner and resumed ends
/// bit for bit where the fit run straight through ends.</summary>
[Collection(DefaultGeneratorCollection.Name)]
public class CheckpointTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("learner-checkpoint").FullName;

    public void Dispose()
    {
        Directory.Delete(_dir, recursive: true);
        GC.SuppressFinalize(this);
    }

    private string File(string name) => Path.Combine(_dir, name);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void SaveAfterOneEpochLoadIntoAFreshLearnerAndResumeMatchesTwoEpochsStraight(bool oneCycle)
    {
        void Train(Learner l, CancellationToken t = default)
        {
            if (oneCycle) l.FitOneCycle(2, 0.01, cancellationToken: t);
            else l.Fit(2, 0.01, cancellationToken: t);
        }
        var straight = Make();
        Train(straight);

        var first = Make();
        using var cts = new CancellationTokenSource();
        first.Callbacks.Add(new HookCallback((e, l) =>
        {
            if (e != "AfterEpoch" || l.Epoch != 0) return;
            l.SaveCheckpoint(File("ckpt.safetensors"));
            cts.Cancel();
        }));
        Assert.ThrowsAny<OperationCanceledException>(() => Train(first, cts.Token));
        Assert.Single(first.Recorder.Values);
        first.Model.Dispose();

        var reporter = new RecordingReporter();
        var resumed = Make(initSeed: 77, reporter: reporter);   // other initial weights: the checkpoint replaces them
        resumed.LoadCheckpoint(File("ckpt.safetensors"));
        Assert.Equal(1, resumed.Epoch);
        resumed.Resume();

        AssertSameBits(Weights(straight), Weights(resumed));
        AssertSameRecorder(straight.Recorder, resumed.Recorder);
        Assert.Equal($"FitStarted train_loss,valid_loss,mae 1 2", reporter.Calls[0]);
        Assert.Equal(Batches, reporter.Batches.Count);
        Assert.Contains("ran all its 2 epoch", Assert.Throws<InvalidOperationException>(() => resumed.Resume()).Message);
    }

    [Theory]
    [InlineData(true, 6, false)]   // in the middle of the second epoch
    [InlineData(false, 3, true)]   // in the middle of the first, with a prefetching loader
    [InlineData(true, 4, true)]    // after the first epoch's last batch, before its validation
    public void CancelInTheMiddleOfAnEpochSaveLoadAndResumeMatchesTheFitStraight(bool oneCycle, int n, bool prefetch)
    {
        void Train(Learner l, IProgress<TrainingProgress>? p = null, CancellationToken t = default)
        {
            if (oneCycle) l.FitOneCycle(2, 0.01, p, t);
            else l.Fit(2, 0.01, p, t);
        }
        var straight = Make(prefetch: prefetch);
        Train(straight);

        var first = Make(prefetch: prefetch);
        using var cts = new CancellationTokenSource();
        Assert.ThrowsAny<OperationCanceledException>(() => Train(first, new SyncProgress(r =>
        {
            if (r.Epoch * r.Batches + r.Batch == n) cts.Cancel();
        }), cts.Token));
        Assert.Equal(n, first.Recorder.Losses.Count);
        first.SaveCheckpoint(File("mid.safetensors"));

        var reports = new List<TrainingProgress>();
        var resumed = Make(initSeed: 11, prefetch: prefetch);
        resumed.LoadCheckpoint(File("mid.safetensors"));
        resumed.Resume(new SyncProgress(reports.Add));

        AssertSameBits(Weights(straight), Weights(resumed));
        AssertSameRecorder(straight.Recorder, resumed.Recorder);
        Assert.Equal(2 * Batches - n, reports.Count);
        Assert.Equal(n % Batches + 1, reports[0].Batch);
    }

    [Fact]
    public void ACheckpointForOtherDataIsRefused()
    {
        var learner = Make();
        learner.Fit(1, 0.01);
        learner.SaveCheckpoint(File("four.safetensors"));
        var other = Make();
        var fewer = new Learner(new Tensors.Data.DataLoaders(new Tensors.Data.DataLoader(other.Dls.Train.Dataset, 16, shuffle: true, seed: 5), other.Dls.Valid),
            other.Model, other.OptimizerFactory, other.LossFunction, [.. other.Metrics]) { Verbose = false };
        var ex = Assert.Throws<InvalidDataException>(() => fewer.LoadCheckpoint(File("four.safetensors")));
        Assert.Contains("4 training batches per epoch", ex.Message);
        Assert.Contains("has 2", ex.Message);
        var reseeded = new Learner(new Tensors.Data.DataLoaders(new Tensors.Data.DataLoader(other.Dls.Train.Dataset, 8, shuffle: true, seed: 6), other.Dls.Valid),
            other.Model, other.OptimizerFactory, other.LossFunction, [.. other.Metrics]) { Verbose = false };
        Assert.Contains("seeded 5, but this learner's is seeded 6", Assert.Throws<InvalidDataException>(() => reseeded.LoadCheckpoint(File("four.safetensors"))).Message);
    }

    [Fact]
    public void ACheckpointAfterAFitThenAnotherFitMatchesTwoFitsInARow()
    {
        var straight = Make();
        straight.Fit(1, 0.01);
        straight.Fit(1, 0.02);

        var first = Make();
        first.Fit(1, 0.01);
        first.SaveCheckpoint(File("after.safetensors"));
        var resumed = Make(initSeed: 5);
        resumed.LoadCheckpoint(File("after.safetensors"));
        resumed.Fit(1, 0.02);

        AssertSameBits(Weights(straight), Weights(resumed));
        AssertSameRecorder(straight.Recorder, resumed.Recorder);
    }

    [Fact]
    public void ACheckpointBeforeAnyFitHasNoOptimizer()
    {
        var learner = Make();
        learner.SaveCheckpoint(File("fresh.safetensors"));
        var other = Make(initSeed: 8);
        other.Fit(1, 0.01);
        other.LoadCheckpoint(File("fresh.safetensors"));
        Assert.Null(other.Optimizer);
        Assert.Empty(other.Recorder.Losses);
        AssertSameBits(Weights(learner), Weights(other));
        Assert.Contains("no fit to resume", Assert.Throws<InvalidOperationException>(() => other.Resume()).Message);
    }

    [Fact]
    public void BadFilesGiveClearErrorsAndChangeNothing()
    {
        var learner = Make();
        learner.Fit(1, 0.01);
        var before = Weights(learner);

        var missing = Assert.Throws<FileNotFoundException>(() => learner.LoadCheckpoint(File("nope.safetensors")));
        Assert.Contains("nope.safetensors", missing.Message);

        learner.Model.Save(File("model.safetensors"));
        Assert.Contains("not a Learner checkpoint", Assert.Throws<InvalidDataException>(() => learner.LoadCheckpoint(File("model.safetensors"))).Message);

        System.IO.File.WriteAllText(File("junk.safetensors"), "not safetensors at all");
        Assert.Throws<InvalidDataException>(() => learner.LoadCheckpoint(File("junk.safetensors")));

        // Another model: names and shapes do not fit.
        var wide = new Learner(learner.Dls, new Sequential(new Linear(3, 4), new ReLU(), new Dropout(0.2, new Generator(9)), new Linear(4, 1)),
            (ps, lr) => new Tensors.Optim.SGD(ps, lr), Functional.MseLoss, new Metric("mae", (p, t) => Functional.L1Loss(p, t))) { Verbose = false };
        wide.SaveCheckpoint(File("wide.safetensors"));
        Assert.Contains("does not fit this learner's model", Assert.Throws<InvalidDataException>(() => learner.LoadCheckpoint(File("wide.safetensors"))).Message);

        // The same model with another optimizer: the model is put back as it was.
        var sgd = new Learner(learner.Dls, Make(initSeed: 3).Model, (ps, lr) => new Tensors.Optim.SGD(ps, lr), Functional.MseLoss,
            new Metric("mae", (p, t) => Functional.L1Loss(p, t))) { Verbose = false };
        sgd.Fit(1, 0.01);
        sgd.SaveCheckpoint(File("sgd.safetensors"));
        Assert.Contains("does not fit this learner's optimizer", Assert.Throws<InvalidDataException>(() => learner.LoadCheckpoint(File("sgd.safetensors"))).Message);
        AssertSameBits(before, Weights(learner));
        Assert.Single(learner.Recorder.Values);
    }

    [Fact]
    public void SavingOverAnEarlierCheckpointLeavesNoTempFiles()
    {
        var learner = Make();
        learner.Fit(1, 0.01);
        learner.SaveCheckpoint(File("c.safetensors"));
        learner.Fit(1, 0.01);
        learner.SaveCheckpoint(File("c.safetensors"));
        Assert.Equal(["c.safetensors"], Directory.GetFiles(_dir).Select(Path.GetFileName));
        var other = Make(initSeed: 4);
        other.LoadCheckpoint(File("c.safetensors"));
        AssertSameBits(Weights(learner), Weights(other));
        Assert.Equal(2, other.Recorder.Values.Count);
    }
}
