using Tensors.NN;

namespace Tensors.Tests.Fixtures;

internal static partial class FixtureInterpreter
{
    /// <summary>The pools area's ops (fixtures_pools.py): 2-d pooling with PyTorch's keyword arguments (an int or an
    /// (h, w) list each) and batch norm, whose running statistics are inputs updated in place.</summary>
    private static Tensor? ApplyPools(string op, object[] a, Dictionary<string, object> kw)
    {
        Tensor T(int i) => (Tensor)a[i];
        (int, int) Pair(object o) => o is long l ? ((int)l, (int)l) : (((int[])o)[0], ((int[])o)[1]);
        (int, int)? OptPair(string name) => kw.TryGetValue(name, out var v) ? Pair(v) : null;
        bool Flag(string name, bool fallback) => kw.TryGetValue(name, out var v) ? (bool)v : fallback;
        double D(string name, double fallback) => kw.TryGetValue(name, out var v) ? Convert.ToDouble(v) : fallback;
        Tensor BatchNorm(Tensor? rm, Tensor? rv, Tensor? w, Tensor? b) =>
            Functional.BatchNorm(T(0), rm, rv, w, b, Flag("training", false), D("momentum", 0.1), D("eps", 1e-5));
        return op switch
        {
            "max_pool2d" => Functional.MaxPool2d(T(0), Pair(a[1]), OptPair("stride"), OptPair("padding") ?? (0, 0),
                OptPair("dilation"), Flag("ceil_mode", false)),
            "avg_pool2d" => Functional.AvgPool2d(T(0), Pair(a[1]), OptPair("stride"), OptPair("padding") ?? (0, 0),
                Flag("ceil_mode", false), Flag("count_include_pad", true)),
            "adaptive_avg_pool2d" => Functional.AdaptiveAvgPool2d(T(0), Pair(a[1])),
            "adaptive_max_pool2d" => Functional.AdaptiveMaxPool2d(T(0), Pair(a[1])),
            "batch_norm" => BatchNorm(T(1), T(2), T(3), T(4)),
            "batch_norm_plain" => BatchNorm(T(1), T(2), null, null),
            "batch_norm_no_stats" => BatchNorm(null, null, T(1), T(2)),
            _ => null,
        };
    }
}
