using Tensors.NN;

namespace Tensors.Graph;

/// <summary>Unfold (im2col): each column element is one input element (or padding), so the input's gradient is the
/// columns' gradient folded back, where windows that overlap add up.</summary>
internal sealed class UnfoldBackward(Tensor input, ConvGeometry geometry, bool batchInner) : Node(input)
{
    private readonly int _n = input.Layout.Shape[0], _h = input.Layout.Shape[2], _w = input.Layout.Shape[3];

    public override string Name => "Im2ColBackward";

    protected override Tensor?[] Backward(Tensor g) => [Functional.Fold(g, geometry, _n, _h, _w, batchInner)];
}

/// <summary>Fold (col2im), the adjoint of Unfold: each column element's gradient is the output gradient it was
/// added into, which is Unfold of that gradient.</summary>
internal sealed class FoldBackward(Tensor columns, ConvGeometry geometry, bool batchInner) : Node(columns)
{
    public override string Name => "Col2ImBackward";

    protected override Tensor?[] Backward(Tensor g) => [Functional.Unfold(g, geometry, batchInner)];
}
