namespace Tensors.Tests.Fixtures;

internal static partial class FixtureInterpreter
{
    /// <summary>The reductions area (fixtures_reductions.py): products, logical and statistical reductions, scans,
    /// sorting and selections. Ops that return (values, indices) in PyTorch come as two ops each.</summary>
    private static Tensor? ApplyReductions(string op, object[] a, Dictionary<string, object> kw)
    {
        Tensor X() => (Tensor)a[0];
        int I(int i) => (int)(long)a[i];
        int Kw(string name, int otherwise) => kw.TryGetValue(name, out var v) ? (int)(long)v : otherwise;
        bool Flag(string name, bool otherwise = false) => kw.TryGetValue(name, out var v) ? (bool)v : otherwise;
        int[]? Dims() => kw.GetValueOrDefault("dim") switch { null => null, long l => [(int)l], int[] d => d, var o => throw NotMapped($"dim {o}") };
        bool keep = Flag("keepdim");
        int? dim = kw.GetValueOrDefault("dim") is long ld ? (int)ld : null;
        return op switch
        {
            "prod" => dim is int pd ? X().Prod(pd, keep) : X().Prod(),
            "any" => dim is int ad ? X().Any(ad, keep) : X().Any(),
            "all" => dim is int ld2 ? X().All(ld2, keep) : X().All(),
            "var" => X().Var(Dims(), Kw("correction", 1), keep),
            "std" => X().Std(Dims(), Kw("correction", 1), keep),
            "norm" => X().Norm(a.Length > 1 ? (double)a[1] : 2, Dims(), keep),
            "logsumexp" => X().LogSumExp(a[1] is long l ? [(int)l] : (int[])a[1], keep),
            "cumsum" => X().CumSum(I(1)),
            "cumprod" => X().CumProd(I(1)),
            "sort_values" => X().Sort(Kw("dim", -1), Flag("descending")).Values,
            "sort_indices" => X().Sort(Kw("dim", -1), Flag("descending")).Indices,
            "argsort" => X().ArgSort(Kw("dim", -1), Flag("descending")),
            "topk_values" => X().TopK(I(1), Kw("dim", -1), Flag("largest", true)).Values,
            "topk_indices" => X().TopK(I(1), Kw("dim", -1), Flag("largest", true)).Indices,
            "median_all" => X().Median(),
            "median_values" => X().Median(I(1), keep).Values,
            "median_indices" => X().Median(I(1), keep).Indices,
            "max_values" => X().MaxWithIndices(I(1), keep).Values,
            "max_indices" => X().MaxWithIndices(I(1), keep).Indices,
            "min_values" => X().MinWithIndices(I(1), keep).Values,
            "min_indices" => X().MinWithIndices(I(1), keep).Indices,
            "argmax_all" => X().ArgMax(keep),
            "argmin_all" => X().ArgMin(keep),
            _ => null,
        };
    }
}
