namespace Tensors.NN;

// Batch normalisation: the weight folds into the per-channel inverse standard deviation, the input is centred once,
// reduced twice (mean, variance of the centred values) and scaled and shifted. With batch statistics the whole is
// differentiated as one op (Graph/BatchNormBackward.cs, PyTorch's formula); with running statistics it is a composite.
public static partial class Functional
{
    /// <summary>
    /// Normalises each channel (dim 1) of <paramref name="input"/> (PyTorch's <c>F.batch_norm</c>):
    /// (x - mean) / sqrt(var + eps) * weight + bias. In training the mean and biased variance are the batch's over
    /// every dim but 1, and the running statistics, when given, are updated in place (without gradient):
    /// running = (1 - momentum) running + momentum batch, with the unbiased variance. In evaluation the running
    /// statistics are used.
    /// </summary>
    /// <param name="input">A floating tensor [N, C, *].</param>
    /// <param name="runningMean">Null, or the running mean [C] (required when not training).</param>
    /// <param name="runningVar">Null, or the running variance [C] (required when not training).</param>
    /// <param name="weight">Null, or the scale [C]; default null.</param>
    /// <param name="bias">Null, or the shift [C]; default null.</param>
    /// <param name="training">True normalises with the batch's statistics and updates the running ones; default
    /// <c>false</c>.</param>
    /// <param name="momentum">The weight of the batch's statistics in the running update; default 0.1.</param>
    /// <param name="eps">Added to the variance for stability; default 1e-5.</param>
    /// <exception cref="ArgumentException">The input has fewer than 2 dims or is not floating point, a statistic,
    /// weight or bias does not have C elements, only one of the running statistics is given, they are missing in
    /// evaluation mode, or training sees a single value per channel.</exception>
    public static Tensor BatchNorm(Tensor input, Tensor? runningMean, Tensor? runningVar, Tensor? weight = null, Tensor? bias = null,
        bool training = false, double momentum = 0.1, double eps = 1e-5)
    {
        const string op = "BatchNorm";
        ArgumentNullException.ThrowIfNull(input);
        var shape = input.Layout.Shape;
        if (input.Rank < 2)
            throw new ArgumentException($"{op}: expected an input of 2 or more dims [N, C, *], got shape {Layout.Format(shape)}.");
        if (!input.DType.IsFloatingPoint())
            throw new ArgumentException($"{op}: input must be floating point, got {input.DType.Name()} (shape {Layout.Format(shape)}).");
        int c = shape[1];
        foreach (var (name, t) in new[] { ("running_mean", runningMean), ("running_var", runningVar), ("weight", weight), ("bias", bias) })
            if (t is not null && (t.Rank != 1 || t.Layout.Shape[0] != c))
                throw new ArgumentException($"{op}: {name} should contain {c} elements (shape [{c}]) for an input of shape {Layout.Format(shape)}, got shape {Layout.Format(t.Layout.Shape)}.");
        if (!training && (runningMean is null || runningVar is null))
            throw new ArgumentException($"{op}: running_mean and running_var must be defined in evaluation mode (training: false).");
        if ((runningMean is null) != (runningVar is null))
            throw new ArgumentException($"{op}: give both running_mean and running_var, or neither.");
        long perChannel = c == 0 ? 0 : (long)input.Numel / c;
        if (training && perChannel <= 1)
            throw new ArgumentException($"{op}: expected more than 1 value per channel when training, got input of shape {Layout.Format(shape)}.");

        var dims = Enumerable.Range(0, input.Rank).Where(d => d != 1).ToArray();
        var channelShape = Enumerable.Range(0, input.Rank).Select(d => d == 1 ? c : 1).ToArray();
        using var scope = Tensor.NewDisposeScope();
        if (!training)
        {
            // The running statistics are constants: a composite of a few broadcast ops.
            var inverse = (runningVar!.View(channelShape) + eps).Rsqrt();
            if (weight is not null) inverse = inverse * weight.View(channelShape);
            var normalised = (input - runningMean!.View(channelShape)) * inverse;
            return scope.MoveToOuter(bias is null ? normalised : normalised + bias.View(channelShape));
        }
        // Batch statistics: computed unrecorded and differentiated as one op (BatchNormBackward).
        bool record = Autograd.IsEnabled && (input.RequiresGrad || weight?.RequiresGrad == true || bias?.RequiresGrad == true);
        Tensor y, mean, invstd;
        using (Autograd.Suspend())
        {
            mean = input.Mean(dims, keepDim: true);
            var centered = input - mean;
            var variance = (centered * centered).Mean(dims, keepDim: true);
            if (runningMean is not null) UpdateRunningStats(runningMean, runningVar!, mean, variance, perChannel, momentum);
            invstd = (variance + eps).Rsqrt();
            var scale = weight is null ? invstd : invstd * weight.View(channelShape);
            y = centered * scale;
            if (bias is not null) y = y + bias.View(channelShape);
        }
        if (record) y.Record(new Graph.BatchNormBackward(input, weight, bias, mean, invstd, dims));
        return scope.MoveToOuter(y);
    }

    // running = (1 - momentum) running + momentum batch, the variance unbiased (n / (n - 1)); no gradient.
    private static void UpdateRunningStats(Tensor runningMean, Tensor runningVar, Tensor mean, Tensor variance, long n, double momentum)
    {
        using var noGrad = Autograd.NoGrad();
        using var scope = Tensor.NewDisposeScope();
        var m = mean.Detach().View(-1).To(runningMean.DType);
        var v = variance.Detach().View(-1).To(runningVar.DType);
        runningMean.Mul_(1 - momentum).Add_(m * momentum);
        runningVar.Mul_(1 - momentum).Add_(v * (momentum * n / (n - 1)));
    }
}
