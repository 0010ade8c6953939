namespace Tensors.Graph;

/// <summary>Prod (of all elements, or over one dim): the gradient of each element is the product of the others.
/// Where the product has no zero that is result / x; where it has exactly one, only the zero element gets the
/// product of the rest; with two or more, every element's gradient is 0 (PyTorch's prod_backward).</summary>
internal sealed class ProdBackward : Node
{
    private readonly Tensor _x;
    private readonly int[]? _dims;
    private readonly bool _keepDim;

    public ProdBackward(Tensor x, int[]? dims, bool keepDim) : base(x)
    {
        _x = Save(x);
        _dims = dims;
        _keepDim = keepDim;
    }

    public override string Name => "ProdBackward";

    protected override Tensor?[] Backward(Tensor g)
    {
        // A 0-d tensor's product over its dim 0 is the tensor itself.
        if (_dims is { Length: 0 }) return [g.ViewAs(Name)];
        using var scope = Tensor.NewDisposeScope();
        var zero = _x.Eq(0);
        var safe = Tensor.Where(zero, 1.0, _x);
        // Over all elements the 0-d products broadcast against x; over a dim they keep it as size 1.
        var (zeros, others, gk) = _dims is null
            ? (zero.Sum(), safe.Prod(), g)
            : (zero.Sum(_dims[0], keepDim: true), safe.Prod(_dims[0], keepDim: true), Reductions.KeepDims(g, _dims, _keepDim));
        var atZero = Tensor.Where(zeros.Eq(1), others, 0.0);
        var elsewhere = Tensor.Where(zeros.Eq(0), others / safe, 0.0);
        return [scope.MoveToOuter(gk * Tensor.Where(zero, atZero, elsewhere))];
    }
}

/// <summary>The vector p-norm, with PyTorch's norm_backward: x |x|^(p-2) g / norm^(p-1), 0 where the norm is 0;
/// sign(x) g for p = 1; for ±infinity the gradient is shared evenly among the elements whose |x| is the norm.</summary>
internal sealed class NormBackward : Node
{
    private readonly Tensor _x, _norm;
    private readonly double _p;
    private readonly int[] _dims;
    private readonly bool _keepDim;

    public NormBackward(Tensor x, Tensor norm, double p, int[] dims, bool keepDim) : base(x)
    {
        _x = Save(x);
        _norm = Save(norm);
        _p = p;
        _dims = dims;
        _keepDim = keepDim;
    }

    public override string Name => "NormBackward";

    protected override Tensor?[] Backward(Tensor g)
    {
        using var scope = Tensor.NewDisposeScope();
        var gk = Reductions.KeepDims(g, _dims, _keepDim);
        var norm = Reductions.KeepDims(_norm, _dims, _keepDim);
        var sign = _x.Gt(0).To(_x.DType) - _x.Lt(0).To(_x.DType);
        var abs = _x.Abs();
        double p = _p;
        Tensor grad;
        if (p == 0) grad = Tensor.ZerosLike(_x);
        else if (p == 1) grad = sign * gk;
        else if (double.IsInfinity(p))
        {
            var hit = abs.Eq(norm);
            var count = hit.Sum(_dims, keepDim: true).To(_x.DType);
            grad = Tensor.Where(hit, sign * (gk / count), 0.0);
        }
        else if (p < 1) grad = Tensor.Where(_x.Eq(0), 0.0, sign * abs.Pow(p - 1)) * gk * norm.Pow(1 - p);
        else
        {
            var scale = Tensor.Where(norm.Eq(0), 0.0, gk / norm.Pow(p - 1));
            grad = (p < 2 ? sign * abs.Pow(p - 1) : _x * abs.Pow(p - 2)) * scale;
        }
        return [scope.MoveToOuter(grad.BroadcastTo(_x.Shape).Contiguous())];
    }
}
