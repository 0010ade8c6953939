namespace Tensors.NN;

/// <summary>
/// Batch normalisation over dim 1 (PyTorch's <c>_BatchNorm</c>), the common part of <see cref="BatchNorm1d"/> and
/// <see cref="BatchNorm2d"/>: a learned scale <c>weight</c> (ones) and shift <c>bias</c> (zeros) when affine, and the
/// buffers <c>running_mean</c> (zeros), <c>running_var</c> (ones) and <c>num_batches_tracked</c> (an Int64 count)
/// when tracking running statistics, under PyTorch's state-dict names. See <see cref="Functional.BatchNorm"/>.
/// </summary>
public abstract class BatchNormBase : Module
{
    /// <summary>Creates the layer.</summary>
    /// <param name="numFeatures">The number of channels C (dim 1 of the input).</param>
    /// <param name="eps">Added to the variance for stability.</param>
    /// <param name="momentum">The weight of a batch's statistics in the running update; null means a cumulative
    /// (equal-weight) average over the batches seen.</param>
    /// <param name="affine">False leaves out the weight and bias.</param>
    /// <param name="trackRunningStats">False keeps no running statistics: batch statistics are used in evaluation
    /// too.</param>
    /// <exception cref="ArgumentException"><paramref name="numFeatures"/> is not positive.</exception>
    protected BatchNormBase(int numFeatures, double eps, double? momentum, bool affine, bool trackRunningStats)
    {
        if (numFeatures <= 0)
            throw new ArgumentException($"{GetType().Name}: numFeatures must be positive, got {numFeatures}.", nameof(numFeatures));
        NumFeatures = numFeatures;
        Eps = eps;
        Momentum = momentum;
        if (affine)
        {
            Weight = Parameter("weight", Tensor.Ones(numFeatures));
            Bias = Parameter("bias", Tensor.Zeros(numFeatures));
        }
        if (trackRunningStats)
        {
            RunningMean = RegisterBuffer("running_mean", Tensor.Zeros(numFeatures));
            RunningVar = RegisterBuffer("running_var", Tensor.Ones(numFeatures));
            NumBatchesTracked = RegisterBuffer("num_batches_tracked", Tensor.Zeros([], DType.Int64));
        }
    }

    /// <summary>The number of channels.</summary>
    public int NumFeatures { get; }

    /// <summary>Added to the variance for stability.</summary>
    public double Eps { get; }

    /// <summary>The weight of a batch's statistics in the running update; null for a cumulative average.</summary>
    public double? Momentum { get; }

    /// <summary>The scale [C]; null when not affine.</summary>
    public Tensor? Weight { get; }

    /// <summary>The shift [C]; null when not affine.</summary>
    public Tensor? Bias { get; }

    /// <summary>The running mean [C] (buffer <c>running_mean</c>); null when not tracking running statistics.</summary>
    public Tensor? RunningMean { get; }

    /// <summary>The running (unbiased) variance [C] (buffer <c>running_var</c>); null when not tracking.</summary>
    public Tensor? RunningVar { get; }

    /// <summary>The number of training batches seen, a 0-d Int64 (buffer <c>num_batches_tracked</c>); null when
    /// not tracking.</summary>
    public Tensor? NumBatchesTracked { get; }

    /// <summary>Throws unless <paramref name="input"/> has a rank this layer accepts.</summary>
    /// <param name="input">The forward pass's input.</param>
    protected abstract void CheckInputDim(Tensor input);

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckInputDim(input);
        double factor = Momentum ?? 0;
        if (IsTraining && NumBatchesTracked is not null)
        {
            using (Autograd.NoGrad()) NumBatchesTracked.Add_(1);
            // The cumulative average reads the count (one synchronisation on CUDA); PyTorch does the same.
            if (Momentum is null) factor = 1.0 / NumBatchesTracked.Item<long>();
        }
        // Batch statistics in training, and always without running statistics.
        bool useBatch = IsTraining || RunningMean is null;
        return Functional.BatchNorm(input, RunningMean, RunningVar, Weight, Bias, useBatch, factor, Eps);
    }
}

/// <summary>Batch normalisation of [N, C] or [N, C, L] inputs (PyTorch's <c>nn.BatchNorm1d</c>); see <see cref="BatchNormBase"/>.</summary>
/// <param name="numFeatures">The number of channels C.</param>
/// <param name="eps">Added to the variance for stability; default 1e-5.</param>
/// <param name="momentum">The weight of a batch's statistics in the running update; null for a cumulative average;
/// default 0.1.</param>
/// <param name="affine">False leaves out the weight and bias; default <c>true</c>.</param>
/// <param name="trackRunningStats">False keeps no running statistics; default <c>true</c>.</param>
public sealed class BatchNorm1d(int numFeatures, double eps = 1e-5, double? momentum = 0.1, bool affine = true, bool trackRunningStats = true)
    : BatchNormBase(numFeatures, eps, momentum, affine, trackRunningStats)
{
    /// <inheritdoc />
    protected override void CheckInputDim(Tensor input)
    {
        if (input.Rank is not (2 or 3))
            throw new ArgumentException($"BatchNorm1d: expected 2D or 3D input [N, C] or [N, C, L] (got {input.Rank}D input of shape {Layout.Format(input.Layout.Shape)}).");
    }
}

/// <summary>Batch normalisation of [N, C, H, W] inputs (PyTorch's <c>nn.BatchNorm2d</c>); see <see cref="BatchNormBase"/>.</summary>
/// <param name="numFeatures">The number of channels C.</param>
/// <param name="eps">Added to the variance for stability; default 1e-5.</param>
/// <param name="momentum">The weight of a batch's statistics in the running update; null for a cumulative average;
/// default 0.1.</param>
/// <param name="affine">False leaves out the weight and bias; default <c>true</c>.</param>
/// <param name="trackRunningStats">False keeps no running statistics; default <c>true</c>.</param>
public sealed class BatchNorm2d(int numFeatures, double eps = 1e-5, double? momentum = 0.1, bool affine = true, bool trackRunningStats = true)
    : BatchNormBase(numFeatures, eps, momentum, affine, trackRunningStats)
{
    /// <inheritdoc />
    protected override void CheckInputDim(Tensor input)
    {
        if (input.Rank != 4)
            throw new ArgumentException($"BatchNorm2d: expected 4D input [N, C, H, W] (got {input.Rank}D input of shape {Layout.Format(input.Layout.Shape)}).");
    }
}
