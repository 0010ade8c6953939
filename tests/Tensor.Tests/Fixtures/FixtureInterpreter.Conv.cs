using Tensors.NN;

namespace Tensors.Tests.Fixtures;

internal static partial class FixtureInterpreter
{
    /// <summary>The conv area's ops (fixtures_conv.py): conv2d, unfold and fold, whose size arguments are a Python int
    /// (both ways) or an (height, width) pair.</summary>
    private static Tensor? ApplyConv(string op, object[] a, Dictionary<string, object> kw)
    {
        Tensor T(int i) => (Tensor)a[i];
        Tensor? Opt(int i) => a.Length > i ? (Tensor)a[i] : null;
        static (int, int) Pair(object o) => o is long l ? ((int)l, (int)l) : (((int[])o)[0], ((int[])o)[1]);
        (int, int) Kw(string name, int fallback) => kw.TryGetValue(name, out var v) ? Pair(v) : (fallback, fallback);
        return op switch
        {
            "conv2d" => Functional.Conv2d(T(0), T(1), Opt(2), Kw("stride", 1), Kw("padding", 0), Kw("dilation", 1),
                kw.TryGetValue("groups", out var g) ? (int)(long)g : 1),
            "unfold" => Functional.Unfold(T(0), Pair(a[1]), Kw("dilation", 1), Kw("padding", 0), Kw("stride", 1)),
            "fold" => Functional.Fold(T(0), Pair(a[1]), Pair(a[2]), Kw("dilation", 1), Kw("padding", 0), Kw("stride", 1)),
            _ => null,
        };
    }
}
