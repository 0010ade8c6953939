namespace Tensors.Tests.Fixtures;

internal static partial class FixtureInterpreter
{
    /// <summary>The ops of fixtures_indexing.py: gather/scatter, index_select/index_add with tensors, masks, indexers.</summary>
    private static Tensor? ApplyIndexing(string op, object[] a, Dictionary<string, object> kw)
    {
        int I(int i) => (int)(long)a[i];
        Tensor X() => (Tensor)a[0];
        Tensor T(int i) => (Tensor)a[i];
        Scalar? Alpha() => kw.TryGetValue("alpha", out var v) ? S(v) : null;
        return op switch
        {
            "gather" => X().Gather(I(1), T(2)),
            "scatter" => a[3] is Tensor s ? X().Scatter(I(1), T(2), s) : X().Scatter(I(1), T(2), S(a[3])),
            "scatter_" => a[3] is Tensor s ? X().Scatter_(I(1), T(2), s) : X().Scatter_(I(1), T(2), S(a[3])),
            "scatter_add" => X().ScatterAdd(I(1), T(2), T(3)),
            "scatter_add_" => X().ScatterAdd_(I(1), T(2), T(3)),
            "index_select_tensor" => X().IndexSelect(I(1), T(2)),
            "index_add" => X().IndexAdd(I(1), T(2), T(3), Alpha()),
            "index_add_" => X().IndexAdd_(I(1), T(2), T(3), Alpha()),
            "masked_fill" => a[2] is Tensor v ? X().MaskedFill(T(1), v) : X().MaskedFill(T(1), S(a[2])),
            "masked_fill_" => X().MaskedFill_(T(1), S(a[2])),
            "masked_select" => X().MaskedSelect(T(1)),
            "nonzero" => X().Nonzero(),
            "index" => X()[T(1)],
            "index_dim1" => X()[.., T(1)],
            "index_last" => X()[TensorIndex.Ellipsis, T(1)],
            "index_put_" => X().IndexPut_(T(1), T(2), kw.GetValueOrDefault("accumulate") is true),
            _ => null,
        };
    }
}
