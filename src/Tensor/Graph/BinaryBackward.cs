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
        bool both = op is BinaryOp.Div or BinaryOp.Pow or BinaryOp.Maximum or BinaryOp.Minimum or BinaryOp.Remainder or BinaryOp.Atan2;
        bool saveA = both || (op == BinaryOp.Mul && _needB);
        bool saveB = both || (op == BinaryOp.Mul && _needA);
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
            case BinaryOp.Div:                                                  // d(a/b) = 1/b, -(a/b)/b as PyTorch (b^2 overflows float16 from 256)
                ga = _needA ? g / _b : null; gb = _needB ? -g * (_a / _b) / _b : null; break;
            case BinaryOp.Pow:                                                  // b a^(b-1) (0 where b = 0), a^b log a (0 where a = 0)
            {
                using var scope = Tensor.NewDisposeScope();
                if (_needA) ga = scope.MoveToOuter(Tensor.Where(_b.Eq(0), 0.0, g * _b * _a.Pow(_b - 1.0)));
                if (_needB) gb = scope.MoveToOuter(Tensor.Where(_a.Eq(0), 0.0, g * _y * _a.Log()));
                break;
            }
            case BinaryOp.Maximum:
            case BinaryOp.Minimum:
            {
                // PyTorch's formula: half each on ties, none to the loser. A NaN is neither tie nor loser, so both
                // sides get the whole gradient where either is NaN.
                using var scope = Tensor.NewDisposeScope();
                var shared = Tensor.Where(_a.Eq(_b), g * 0.5, g);
                var aLoses = _op == BinaryOp.Maximum ? _a.Lt(_b) : _a.Gt(_b);
                var bLoses = _op == BinaryOp.Maximum ? _a.Gt(_b) : _a.Lt(_b);
                if (_needA) ga = scope.MoveToOuter(Tensor.Where(aLoses, 0.0, shared));
                if (_needB) gb = scope.MoveToOuter(Tensor.Where(bLoses, 0.0, shared));
                break;
            }
            case BinaryOp.Atan2:                                                // b / (a^2 + b^2), -a / (a^2 + b^2)
            {
                using var scope = Tensor.NewDisposeScope();
                var scaled = g / (_a * _a + _b * _b);
                if (_needA) ga = scope.MoveToOuter(scaled * _b);
                if (_needB) gb = scope.MoveToOuter(-scaled * _a);
                break;
            }
            case BinaryOp.FloorDivide:                                          // piecewise constant
                ga = _needA ? Tensor.ZerosLike(g) : null; gb = _needB ? Tensor.ZerosLike(g) : null; break;
            case BinaryOp.Remainder:                                            // 1, -floor(a / b)
            {
                ga = g;
                if (_needB) { using var q = _a.FloorDivide(_b); gb = -g * q; }
                break;
            }
        }
        return [Gradients.For(ga, _a, _needA), Gradients.For(gb, _b, _needB)];
    }
}
