namespace Tensors.Graph;

/// <summary>IndexSelect: each selected entry's gradient is added back at its index (repeated indices sum), by the
/// backend's IndexAdd into a zero tensor of the input's shape.</summary>
internal sealed class IndexSelectBackward(Tensor input, int dim, int[] indices) : Node(input)
{
    private readonly int[] _shape = input.Shape;

    public override string Name => "IndexSelectBackward";

    protected override Tensor?[] Backward(Tensor g)
    {
        var z = Tensor.Zeros(_shape, g.DType, g.Device);
        z.Backend.IndexAdd(g.StorageFor(Name), g.Layout, dim, indices, z.StorageFor(Name), z.Layout);
        return [z];
    }
}
