using Tensors.Backends;

namespace Tensors.Graph;

/// <summary>Elementwise functions of one tensor: each derivative beside its op.</summary>
internal sealed class UnaryBackward : Node
{
    private readonly UnaryOp _op;
    private readonly Tensor _x, _y;

    public UnaryBackward(UnaryOp op, Tensor x, Tensor y) : base(x)
    {
        _op = op;
        _x = op is UnaryOp.Abs or UnaryOp.Log ? Save(x) : x;
        _y = op is UnaryOp.Relu or UnaryOp.Sqrt or UnaryOp.Exp or UnaryOp.Sigmoid or UnaryOp.Tanh ? Save(y) : y;
    }

    public override string Name => _op + "Backward";

    protected override Tensor?[] Backward(Tensor g) => [_op switch
    {
        UnaryOp.Neg => -g,                                                     // d(-x) = -1
        UnaryOp.Abs => Tensor.Where(_x.Gt(0), g, Tensor.Where(_x.Lt(0), -g, 0.0)), // sign(x), 0 at 0
        UnaryOp.Relu => Tensor.Where(_y.Le(0), 0.0, g),                        // 0 where x <= 0 (a NaN passes, as in PyTorch)
        UnaryOp.Sqrt => g / (_y * 2.0),                                        // 1 / (2 sqrt x)
        UnaryOp.Exp => g * _y,                                                 // e^x
        UnaryOp.Log => g / _x,                                                 // 1 / x
        UnaryOp.Sigmoid => g * _y * (1.0 - _y),                                // s (1 - s)
        UnaryOp.Tanh => g * (1.0 - _y * _y),                                   // 1 - tanh^2
        UnaryOp.Trunc => Tensor.ZerosLike(g),                                  // piecewise constant
        _ => throw new NotSupportedException(Name),
    }];
}
