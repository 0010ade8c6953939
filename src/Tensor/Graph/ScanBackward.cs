namespace Tensors.Graph;

/// <summary>CumSum: each input element feeds every later output, so its gradient is the reversed cumulative sum of
/// the output's gradient, Σ_{j ≥ i} g_j = total - cumsum(g) + g.</summary>
internal sealed class CumSumBackward(Tensor input, int dim) : Node(input)
{
    public override string Name => "CumsumBackward";

    protected override Tensor?[] Backward(Tensor g)
    {
        using var scope = Tensor.NewDisposeScope();
        return [scope.MoveToOuter(g.Sum(dim, keepDim: true) - g.CumSum(dim) + g)];
    }
}

/// <summary>
/// CumProd: dy_j/dx_i = Π_{k ≤ j, k ≠ i} x_k for j ≥ i. Before a row's first zero (position z) that is y_j / x_i,
/// so the gradient is Σ_{j ≥ i} g_j y_j / x_i (the y_j beyond z are 0). At z it is
/// (Π_{k &lt; z} x_k) Σ_{j ≥ z} g_j Π_{z &lt; k ≤ j} x_k, and after z every product holds x_z = 0. Exact with zeros,
/// like PyTorch's cumprod_backward.
/// </summary>
internal sealed class CumProdBackward : Node
{
    private readonly Tensor _x, _y;
    private readonly int _dim;

    public CumProdBackward(Tensor x, Tensor y, int dim) : base(x)
    {
        _x = Save(x);
        _y = Save(y);
        _dim = dim;
    }

    public override string Name => "CumprodBackward";

    protected override Tensor?[] Backward(Tensor g)
    {
        using var scope = Tensor.NewDisposeScope();
        int d = _dim;
        var isZero = _x.Eq(0);
        var zerosSoFar = isZero.CumSum(d);
        var before = zerosSoFar.Eq(0);
        var first = isZero.LogicalAnd(zerosSoFar.Eq(1));
        var gy = g * _y;
        var later = gy.Sum(d, keepDim: true) - gy.CumSum(d) + gy;
        var beforeZero = Tensor.Where(before, later / Tensor.Where(before, _x, 1.0), 0.0);
        var afterZero = Tensor.Where(before.LogicalOr(first), 1.0, _x).CumProd(d);
        var atZero = Tensor.Where(before, 0.0, g * afterZero).Sum(d, keepDim: true) * Tensor.Where(before, _x, 1.0).Prod(d, keepDim: true);
        return [scope.MoveToOuter(Tensor.Where(first, atZero, beforeZero))];
    }
}
