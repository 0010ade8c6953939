namespace Tensors.Graph;

/// <summary>
/// The binary cross-entropy losses (mean reduction) with PyTorch's own derivatives. As composites their gradients
/// would be wrong exactly where training starts or saturates: |x| and max(x, 0) have no slope at a zero logit (what
/// zero-initialised layers produce), and the clamped logs are flat, giving NaN, at p = 0 or 1.
/// </summary>
internal sealed class BinaryCrossEntropyBackward : Node
{
    private readonly Tensor _input, _target;
    private readonly bool _logits, _needInput, _needTarget;

    public BinaryCrossEntropyBackward(Tensor input, Tensor target, bool logits) : base(input, target)
    {
        _input = Save(input);
        _target = Save(target);
        _logits = logits;
        _needInput = input.RequiresGrad;
        _needTarget = target.RequiresGrad;
    }

    public override string Name => _logits ? "BinaryCrossEntropyWithLogitsBackward" : "BinaryCrossEntropyBackward";

    protected override Tensor?[] Backward(Tensor g)
    {
        using var scope = Tensor.NewDisposeScope();
        var x = _input;
        var y = _target;
        var scale = g / Math.Max(x.Numel, 1);
        Tensor? gx = null, gy = null;
        if (_logits)
        {
            if (_needInput) gx = (x.Sigmoid() - y) * scale;                               // sigmoid(x) - y
            if (_needTarget) gy = -x * scale;                                              // -x
        }
        else
        {
            if (_needInput) gx = (x - y) / ((1.0 - x) * x).Clamp(min: 1e-12) * scale;      // (p - y) / max(p (1 - p), eps)
            if (_needTarget) gy = ((1.0 - x).Log().Clamp(min: -100) - x.Log().Clamp(min: -100)) * scale;
        }
        return [Keep(scope, gx, x, _needInput), Keep(scope, gy, y, _needTarget)];
    }

    private static Tensor? Keep(DisposeScope scope, Tensor? g, Tensor input, bool needed) =>
        Gradients.For(g, input, needed) is { } r ? scope.MoveToOuter(r) : null;
}
