namespace Tensors.Graph;

/// <summary>
/// The elementwise binary cross-entropy losses with PyTorch's own derivatives (reduction and weights are
/// composites around them). As composites their gradients would be wrong exactly where training starts or
/// saturates: |x| and max(x, 0) have no slope at a zero logit (what zero-initialised layers produce), and the
/// clamped logs are flat, giving NaN, at p = 0 or 1. A pos_weight is a constant here.
/// </summary>
internal sealed class BinaryCrossEntropyBackward : Node
{
    private readonly Tensor _input, _target;
    private readonly Tensor? _posWeight;
    private readonly bool _logits, _needInput, _needTarget;

    public BinaryCrossEntropyBackward(Tensor input, Tensor target, Tensor? posWeight, bool logits) : base(input, target)
    {
        _input = Save(input);
        _target = Save(target);
        _posWeight = posWeight is null ? null : Save(posWeight);
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
        Tensor? gx = null, gy = null;
        if (_logits && _posWeight is { } pw)
        {
            var t = pw * y;                                                               // l = 1 + (pw - 1) y
            if (_needInput) gx = ((t + 1.0 - y) * x.Sigmoid() - t) * g;                   // l sigmoid(x) - pw y
            var softplus = ((-x.Abs()).Exp() + 1.0).Log() + (-x).Relu();                  // log(1 + e^-x), stably
            if (_needTarget) gy = ((pw - 1.0) * softplus - x) * g;                        // log(1 - s) - pw log s
        }
        else if (_logits)
        {
            if (_needInput) gx = (x.Sigmoid() - y) * g;                                   // sigmoid(x) - y
            if (_needTarget) gy = -x * g;                                                  // -x
        }
        else
        {
            if (_needInput) gx = (x - y) / ((1.0 - x) * x).Clamp(min: 1e-12) * g;          // (p - y) / max(p (1 - p), eps)
            if (_needTarget) gy = ((1.0 - x).Log().Clamp(min: -100) - x.Log().Clamp(min: -100)) * g;
        }
        return [Keep(scope, gx, x, _needInput), Keep(scope, gy, y, _needTarget)];
    }

    private static Tensor? Keep(DisposeScope scope, Tensor? g, Tensor input, bool needed) =>
        Gradients.For(g, input, needed) is { } r ? scope.MoveToOuter(r) : null;
}
