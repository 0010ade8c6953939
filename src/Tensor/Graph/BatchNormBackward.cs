namespace Tensors.Graph;

/// <summary>
/// Batch normalisation with batch statistics (PyTorch's <c>native_batch_norm</c>), y = (x - mean) * invstd * w + b
/// per channel, differentiated as one op, as PyTorch's <c>batchnorm_backward</c> does: with dot = sum(g * (x - mean))
/// and the sums over every dim but the channel's (n values each),
/// dx = (g - sum(g) / n - (x - mean) * invstd^2 * dot / n) * invstd * w, dw = dot * invstd, db = sum(g).
/// Two reductions and one elementwise pass, where the composite's graph (mean, centring, variance, scaling) took
/// about a dozen ops.
/// </summary>
internal sealed class BatchNormBackward : Node
{
    private readonly Tensor _x, _mean, _invstd;
    private readonly Tensor? _weight, _bias;
    private readonly int[] _dims;
    private readonly int[] _channelShape;
    private readonly long _n;
    private readonly bool _needX, _needWeight, _needBias;

    /// <param name="x">The input [N, C, *].</param>
    /// <param name="weight">The per-channel weight [C], or null.</param>
    /// <param name="bias">The per-channel bias [C], or null.</param>
    /// <param name="mean">The batch mean, [1, C, 1, ...].</param>
    /// <param name="invstd">1 / sqrt(batch variance + eps), [1, C, 1, ...].</param>
    /// <param name="dims">Every dim but the channel's.</param>
    public BatchNormBackward(Tensor x, Tensor? weight, Tensor? bias, Tensor mean, Tensor invstd, int[] dims)
        : base([x, .. weight is null ? Array.Empty<Tensor>() : [weight], .. bias is null ? Array.Empty<Tensor>() : [bias]])
    {
        _needX = x.RequiresGrad;
        _needWeight = weight?.RequiresGrad == true;
        _needBias = bias?.RequiresGrad == true;
        _x = Save(x);
        _weight = weight is null ? null : Save(weight);
        _mean = Save(mean);
        _invstd = Save(invstd);
        _dims = dims;
        _channelShape = mean.Shape;
        _n = x.Numel / x.Layout.Shape[1];
        // The bias's value is never read: kept (unsaved) only for its shape and dtype.
        _bias = bias;
    }

    public override string Name => "NativeBatchNormBackward";

    protected override Tensor?[] Backward(Tensor g)
    {
        using var scope = Tensor.NewDisposeScope();
        var centered = _x - _mean;
        var sumG = g.Sum(_dims, keepDim: true);
        var dot = (g * centered).Sum(_dims, keepDim: true);
        var grads = new List<Tensor?>(3);
        if (_needX)
        {
            var scale = _weight is null ? _invstd : _invstd * _weight.View(_channelShape);
            var projection = _invstd * _invstd * dot / _n;
            grads.Add(scope.MoveToOuter(Gradients.For((g - sumG / _n - centered * projection) * scale, _x, true)!));
        }
        else grads.Add(null);
        if (_weight is not null) grads.Add(_needWeight ? scope.MoveToOuter(Gradients.For((dot * _invstd).View(-1), _weight, true)!) : null);
        if (_bias is not null) grads.Add(_needBias ? scope.MoveToOuter(Gradients.For(sumG.View(-1), _bias, true)!) : null);
        return [.. grads];
    }
}
