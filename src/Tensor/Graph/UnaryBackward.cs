using Tensors.Backends;

namespace Tensors.Graph;

/// <summary>Elementwise functions of one tensor: each derivative beside its op (PyTorch's derivatives.yaml).</summary>
internal sealed class UnaryBackward : Node
{
    private const double Ln2 = 0.69314718055994531, Ln10 = 2.3025850929940457, TwoOverSqrtPi = 1.1283791670955126;

    private readonly UnaryOp _op;
    private readonly Tensor _x, _y;

    public UnaryBackward(UnaryOp op, Tensor x, Tensor y) : base(x)
    {
        _op = op;
        _x = NeedsInput(op) ? Save(x) : x;
        _y = NeedsResult(op) ? Save(y) : y;
    }

    private static bool NeedsInput(UnaryOp op) => op is UnaryOp.Abs or UnaryOp.Log or UnaryOp.Sin or UnaryOp.Cos
        or UnaryOp.Asin or UnaryOp.Acos or UnaryOp.Atan or UnaryOp.Sinh or UnaryOp.Cosh or UnaryOp.Log1p
        or UnaryOp.Log2 or UnaryOp.Log10 or UnaryOp.Erf;

    private static bool NeedsResult(UnaryOp op) => op is UnaryOp.Relu or UnaryOp.Sqrt or UnaryOp.Exp or UnaryOp.Sigmoid
        or UnaryOp.Tanh or UnaryOp.Tan or UnaryOp.Expm1 or UnaryOp.Exp2 or UnaryOp.Rsqrt;

    public override string Name => _op + "Backward";

    protected override Tensor?[] Backward(Tensor g)
    {
        using var scope = Tensor.NewDisposeScope();
        return [scope.MoveToOuter(Gradient(g))];
    }

    private Tensor Gradient(Tensor g) => _op switch
    {
        UnaryOp.Neg => -g,                                                     // d(-x) = -1
        UnaryOp.Abs => Tensor.Where(_x.Gt(0), g, Tensor.Where(_x.Lt(0), -g, 0.0)), // sign(x), 0 at 0
        UnaryOp.Relu => Tensor.Where(_y.Le(0), 0.0, g),                        // 0 where x <= 0 (a NaN passes, as in PyTorch)
        UnaryOp.Sqrt => g / (_y * 2.0),                                        // 1 / (2 sqrt x)
        UnaryOp.Exp => g * _y,                                                 // e^x
        UnaryOp.Log => g / _x,                                                 // 1 / x
        UnaryOp.Sigmoid => g * _y * (1.0 - _y),                                // s (1 - s)
        UnaryOp.Tanh => g * (1.0 - _y * _y),                                   // 1 - tanh^2
        UnaryOp.Sin => g * _x.Cos(),                                           // cos x
        UnaryOp.Cos => g * -_x.Sin(),                                          // -sin x
        UnaryOp.Tan => g * (_y * _y + 1.0),                                    // 1 + tan^2
        UnaryOp.Asin => g * (1.0 - _x * _x).Rsqrt(),                           // 1 / sqrt(1 - x^2)
        UnaryOp.Acos => g * -(1.0 - _x * _x).Rsqrt(),                          // -1 / sqrt(1 - x^2)
        UnaryOp.Atan => g / (_x * _x + 1.0),                                   // 1 / (1 + x^2)
        UnaryOp.Sinh => g * _x.Cosh(),                                         // cosh x
        UnaryOp.Cosh => g * _x.Sinh(),                                         // sinh x
        UnaryOp.Log1p => g / (_x + 1.0),                                       // 1 / (1 + x)
        UnaryOp.Expm1 => g * (_y + 1.0),                                       // e^x
        UnaryOp.Log2 => g / (_x * Ln2),                                        // 1 / (x ln 2)
        UnaryOp.Log10 => g / (_x * Ln10),                                      // 1 / (x ln 10)
        UnaryOp.Exp2 => g * _y * Ln2,                                          // 2^x ln 2
        UnaryOp.Rsqrt => g * _y.Pow(3) * -0.5,                                 // -x^(-3/2) / 2
        UnaryOp.Erf => g * (-_x * _x).Exp() * TwoOverSqrtPi,                   // 2/sqrt(pi) e^(-x^2)
        UnaryOp.Trunc or UnaryOp.Floor or UnaryOp.Ceil or UnaryOp.Round or UnaryOp.Sign
            => Tensor.ZerosLike(g),                                            // piecewise constant
        _ => throw new NotSupportedException(Name),
    };
}
