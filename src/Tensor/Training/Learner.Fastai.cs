using Tensors.NN;
using Tensors.Optim;

namespace Tensors.Training;

public sealed partial class Learner
{
    /// <summary>
    /// fastai's default <c>opt_func</c> as a <see cref="Learner"/> makes it for <paramref name="model"/>: fastai's
    /// Adam (moments 0.9 and 0.99, eps 1e-5, decoupled weight decay; the same update as <see cref="AdamW"/>), with no
    /// weight decay on the parameters of normalization layers and on biases (fastai's <c>wd_bn_bias=False</c>):
    /// two parameter groups, the decayed one first. fastai's one-cycle then cycles beta1 as the momentum.
    /// </summary>
    /// <param name="model">The model whose parameters it updates.</param>
    /// <param name="lr">The learning rate.</param>
    /// <param name="weightDecay">fastai's <c>wd</c>, decoupled.</param>
    /// <param name="wdBnBias">True to decay normalization parameters and biases too.</param>
    public static Optimizer FastaiAdam(Module model, double lr, double weightDecay = 0.01, bool wdBnBias = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        var exempt = new HashSet<Tensor>(wdBnBias ? [] : NormBiasParameters(model), ReferenceEqualityComparer.Instance);
        var all = model.Parameters().ToList();
        var groups = new[]
        {
            new ParamGroup(all.Where(p => !exempt.Contains(p))),
            new ParamGroup(all.Where(exempt.Contains), weightDecay: 0),
        }.Where(g => g.Parameters.Count > 0);
        return new AdamW(groups, lr, beta1: 0.9, beta2: 0.99, eps: 1e-5, weightDecay: weightDecay);
    }

    /// <summary>The parameters of normalization layers and every module's bias (fastai's <c>norm_bias_params</c>),
    /// which fastai trains without weight decay.</summary>
    /// <param name="model">The model.</param>
    public static IEnumerable<Tensor> NormBiasParameters(Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var (_, m) in model.NamedModules())
            foreach (var p in m.NamedParameters().Where(p => IsNormalization(m) || p.Name == "bias").Select(p => p.Tensor))
                if (seen.Add(p)) yield return p;
    }

    // fastai's norm_types: the layers whose scale and shift are never decayed.
    private static bool IsNormalization(Module m) => m is LayerNorm;
}
