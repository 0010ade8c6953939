using Tensors.Training;
using Xunit;
using static Tensors.Tests.Training.TrainingTestKit;

namespace Tensors.Tests.Training;

/// <summary>Fit and FitOneCycle driven without the console: cancellation between batches and progress reports.</summary>
public class CancellationAndProgressTests
{
    [Theory]
    [InlineData(true, 3)]   // inside the first epoch
    [InlineData(true, 6)]   // inside the second
    [InlineData(false, 5)]
    [InlineData(true, 4)]   // after the first epoch's last batch: not validated
    public void CancellingAfterNBatchesRunsExactlyNAndLeavesTheWeightsOfNBatches(bool oneCycle, int n)
    {
        // The reference: the same fit, uncancelled, with the weights copied after batch n.
        Dictionary<string, float[]>? atN = null;
        var reference = Make();
        reference.Callbacks.Add(new HookCallback((e, l) =>
        {
            if (e == "AfterBatch" && l.Recorder.Losses.Count == n) atN = Weights(l);
        }));
        void Train(Learner l, IProgress<TrainingProgress>? p = null, CancellationToken t = default)
        {
            if (oneCycle) l.FitOneCycle(2, 0.01, p, t);
            else l.Fit(2, 0.01, p, t);
        }
        Train(reference);

        var reporter = new RecordingReporter();
        var learner = Make(reporter: reporter);
        int afterFit = 0;
        learner.Callbacks.Add(new HookCallback((e, _) => afterFit += e == "AfterFit" ? 1 : 0));
        using var cts = new CancellationTokenSource();
        int seen = 0;
        var ex = Assert.ThrowsAny<OperationCanceledException>(() => Train(learner, new SyncProgress(_ =>
        {
            if (++seen == n) cts.Cancel();
        }), cts.Token));

        Assert.Equal(cts.Token, ex.CancellationToken);
        Assert.Equal(n, seen);
        Assert.Equal(n, learner.Recorder.Losses.Count);
        Assert.Equal(n, learner.Recorder.LearningRates.Count);
        Assert.Equal((n - 1) / Batches, learner.Recorder.Values.Count); // only epochs that were validated (not one cancelled after its last batch)
        Assert.Equal(reference.Recorder.Losses.Take(n), learner.Recorder.Losses);
        AssertSameBits(atN!, Weights(learner));
        Assert.Equal(1, afterFit);
        Assert.Equal("FitEnded Cancelled", reporter.Calls[^1]);
        Assert.Equal((n - 1) / Batches, learner.Epoch);

        // Resumed in place, the fit ends where it would have ended uncancelled.
        learner.Resume();
        AssertSameBits(Weights(reference), Weights(learner));
        AssertSameRecorder(reference.Recorder, learner.Recorder);
    }

    [Fact]
    public void ATokenCancelledBeforeTheCallTrainsNothing()
    {
        var learner = Make();
        var before = Weights(learner);
        Assert.ThrowsAny<OperationCanceledException>(() => learner.FitOneCycle(1, 0.01, cancellationToken: new CancellationToken(true)));
        Assert.Empty(learner.Recorder.Losses);
        AssertSameBits(before, Weights(learner));
    }

    [Fact]
    public void CancellingAfterTheLastBatchOfTheFitIsNotACancellation()
    {
        var learner = Make();
        using var cts = new CancellationTokenSource();
        learner.Callbacks.Add(new HookCallback((e, l) =>
        {
            if (e == "AfterEpoch" && l.Epoch == 1) cts.Cancel();
        }));
        learner.Fit(2, 0.01, cancellationToken: cts.Token);
        Assert.Equal(2, learner.Recorder.Values.Count);
    }

    [Fact]
    public void ProgressReportsEveryBatchWithTheRecordersValues()
    {
        var reports = new List<TrainingProgress>();
        var learner = Make();
        learner.FitOneCycle(2, 0.01, new SyncProgress(reports.Add));
        Assert.Equal(2 * Batches, reports.Count);
        for (int i = 0; i < reports.Count; i++)
        {
            var r = reports[i];
            Assert.Equal((i / Batches, 2, i % Batches + 1, Batches), (r.Epoch, r.Epochs, r.Batch, r.Batches));
            Assert.Equal(learner.Recorder.Losses[i], r.Loss);
            Assert.Equal(learner.Recorder.LearningRates[i], r.LearningRate);
            Assert.Equal((i + 1) / (2.0 * Batches), r.Fraction, 12);
        }
        // The debiased average of one value is that value; the epoch's last is its train_loss.
        Assert.Equal(reports[0].Loss, reports[0].SmoothLoss, 12);
        double second = (0.98 * 0.02 * reports[0].Loss + 0.02 * reports[1].Loss) / (1 - 0.98 * 0.98);
        Assert.Equal(second, reports[1].SmoothLoss, 12);
        Assert.Equal(learner.Recorder.Values[0][0], reports[Batches - 1].SmoothLoss);
        Assert.Equal(learner.Recorder.Values[1][0], reports[^1].SmoothLoss);
        // One-cycle starts at maxLr / 25 and rises.
        Assert.Equal(0.01 / 25, reports[0].LearningRate, 12);
        Assert.True(reports[1].LearningRate > reports[0].LearningRate);
    }

    [Fact]
    public void TheReporterHearsEveryEventInOrder()
    {
        var reporter = new RecordingReporter();
        var learner = Make(reporter: reporter);
        learner.Fit(2, 0.01);
        string[] epoch(int e) => [$"EpochStarted {e} {Batches}", .. Enumerable.Range(1, Batches).Select(b => $"BatchEnded {e} {b}"), $"EpochEnded {e}"];
        Assert.Equal(["FitStarted train_loss,valid_loss,mae 0 2", .. epoch(0), .. epoch(1), "FitEnded Completed"], reporter.Calls);
        Assert.Equal(learner.Recorder.Values, reporter.Rows);

        learner.Verbose = false;   // Verbose false: the reporter is not called at all
        learner.Fit(1, 0.01);
        Assert.Equal(2 + 2 * (Batches + 2), reporter.Calls.Count);
        Assert.Throws<ArgumentNullException>(() => learner.Reporter = null!);
    }

    [Fact]
    public void AFailingFitTellsTheReporter()
    {
        var reporter = new RecordingReporter();
        var learner = Make(reporter: reporter);
        learner.Callbacks.Add(new HookCallback((e, l) =>
        {
            if (e == "AfterBatch" && l.Recorder.Losses.Count == 2) throw new InvalidDataException("boom");
        }));
        Assert.Throws<InvalidDataException>(() => learner.Fit(1, 0.01));
        Assert.Equal("FitEnded Faulted", reporter.Calls[^1]);
    }
}
