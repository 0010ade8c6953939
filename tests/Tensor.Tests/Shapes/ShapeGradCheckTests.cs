using Xunit;

namespace Tensors.Tests.ShapeOps;

/// <summary>The shape ops' gradients against finite differences (float64), on contiguous and transposed inputs.</summary>
public class ShapeGradCheckTests
{
    private static Tensor Input(int[] shape, int seed, bool transposed)
    {
        var g = new Generator((ulong)seed);
        if (!transposed) { using var r = Tensor.Randn(shape, g, DType.Float64); return r.Detach().RequiresGrad_(); }
        using var raw = Tensor.Randn([.. shape[..^2], shape[^1], shape[^2]], g, DType.Float64);
        var t = raw.Detach().Transpose(-1, -2);
        Assert.False(t.IsContiguous);
        return t.RequiresGrad_();
    }

    public static TheoryData<string, bool> Cases()
    {
        var data = new TheoryData<string, bool>();
        foreach (var op in new[] { "Split", "Chunk", "Unbind", "Movedim", "Flip", "Roll", "RollFlat", "Repeat", "Tile",
                     "RepeatInterleave", "RepeatInterleaveTensor", "Tril", "Triu", "DiagOfMatrix", "Diagonal", "Pad",
                     "PadReflect", "PadReplicate", "EinsumBmm", "EinsumTrace", "EinsumBilinear" })
            foreach (var t in new[] { false, true }) data.Add(op, t);
        return data;
    }

    [Theory, MemberData(nameof(Cases))]
    public void MatchesFiniteDifferences(string op, bool transposed)
    {
        using var x = Input([2, 3, 3], op.Length, transposed);
        using var w = Input([2, 3, 4], 7, false);
        Func<Tensor[], Tensor> f = op switch
        {
            // Pieces weighted differently, so each one's gradient is checked.
            "Split" => xs => Weighted(xs[0].Split([1, 2], 1)),
            "Chunk" => xs => Weighted(xs[0].Chunk(2, -1)),
            "Unbind" => xs => Weighted(xs[0].Unbind(1)),
            "Movedim" => xs => xs[0].Movedim([0, 2], [2, 1]),
            "Flip" => xs => xs[0].Flip(0, 2),
            "Roll" => xs => xs[0].Roll([1, -2], [1, 2]),
            "RollFlat" => xs => xs[0].Roll(4),
            "Repeat" => xs => xs[0].Repeat(2, 1, 2, 1),
            "Tile" => xs => xs[0].Tile(2, 1),
            "RepeatInterleave" => xs => xs[0].RepeatInterleave(2, 1),
            "RepeatInterleaveTensor" => xs => xs[0].RepeatInterleave(Tensor.From([2L, 0, 1]), 2),
            "Tril" => xs => xs[0].Tril(-1),
            "Triu" => xs => xs[0].Triu(1),
            "DiagOfMatrix" => xs => xs[0][0].Diag(1),
            "Diagonal" => xs => xs[0].Diagonal(-1, 2, 1),
            "Pad" => xs => xs[0].Pad([1, -1, 2, 0], value: 3),
            "PadReflect" => xs => xs[0].Pad([2, 1, 1, 2], "reflect"),
            "PadReplicate" => xs => xs[0].Pad([2, 1], "replicate"),
            "EinsumBmm" => xs => Tensor.Einsum("bij,bjk->bki", xs[0], xs[1]),
            "EinsumTrace" => xs => Tensor.Einsum("bii->b", xs[0]),
            _ => xs => Tensor.Einsum("bij,bjk,bi->k", xs[0], xs[1], xs[0].Sum(2)),
        };
        Tensors.Autograd.GradCheck(f, [x, w]);
    }

    private static Tensor Weighted(Tensor[] pieces)
    {
        var flat = pieces.Select((p, i) => p.Reshape(-1) * (i + 1.0)).ToList();
        return Tensor.Cat(flat);
    }

    [Fact]
    public void DiagOfVectorAndMeshgrid()
    {
        using var v = Input([3], 1, false);
        using var u = Input([2], 2, false);
        Tensors.Autograd.GradCheck(xs => xs[0].Diag(-2), [v]);
        Tensors.Autograd.GradCheck(xs => Weighted(Tensor.Meshgrid(xs, "xy")), [v, u]);
        Tensors.Autograd.GradCheck(xs => Tensor.Einsum("i,j->ij", xs[0], xs[1]), [v, u]);
    }
}
