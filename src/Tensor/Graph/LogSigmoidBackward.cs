namespace Tensors.Graph;

/// <summary>log σ(x): the gradient σ(-x). The composite's own derivative would be wrong at 0, where |x| has
/// subgradient 0 and the tie of min(x, 0) splits: σ(-x) is exact everywhere and cannot overflow.</summary>
internal sealed class LogSigmoidBackward : Node
{
    private readonly Tensor _x;

    public LogSigmoidBackward(Tensor x) : base(x) => _x = Save(x);

    public override string Name => "LogSigmoidBackward";

    protected override Tensor?[] Backward(Tensor g)
    {
        using var scope = Tensor.NewDisposeScope();
        return [scope.MoveToOuter(g * (-_x).Sigmoid())];
    }
}
