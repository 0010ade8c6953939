namespace Tensors.Training;

/// <summary>
/// Where a <see cref="Learner"/> reports a fit: the table's columns when it starts, each epoch's start, each
/// training batch, each epoch's row and how the fit ended. <see cref="ConsoleReporter"/> (the default) prints
/// fastai's table and, on an interactive terminal, a progress bar; <see cref="QuietReporter"/> prints nothing;
/// implement it to show training in a GUI, a log or a service. Calls come on the thread that runs the fit, in order:
/// <see cref="FitStarted"/>, then per epoch <see cref="EpochStarted"/>, <see cref="BatchEnded"/> per batch and
/// <see cref="EpochEnded"/>, and always <see cref="FitEnded"/> last (also when the fit is cancelled or fails).
/// </summary>
public interface ILearnerReporter
{
    /// <summary>A fit starts.</summary>
    /// <param name="names">The recorded columns: <c>train_loss</c>, <c>valid_loss</c>, then each metric's name
    /// (<see cref="Recorder.Names"/>).</param>
    /// <param name="firstEpoch">The first epoch this call trains (0, or later when resuming a checkpoint).</param>
    /// <param name="epochs">The fit's number of epochs.</param>
    void FitStarted(IReadOnlyList<string> names, int firstEpoch, int epochs);

    /// <summary>An epoch's training batches start.</summary>
    /// <param name="epoch">The epoch (0-based).</param>
    /// <param name="batches">The training batches it has.</param>
    void EpochStarted(int epoch, int batches);

    /// <summary>A training batch finished (after the optimizer step and the callbacks' <c>AfterBatch</c>).</summary>
    /// <param name="progress">Where the fit is and the batch's loss and learning rate.</param>
    void BatchEnded(TrainingProgress progress);

    /// <summary>An epoch was validated and its row recorded.</summary>
    /// <param name="epoch">The epoch (0-based).</param>
    /// <param name="values">The row, in the order of the names given to <see cref="FitStarted"/>.</param>
    /// <param name="elapsed">The epoch's time, training and validation.</param>
    void EpochEnded(int epoch, IReadOnlyList<double> values, TimeSpan elapsed);

    /// <summary>The fit ended, however it ended.</summary>
    /// <param name="status">Whether it ran all its epochs, was cancelled or failed.</param>
    void FitEnded(FitStatus status);
}

/// <summary>How a fit ended.</summary>
public enum FitStatus
{
    /// <summary>All its epochs ran.</summary>
    Completed,
    /// <summary>Its cancellation token was cancelled; it stopped after the batch in progress.</summary>
    Cancelled,
    /// <summary>An exception stopped it.</summary>
    Faulted,
}

/// <summary>Where a fit is, reported after every training batch (to <see cref="ILearnerReporter.BatchEnded"/> and to
/// the <see cref="IProgress{T}"/> given to <see cref="Learner.Fit"/> or <see cref="Learner.FitOneCycle"/>).</summary>
/// <param name="Epoch">The epoch (0-based).</param>
/// <param name="Epochs">The fit's number of epochs.</param>
/// <param name="Batch">The training batches done in this epoch, this one included (1 to <paramref name="Batches"/>).</param>
/// <param name="Batches">The training batches per epoch.</param>
/// <param name="Loss">This batch's loss.</param>
/// <param name="SmoothLoss">fastai's smoothed training loss so far this epoch (a debiased moving average with
/// beta 0.98); the epoch's <c>train_loss</c> is its last value.</param>
/// <param name="LearningRate">The learning rate this batch was trained with (of the first parameter group).</param>
public sealed record TrainingProgress(int Epoch, int Epochs, int Batch, int Batches, double Loss, double SmoothLoss, double LearningRate)
{
    /// <summary>The fraction of the fit's batches done, in (0, 1].</summary>
    public double Fraction => (Epoch * (double)Batches + Batch) / ((double)Epochs * Batches);
}

/// <summary>Reports nothing: a learner with it trains silently, as with <see cref="Learner.Verbose"/> false.</summary>
public sealed class QuietReporter : ILearnerReporter
{
    private QuietReporter() { }

    /// <summary>The one instance.</summary>
    public static QuietReporter Instance { get; } = new();

    /// <inheritdoc />
    public void FitStarted(IReadOnlyList<string> names, int firstEpoch, int epochs) { }
    /// <inheritdoc />
    public void EpochStarted(int epoch, int batches) { }
    /// <inheritdoc />
    public void BatchEnded(TrainingProgress progress) { }
    /// <inheritdoc />
    public void EpochEnded(int epoch, IReadOnlyList<double> values, TimeSpan elapsed) { }
    /// <inheritdoc />
    public void FitEnded(FitStatus status) { }
}
