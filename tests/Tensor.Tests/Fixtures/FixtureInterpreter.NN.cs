using Tensors.NN;

namespace Tensors.Tests.Fixtures;

internal static partial class FixtureInterpreter
{
    /// <summary>The nn area's ops (fixtures_nn.py): losses with their keyword arguments, and layers as functions
    /// with their weights passed as inputs.</summary>
    private static Tensor? ApplyNN(string op, object[] a, Dictionary<string, object> kw)
    {
        Tensor T(int i) => (Tensor)a[i];
        Tensor? Opt(int i) => a.Length > i ? (Tensor)a[i] : null;
        string Reduction() => kw.TryGetValue("reduction", out var r) ? (string)r : "mean";
        double D(string name, double fallback) => kw.TryGetValue(name, out var v) ? Convert.ToDouble(v) : fallback;
        int Ignore() => kw.TryGetValue("ignore_index", out var v) ? (int)(long)v : -100;
        return op switch
        {
            "mse_loss" => Functional.MseLoss(T(0), T(1), Reduction()),
            "l1_loss" => Functional.L1Loss(T(0), T(1), Reduction()),
            "huber_loss" => Functional.HuberLoss(T(0), T(1), Reduction(), D("delta", 1.0)),
            "smooth_l1_loss" => Functional.SmoothL1Loss(T(0), T(1), Reduction(), D("beta", 1.0)),
            "kl_div" => Functional.KlDivLoss(T(0), T(1), Reduction(), kw.GetValueOrDefault("log_target") is true),
            "nll_loss" => Functional.NllLoss(T(0), T(1), Opt(2), Ignore(), Reduction()),
            "cross_entropy" => Functional.CrossEntropy(T(0), T(1), Opt(2), Ignore(), Reduction(), D("label_smoothing", 0.0)),
            "bce_loss" => Functional.BinaryCrossEntropy(T(0), T(1), Opt(2), Reduction()),
            "bce_logits_loss" => Functional.BinaryCrossEntropyWithLogits(T(0), T(1), Opt(2), Reduction(), Opt(3)),
            "bce_logits_pos_weight" => Functional.BinaryCrossEntropyWithLogits(T(0), T(1), null, Reduction(), T(2)),
            "layer_norm" => Functional.LayerNorm(T(0), (int[])a[1], Opt(2), Opt(3), D("eps", 1e-5)),
            "embedding" => Functional.Embedding(T(0), T(1), kw.TryGetValue("padding_idx", out var p) ? (int)(long)p : null),
            "linear" => Functional.Linear(T(0), T(1), Opt(2)),
            "dropout" => Functional.Dropout(T(0), D("p", 0.5), kw.GetValueOrDefault("training") is not false),
            "unflatten" => new Unflatten((int)(long)a[1], (int[])a[2]).Forward(T(0)),
            _ => null,
        };
    }
}
