using Tensors.NN;

namespace Tensors.Models;

/// <summary>fastai's <c>create_head</c> for a CNN body, as <c>cnn_learner</c> builds it with its defaults.</summary>
public static class FastaiHead
{
    /// <summary>
    /// fastai's default head: <see cref="AdaptiveConcatPool2d"/> (so 2 x <paramref name="bodyFeatures"/> features),
    /// Flatten, then for each linear layer BatchNorm1d, Dropout and a Linear without bias (the batch norm before it
    /// shifts), with a ReLU between: BatchNorm1d(2nf), Dropout(ps/2), Linear(2nf, 512), ReLU, BatchNorm1d(512),
    /// Dropout(ps), Linear(512, nOut). The linear weights are kaiming_normal_ (fastai's <c>apply_init</c>; batch
    /// norms keep weight 1 and bias 0). Module indices are fastai's, so state dicts load.
    /// </summary>
    /// <param name="bodyFeatures">The channels out of the body (512 for ResNet-18).</param>
    /// <param name="nOut">The outputs (classes).</param>
    /// <param name="hidden">The width of the hidden linear layer (fastai's <c>lin_ftrs=[512]</c>); default 512.</param>
    /// <param name="ps">The dropout of the last linear layer; the ones before have half of it; default 0.5.</param>
    /// <param name="generator">The random stream for the init and the dropout masks (default: <see cref="Generator.Default"/>).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bodyFeatures"/>, <paramref name="nOut"/> or
    /// <paramref name="hidden"/> is not positive.</exception>
    public static Sequential Create(int bodyFeatures, int nOut, int hidden = 512, double ps = 0.5, Generator? generator = null)
    {
        if (bodyFeatures < 1 || nOut < 1 || hidden < 1)
            throw new ArgumentOutOfRangeException(nameof(bodyFeatures),
                $"FastaiHead.Create: bodyFeatures ({bodyFeatures}), nOut ({nOut}) and hidden ({hidden}) must be positive.");
        int nf = 2 * bodyFeatures;
        var first = new Linear(nf, hidden, bias: false, generator: generator);
        var last = new Linear(hidden, nOut, bias: false, generator: generator);
        using (Autograd.NoGrad())
            foreach (var lin in new[] { first, last }) Init.KaimingNormal_(lin.Weight, generator: generator);
        return new Sequential(new AdaptiveConcatPool2d(), new Flatten(),
            new BatchNorm1d(nf), new Dropout(ps / 2, generator), first, new ReLU(),
            new BatchNorm1d(hidden), new Dropout(ps, generator), last);
    }
}

/// <summary>fastai's <c>AdaptiveConcatPool2d</c>: the adaptive max pool and the adaptive average pool to
/// <see cref="OutputSize"/>, concatenated along the channels (max first), so a head sees both.</summary>
/// <param name="outputSize">The pooled height and width; default 1.</param>
public sealed class AdaptiveConcatPool2d(int outputSize = 1) : Module
{
    /// <summary>The pooled height and width.</summary>
    public int OutputSize { get; } = outputSize;

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        using var max = Functional.AdaptiveMaxPool2d(input, OutputSize);
        using var avg = Functional.AdaptiveAvgPool2d(input, OutputSize);
        return Tensor.Cat([max, avg], 1);
    }
}
