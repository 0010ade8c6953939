using Tensors.Backends;

namespace Tensors.Graph;

/// <summary>Elementwise functions of two tensors; gradients are summed back over broadcast dims.</summary>
internal sealed class BinaryBackward : Node
{
    private readonly BinaryOp _op;
    private readonly Tensor _a, _b, _y;
    private readonly bool _needA, _needB;

    public BinaryBackward(BinaryOp op, Tensor a, Tensor b, Tensor y) : base(a, b)
    {
        _op = op;
        _needA = a.RequiresGrad;
        _needB = b.RequiresGrad;
        bool saveA = op is BinaryOp.Div or BinaryOp.Pow or BinaryOp.Maximum or BinaryOp.Minimum || (op == BinaryOp.Mul && _needB);
        bool saveB = op is BinaryOp.Div or BinaryOp.Pow or BinaryOp.Maximum or BinaryOp.Minimum || (op == BinaryOp.Mul && _needA);
        _a = saveA ? Save(a) : a;
        _b = saveB ? Save(b) : b;
        _y = op == BinaryOp.Pow && _needB ? Save(y) : y;
    }

    public override string Name => _op + "Backward";

    protected override Tensor?[] Backward(Tensor g)
    {
        Tensor? ga = null, gb = null;
        switch (_op)
        {
            case BinaryOp.Add:
                ga = g; gb = g; break;
            case BinaryOp.Sub:
                ga = g; gb = _needB ? -g : null; break;
            case BinaryOp.Mul:
                ga = _needA ? g * _b : null; gb = _needB ? g * _a : null; break;
            case BinaryOp.Div:                                                  // d(a/b) = 1/b, -a/b^2
                ga = _needA ? g / _b : null; gb = _needB ? -g * _a / (_b * _b) : null; break;
            case BinaryOp.Pow:                                                  // b a^(b-1), a^b log a (0 where a = 0)
                ga = _needA ? g * _b * _a.Pow(_b - 1.0) : null;
                gb = _needB ? Tensor.Where(_a.Eq(0), 0.0, g * _y * _a.Log()) : null;
                break;
            case BinaryOp.Maximum:
            case BinaryOp.Minimum:                                              // to the winner; half each on ties
            {
                using var aWins = _op == BinaryOp.Maximum ? _a.Gt(_b) : _a.Lt(_b);
                using var tie = _a.Eq(_b);
                using var half = g * 0.5;
                ga = _needA ? Tensor.Where(aWins, g, Tensor.Where(tie, half, 0.0)) : null;
                gb = _needB ? Tensor.Where(aWins, 0.0, Tensor.Where(tie, half, g)) : null;
                break;
            }
        }
        return [Gradients.For(ga, _a, _needA), Gradients.For(gb, _b, _needB)];
    }
}
