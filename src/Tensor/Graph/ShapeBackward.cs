namespace Tensors.Graph;

/// <summary>Views (and identity-like ops): the gradient is written into a zero tensor of the input's shape through
/// the same view, replayed on it. Without a replay the view is the identity.</summary>
internal sealed class ViewBackward(string name, Tensor input, Func<Tensor, Tensor>? replay) : Node(input)
{
    private readonly int[] _shape = input.Shape;
    private readonly DType _dtype = input.DType;

    public override string Name => name + "Backward";

    protected override Tensor?[] Backward(Tensor g)
    {
        if (replay is null) return [g.DType == _dtype ? g : g.To(_dtype)];
        var z = Tensor.Zeros(_shape, _dtype, g.Device);
        using var view = replay(z);
        view.CopyFrom_(g);
        return [z];
    }
}

/// <summary>Expand/BroadcastTo: every copy of an element sends its gradient back to it.</summary>
internal sealed class ExpandBackward(Tensor input) : Node(input)
{
    private readonly int[] _shape = input.Shape;

    public override string Name => "ExpandBackward";

    protected override Tensor?[] Backward(Tensor g) => [Gradients.SumToShape(g, _shape)];
}

/// <summary>dtype or device conversion: the gradient converts back.</summary>
internal sealed class ToBackward(Tensor input) : Node(input)
{
    private readonly DType _dtype = input.DType;
    private readonly Device _device = input.Device;

    public override string Name => "ToCopyBackward";

    protected override Tensor?[] Backward(Tensor g)
    {
        var r = g.Device == _device ? g : g.To(_device);
        return [r.DType == _dtype ? r : r.To(_dtype)];
    }
}

/// <summary>Cat: each input gets its slice of the gradient.</summary>
internal sealed class CatBackward : Node
{
    private readonly int _dim;
    private readonly int[] _sizes;
    private readonly bool[] _needs;

    public CatBackward(IReadOnlyList<Tensor> inputs, int dim) : base([.. inputs])
    {
        _dim = dim;
        _sizes = inputs.Select(t => t.Layout.Shape[dim]).ToArray();
        _needs = inputs.Select(t => t.RequiresGrad).ToArray();
    }

    public override string Name => "CatBackward";

    protected override Tensor?[] Backward(Tensor g)
    {
        var result = new Tensor?[_sizes.Length];
        int at = 0;
        for (int i = 0; i < _sizes.Length; i++)
        {
            if (_needs[i]) result[i] = g.Narrow(_dim, at, _sizes[i]);
            at += _sizes[i];
        }
        return result;
    }
}

/// <summary>Where(c, x, y): the gradient goes to x where c holds and to y elsewhere.</summary>
internal sealed class WhereBackward : Node
{
    private readonly Tensor _condition, _x, _y;
    private readonly bool _needX, _needY;

    public WhereBackward(Tensor condition, Tensor x, Tensor y) : base(x, y)
    {
        _condition = Save(condition);
        (_x, _y, _needX, _needY) = (x, y, x.RequiresGrad, y.RequiresGrad);
    }

    public override string Name => "WhereBackward";

    protected override Tensor?[] Backward(Tensor g) =>
    [
        Gradients.For(_needX ? Tensor.Where(_condition, g, 0.0) : null, _x, _needX),
        Gradients.For(_needY ? Tensor.Where(_condition, 0.0, g) : null, _y, _needY),
    ];
}
