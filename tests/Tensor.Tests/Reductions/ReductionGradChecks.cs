using Xunit;

namespace Tensors.Tests.Reductions;

/// <summary>Gradients of the reductions area against finite differences in float64, on contiguous and transposed
/// inputs (distinct values, so that the selections are differentiable where they are checked).</summary>
public class ReductionGradChecks
{
    private static Tensor Input(int[] shape, int seed, bool transposed, double lo = -2, double hi = 2)
    {
        using var r = Tensor.Rand(transposed ? [.. shape[..^2], shape[^1], shape[^2]] : shape, new Generator((ulong)seed), DType.Float64);
        using var scaled = r * (hi - lo) + lo;
        var t = scaled.Detach();
        return (transposed ? t.Transpose(-1, -2) : t).RequiresGrad_();
    }

    public static IEnumerable<object[]> Cases() =>
        new[] { "ProdAll", "ProdDim", "ProdWithZero", "CumSum", "CumProd", "CumProdWithZero", "Var", "StdDims", "Norm2", "Norm1",
                "NormInf", "Norm3", "Norm0.5", "LogSumExp", "SortValues", "TopK", "MedianDim", "MedianAll", "MaxWithIndices", "MinWithIndices" }
            .SelectMany(op => new[] { false, true }.Select(t => new object[] { op, t }));

    [Theory, MemberData(nameof(Cases))]
    public void MatchesFiniteDifferences(string op, bool transposed)
    {
        using var x = Input([3, 4], op.Length, transposed, op.StartsWith("Prod") || op.StartsWith("CumProd") ? 0.5 : -2, 2);
        if (op.EndsWith("WithZero"))
            using (Tensors.Autograd.NoGrad()) x.Select(1, 1).Select(0, 2).Fill_(0);
        Func<Tensor, Tensor> f = op switch
        {
            "ProdAll" => t => t.Prod(),
            "ProdDim" or "ProdWithZero" => t => t.Prod(1, keepDim: true),
            "CumSum" => t => t.CumSum(0),
            "CumProd" or "CumProdWithZero" => t => t.CumProd(1),
            "Var" => t => t.Var(1),
            "StdDims" => t => t.Std([0, 1], correction: 0),
            "Norm2" => t => t.Norm(2, 1),
            "Norm1" => t => t.Norm(1, [0, 1]),
            "NormInf" => t => t.Norm(double.PositiveInfinity, 0),
            "Norm3" => t => t.Norm(3, 1, keepDim: true),
            "Norm0.5" => t => t.Norm(0.5, 1),
            "LogSumExp" => t => t.LogSumExp(0),
            "SortValues" => t => t.Sort(0, descending: true).Values,
            "TopK" => t => t.TopK(2, 1).Values,
            "MedianDim" => t => t.Median(1).Values,
            "MedianAll" => t => t.Median(),
            "MaxWithIndices" => t => t.MaxWithIndices(0, keepDim: true).Values,
            _ => t => t.MinWithIndices(1).Values,
        };
        Tensors.Autograd.GradCheck(ts => f(ts[0]), [x]);
    }
}
