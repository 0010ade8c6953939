using Tensors.Backends;

namespace Tensors.Graph;

/// <summary>
/// Ops that pick input elements along a dim and say which (Sort, TopK, Median and Max/Min over a dim with indices):
/// each output's gradient goes back to the element it was taken from (PyTorch's value_selecting_reduction_backward
/// and sort's scatter), accumulating where several outputs took one element. The Int64 indices are read to the host
/// and turned into flat positions for the backend's IndexAdd into a zero tensor of the input's shape.
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
        using var scope = Tensor.NewDisposeScope();
        var gk = (_keepDim ? g : g.Unsqueeze(_dim)).Contiguous();
        var picked = (_keepDim ? _indices : _indices.Unsqueeze(_dim)).ToArray<long>();
        int taken = gk.Layout.Shape[_dim], size = _shape[_dim];
        int inner = Layout.ShapeNumel(_shape.AsSpan(_dim + 1));
        var flat = new int[picked.Length];
        for (int p = 0; p < flat.Length; p++)
        {
            int outer = p / (taken * inner), within = p % inner;
            flat[p] = (int)((outer * (long)size + picked[p]) * inner + within);
        }
        var z = Tensor.Zeros([Layout.ShapeNumel(_shape)], g.DType, g.Device);
        z.Backend.IndexAdd(gk.StorageFor(Name), Layout.Contiguous([flat.Length], gk.Layout.Offset), 0, flat, z.StorageFor(Name), z.Layout);
        return [scope.MoveToOuter(z.View(_shape))];
    }
}
