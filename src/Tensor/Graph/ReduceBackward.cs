namespace Tensors.Graph;

/// <summary>Sum over dims: the gradient spreads back unchanged over the summed dims.</summary>
internal sealed class SumBackward(Tensor input, int[] dims, bool keepDim) : Node(input)
{
    private readonly int[] _shape = input.Shape;

    public override string Name => "SumBackward";

    protected override Tensor?[] Backward(Tensor g) => [Reductions.KeepDims(g, dims, keepDim).BroadcastTo(_shape)];
}

/// <summary>Max/Min: the gradient is shared evenly among the elements equal to the result. Over given dims this is
/// PyTorch's amax/amin rule, (g / count) * mask, so a NaN result (no element equals it) sends NaN to its whole
/// slice; over all elements it is torch.max's rule, under which a NaN result's gradient goes to the NaN elements.</summary>
internal sealed class ExtremumBackward : Node
{
    private readonly Tensor _x, _y;
    private readonly int[] _dims;
    private readonly bool _keepDim, _all;

    public ExtremumBackward(string name, Tensor x, Tensor y, int[] dims, bool keepDim, bool all) : base(x)
    {
        Name = name;
        _x = Save(x);
        _y = Save(y);
        _dims = dims;
        _keepDim = keepDim;
        _all = all;
    }

    public override string Name { get; }

    protected override Tensor?[] Backward(Tensor g)
    {
        using var scope = Tensor.NewDisposeScope();
        var y = Reductions.KeepDims(_y, _dims, _keepDim);
        var hit = _x.Eq(y);
        if (_all) hit = hit.LogicalOr(_x.Ne(_x).LogicalAnd(y.Ne(y)));
        var count = hit.Sum(_dims, keepDim: true).To(_x.DType);
        var share = Reductions.KeepDims(g, _dims, _keepDim) / count;
        return [scope.MoveToOuter(_all ? Tensor.Where(hit, share, 0.0) : share * hit)];
    }
}

internal static class Reductions
{
    /// <summary>A reduced tensor viewed with size-1 dims where <paramref name="dims"/> were removed (a view: the
    /// gradient may be an expanded tensor, and copying it here would be wasted work).</summary>
    public static Tensor KeepDims(Tensor t, int[] dims, bool keepDim)
    {
        var r = t.ViewAs("KeepDims");
        if (keepDim) return r;
        foreach (var d in dims.OrderBy(d => d))
        {
            var next = r.Unsqueeze(d);
            r.Dispose();
            r = next;
        }
        return r;
    }
}

/// <summary>Batched matrix product: dA = dC Bᵀ and dB = Aᵀ dC, summed over broadcast batch dims.</summary>
internal sealed class MatMulBackward : Node
{
    private readonly Tensor _a, _b;
    private readonly bool _needA, _needB;

    public MatMulBackward(Tensor a, Tensor b) : base(a, b)
    {
        _needA = a.RequiresGrad;
        _needB = b.RequiresGrad;
        _a = _needB ? Save(a) : a;
        _b = _needA ? Save(b) : b;
    }

    public override string Name => "MmBackward";

    protected override Tensor?[] Backward(Tensor g)
    {
        Tensor? ga = null, gb = null;
        if (_needA) { using var bt = _b.Transpose(-1, -2); ga = g.MatMul(bt); }
        if (_needB) { using var at = _a.Transpose(-1, -2); gb = at.MatMul(g); }
        return [Gradients.For(ga, _a, _needA), Gradients.For(gb, _b, _needB)];
    }
}
