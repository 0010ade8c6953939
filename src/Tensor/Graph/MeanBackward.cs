namespace Tensors.Graph;

/// <summary>Mean over dims: the gradient divided by the number of elements averaged, spread back over the reduced
/// dims. One node where the mean used to record a sum and a division (the same values: g / n, then expanded).</summary>
internal sealed class MeanBackward(Tensor input, int[] dims, bool keepDim, long count) : Node(input)
{
    private readonly int[] _shape = input.Shape;

    public override string Name => "MeanBackward";

    protected override Tensor?[] Backward(Tensor g)
    {
        using var scaled = g.Div((double)count);
        using var kept = Reductions.KeepDims(scaled, dims, keepDim);
        return [kept.BroadcastTo(_shape)];
    }
}
