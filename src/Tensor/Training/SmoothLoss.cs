namespace Tensors.Training;

/// <summary>fastai's <c>AvgSmoothLoss</c>: an exponential moving average of the batch losses with beta 0.98,
/// debiased (divided by 1 - beta^count) so that the first values are not pulled towards zero. The Learner's
/// train_loss, the learning-rate finder and <see cref="Recorder.PlotLoss"/> all smooth with it.</summary>
internal sealed class SmoothLoss
{
    /// <summary>fastai's beta.</summary>
    public const double Beta = 0.98;

    private double _average;
    private int _count;

    /// <summary>A fresh average, or one resumed from a checkpoint's <see cref="Average"/> after
    /// <paramref name="count"/> losses.</summary>
    public SmoothLoss(double average = 0, int count = 0) => (_average, _count) = (average, count);

    /// <summary>The moving average before debiasing: with the count, all a checkpoint needs to resume it.</summary>
    public double Average => _average;

    /// <summary>The smoothed loss so far (NaN before the first <see cref="Add"/>).</summary>
    public double Value => _count == 0 ? double.NaN : _average / (1 - Math.Pow(Beta, _count));

    /// <summary>Adds a batch's loss; returns the smoothed loss.</summary>
    public double Add(double loss)
    {
        _average = Beta * _average + (1 - Beta) * loss;
        _count++;
        return Value;
    }
}
