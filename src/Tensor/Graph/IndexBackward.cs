using Tensors.Backends;

namespace Tensors.Graph;

/// <summary>Gather and IndexSelect: each gathered element's gradient is added back where it came from (repeated
/// indices sum), by the backend's Scatter (Add) into a zero tensor of the input's shape, over the same index layout.</summary>
internal sealed class GatherBackward : Node
{
    private readonly int[] _shape;
    private readonly int _dim;
    private readonly Tensor _index;
    private readonly Layout _indexLayout;

    public GatherBackward(string name, Tensor input, int dim, Tensor index, Layout indexLayout) : base(input)
    {
        Name = name;
        (_shape, _dim, _index, _indexLayout) = (input.Shape, dim, Save(index), indexLayout);
    }

    public override string Name { get; }

    protected override Tensor?[] Backward(Tensor g) => [AddBack(Name, _shape, _dim, _index, _indexLayout, g)];

    /// <summary>Zeros of <paramref name="shape"/> with g added at the index's positions along dim: the gradient of
    /// any op that took elements at known (in-range) indices, so no range check and no sync.</summary>
    internal static Tensor AddBack(string name, int[] shape, int dim, Tensor index, Layout indexLayout, Tensor g)
    {
        var z = Tensor.Zeros(shape, g.DType, g.Device);
        z.Backend.Scatter(ScatterMode.Add, g.StorageFor(name), g.Layout, dim, index.StorageFor(name), indexLayout, z.StorageFor(name), z.Layout);
        return z;
    }
}

/// <summary>Scatter, ScatterAdd and IndexAdd (out = self with src scattered at index along dim). The input's gradient
/// is the output's, zeroed where Assign overwrote it; src's is the output's gradient gathered at the index (zero
/// beyond the index's shape when src is larger), as in PyTorch's derivatives.yaml.</summary>
internal sealed class ScatterBackward : Node
{
    private readonly ScatterMode _mode;
    private readonly int _dim;
    private readonly int[] _srcShape;
    private readonly bool _needSelf, _needSrc;
    private readonly Tensor _index;
    private readonly Layout _indexLayout;

    public ScatterBackward(string name, ScatterMode mode, Tensor self, Tensor src, int dim, Tensor index, Layout indexLayout) : base(self, src)
    {
        Name = name;
        (_mode, _dim, _srcShape, _index, _indexLayout) = (mode, dim, src.Shape, Save(index), indexLayout);
        (_needSelf, _needSrc) = (self.RequiresGrad, src.RequiresGrad);
    }

    public override string Name { get; }

    protected override Tensor?[] Backward(Tensor g) => [_needSelf ? SelfGradient(g) : null, _needSrc ? SourceGradient(g) : null];

    private Tensor SelfGradient(Tensor g)
    {
        var result = Tensor.Zeros(g.Shape, g.DType, g.Device);
        var b = result.Backend;
        b.Copy(g.StorageFor(Name), g.Layout, result.StorageFor(Name), result.Layout);
        if (_mode == ScatterMode.Assign)
        {
            using var zero = Tensor.Zeros([], g.DType, g.Device);
            var zeros = zero.Layout.BroadcastTo(_indexLayout.Shape);
            b.Scatter(ScatterMode.Assign, zero.StorageFor(Name), zeros, _dim, _index.StorageFor(Name), _indexLayout, result.StorageFor(Name), result.Layout);
        }
        return result;
    }

    private Tensor SourceGradient(Tensor g)
    {
        var result = Tensor.Zeros(_srcShape, g.DType, g.Device);
        var target = result.Layout;
        for (int k = 0; k < target.Rank; k++) target = target.Slice(k, 0, _indexLayout.Shape[k]);
        result.Backend.Gather(g.StorageFor(Name), g.Layout, _dim, _index.StorageFor(Name), _indexLayout, result.StorageFor(Name), target);
        return result;
    }
}
