using Tensors.Data;
using Tensors.Optim;

namespace Tensors.Training;

// fastai's learning-rate finder (fastai.callback.schedule: LRFinder and Learner.lr_find).
public sealed partial class Learner
{
    /// <summary>
    /// fastai's <c>learn.lr_find()</c>: trains for up to <paramref name="numIt"/> batches with the learning rate
    /// growing exponentially from <paramref name="startLr"/> towards <paramref name="endLr"/> (batch i uses
    /// <c>startLr * (endLr / startLr)^(i / numIt)</c>), recording the smoothed training loss (the debiased moving
    /// average with beta 0.98 that the table's train_loss uses), and stops early when that loss exceeds four times
    /// its minimum so far (divergence). Then it puts back the model's parameters and buffers, its training mode and
    /// the optimizer's state and hyperparameters exactly as they were: the model is unchanged, and the
    /// <see cref="Recorder"/> is not written to. The optimizer is made first when fitting has not started. Callbacks
    /// are not run, and nothing is printed. The training loader's shuffling and any dropout draw from their random
    /// streams as in training (fastai puts the random states back; this does not).
    /// </summary>
    /// <param name="startLr">The first learning rate (fastai's default 1e-7).</param>
    /// <param name="endLr">The learning rate the sweep grows towards (fastai's default 10).</param>
    /// <param name="numIt">The number of batches (fastai's default 100), over as many epochs of the training loader
    /// as that takes.</param>
    /// <param name="stopDiv">True (the default) to stop when the smoothed loss exceeds four times its minimum, or is
    /// NaN or infinite.</param>
    /// <returns>The curve and fastai's suggestions (<see cref="LrFindResult.Minimum"/>,
    /// <see cref="LrFindResult.Steep"/>, <see cref="LrFindResult.Valley"/>); <see cref="LrFindResult.Plot"/> draws
    /// it.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="startLr"/> is not positive,
    /// <paramref name="endLr"/> is not above it, or <paramref name="numIt"/> is not positive.</exception>
    /// <exception cref="InvalidOperationException">The training loader has no batches.</exception>
    public LrFindResult LrFind(double startLr = 1e-7, double endLr = 10, int numIt = 100, bool stopDiv = true)
    {
        if (!(startLr > 0) || double.IsInfinity(startLr))
            throw new ArgumentOutOfRangeException(nameof(startLr), startLr, "LrFind: startLr must be a positive, finite learning rate.");
        if (!(endLr > startLr) || double.IsInfinity(endLr))
            throw new ArgumentOutOfRangeException(nameof(endLr), endLr, $"LrFind: endLr must be finite and above startLr ({startLr}).");
        if (numIt <= 0) throw new ArgumentOutOfRangeException(nameof(numIt), numIt, "LrFind: numIt must be positive (fastai's default is 100).");
        if (Dls.Train.Count == 0)
            throw new InvalidOperationException(
                $"LrFind: the training loader has no batches ({Dls.Train.Dataset.Count} items, batch size {Dls.Train.BatchSize}); give it data or a smaller batch size.");
        Optimizer ??= OptimizerFactory(Model.Parameters(), startLr);
        var lrs = new List<double>();
        var losses = new List<double>();
        var modelState = Snapshot(Model.StateDict());
        var optimizerState = Snapshot(Optimizer.StateDict());
        bool training = Model.IsTraining;
        try
        {
            Model.Train();
            Sweep(startLr, endLr, numIt, stopDiv, lrs, losses);
        }
        finally
        {
            Optimizer.ZeroGrad();
            Model.LoadStateDict(modelState);
            Optimizer.LoadStateDict(optimizerState);
            Model.Train(training);
            foreach (var t in modelState.Values.Concat(optimizerState.Tensors.Values)) t.Dispose();
        }
        return new LrFindResult(lrs, losses, numIt);
    }

    // The sweep itself: fastai's LRFinder with the Recorder's smoothed loss.
    private void Sweep(double startLr, double endLr, int numIt, bool stopDiv, List<double> lrs, List<double> losses)
    {
        var smoothLoss = new SmoothLoss();
        double best = double.PositiveInfinity;
        while (true)
            foreach (var raw in Dls.Train)
            {
                var batch = DataLoader.MoveTo(raw, Model.Device);
                double loss;
                int i = lrs.Count;
                Optimizer!.LearningRate = startLr * Math.Pow(endLr / startLr, (double)i / numIt);
                using (DisposeScope.Enter()) loss = TrainBatch(batch);
                batch.Input.Dispose();
                batch.Target.Dispose();
                double smooth = smoothLoss.Add(loss);
                lrs.Add(Optimizer.LearningRate);
                losses.Add(smooth);
                best = Math.Min(best, smooth);
                // Leaving the loop early disposes the loader's enumerator, which disposes a prefetched batch.
                if (stopDiv && (smooth > 4 * best || !double.IsFinite(smooth))) return;
                if (lrs.Count >= numIt) return;
            }
    }

    // Copies of a state's tensors (StateDict's share the live parameters' memory), so that training cannot touch them.
    private static OrderedDictionary<string, Tensor> Snapshot(OrderedDictionary<string, Tensor> state)
    {
        var copy = new OrderedDictionary<string, Tensor>();
        foreach (var (name, t) in state)
        {
            copy[name] = t.Clone();
            t.Dispose();
        }
        return copy;
    }

    private static SavedState Snapshot(SavedState state)
    {
        var copy = new SavedState();
        foreach (var (key, value) in state.Values) copy.Values[key] = value;
        foreach (var (key, t) in state.Tensors) copy.Tensors[key] = t.Clone();
        return copy;
    }
}
