namespace Tensors.Graph;

/// <summary>
/// Ops that pick input elements along a dim and say which (Sort, TopK, Median and Max/Min over a dim with indices):
/// each output's gradient goes back to the element it was taken from (PyTorch's value_selecting_reduction_backward
/// and sort's scatter), accumulating where several outputs took one element. The Int64 indices stay on the device: the
/// gradient is Gather's: the output's gradient added into zeros of the input's shape at those indices.
/// </summary>
internal sealed class SelectionBackward : Node
{
    private readonly int[] _shape;
    private readonly int _dim;
    private readonly Tensor _indices;
    private readonly bool _keepDim;

    /// <param name="name">The node's name.</param>
    /// <param name="input">The tensor the outputs were taken from.</param>
    /// <param name="dim">The dim along which they were taken.</param>
    /// <param name="indices">Positions along dim, in the shape of the output.</param>
    /// <param name="keepDim">False when the output (and indices) lost dim.</param>
    public SelectionBackward(string name, Tensor input, int dim, Tensor indices, bool keepDim) : base(input)
    {
        Name = name;
        _shape = input.Shape;
        _dim = dim;
        _indices = Save(indices);
        _keepDim = keepDim;
    }

    public override string Name { get; }

    protected override Tensor?[] Backward(Tensor g)
    {
        // A 0-d input has one element, and every output took it.
        if (_shape.Length == 0) return [g.Clone()];
        using var scope = Tensor.NewDisposeScope();
        var gk = _keepDim ? g : g.Unsqueeze(_dim);
        var index = _keepDim ? _indices : _indices.Unsqueeze(_dim);
        return [scope.MoveToOuter(GatherBackward.AddBack(Name, _shape, _dim, index, index.Layout, gk))];
    }
}
