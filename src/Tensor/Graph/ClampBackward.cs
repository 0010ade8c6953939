namespace Tensors.Graph;

/// <summary>Clamp: the gradient passes where min &lt;= x &lt;= max (bounds included; a NaN input gets none), as in
/// PyTorch's <c>clamp_backward</c>. Built on Maximum/Minimum, whose ties split the gradient, it would halve it
/// exactly at the bounds.</summary>
internal sealed class ClampBackward : Node
{
    private readonly Tensor _x;
    private readonly Tensor? _min, _max;

    public ClampBackward(Tensor x, Tensor? min, Tensor? max) : base(x)
    {
        _x = Save(x);
        _min = min is null ? null : Save(min);
        _max = max is null ? null : Save(max);
    }

    public override string Name => "ClampBackward";

    protected override Tensor?[] Backward(Tensor g)
    {
        using var scope = Tensor.NewDisposeScope();
        var inside = _min is null ? _x.Le(_max!) : _max is null ? _x.Ge(_min) : _x.Ge(_min).LogicalAnd(_x.Le(_max));
        var grad = Tensor.Where(inside, g, 0.0);
        return [scope.MoveToOuter(Gradients.For(grad, _x, true)!)];
    }
}
