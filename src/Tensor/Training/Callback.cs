namespace Tensors.Training;

/// <summary>Hooks into <see cref="Learner"/>'s loop (fastai's callbacks); override the events you need.</summary>
public abstract class Callback
{
    /// <summary>Before the first epoch.</summary>
    /// <param name="learner">The learner that is fitting.</param>
    public virtual void BeforeFit(Learner learner) { }
    /// <summary>Before each epoch's training batches.</summary>
    /// <param name="learner">The learner that is fitting.</param>
    public virtual void BeforeEpoch(Learner learner) { }
    /// <summary>Before each training batch's forward pass; <see cref="Learner.Batch"/> is set.</summary>
    /// <param name="learner">The learner that is fitting.</param>
    public virtual void BeforeBatch(Learner learner) { }
    /// <summary>After each training batch's optimizer step; <see cref="Learner.Loss"/> holds the batch loss.</summary>
    /// <param name="learner">The learner that is fitting.</param>
    public virtual void AfterBatch(Learner learner) { }
    /// <summary>After each epoch's validation, once its row is recorded.</summary>
    /// <param name="learner">The learner that is fitting.</param>
    public virtual void AfterEpoch(Learner learner) { }
    /// <summary>After the last epoch.</summary>
    /// <param name="learner">The learner that is fitting.</param>
    public virtual void AfterFit(Learner learner) { }
}

/// <summary>A named measure of predictions against targets, averaged over the validation set weighted by batch
/// size (fastai's AvgMetric).</summary>
/// <param name="Name">The column name, e.g. <c>batch_accuracy</c>.</param>
/// <param name="Compute">Returns a one-element tensor for a batch.</param>
public sealed record Metric(string Name, Func<Tensor, Tensor, Tensor> Compute)
{
    /// <summary>fastai's <c>accuracy</c>: the share of rows whose highest score (argmax over the last dim) is the
    /// target class.</summary>
    public static Metric Accuracy { get; } = new("accuracy", (predictions, targets) =>
    {
        using var predicted = predictions.ArgMax(-1);
        using var correct = predicted.Eq(targets);
        using var f = correct.To(DType.Float32);
        return f.Mean();
    });
}

/// <summary>What a fit recorded (fastai's Recorder).</summary>
public sealed partial class Recorder
{
    /// <summary>The names of <see cref="Values"/>' columns: train_loss, valid_loss, then each metric.</summary>
    public List<string> Names { get; } = new();

    /// <summary>One row per epoch, in the order of <see cref="Names"/> (fastai's <c>recorder.values</c>).</summary>
    public List<double[]> Values { get; } = new();

    /// <summary>The loss of every training batch.</summary>
    public List<double> Losses { get; } = new();

    /// <summary>The learning rate used for every training batch.</summary>
    public List<double> LearningRates { get; } = new();

    /// <summary>Replaces everything with <paramref name="other"/>'s values (a loaded checkpoint's).</summary>
    internal void Replace(Recorder other)
    {
        Names.Clear();
        Names.AddRange(other.Names);
        Values.Clear();
        Values.AddRange(other.Values);
        Losses.Clear();
        Losses.AddRange(other.Losses);
        LearningRates.Clear();
        LearningRates.AddRange(other.LearningRates);
        Iterations.Clear();
        Iterations.AddRange(other.Iterations);
    }
}
