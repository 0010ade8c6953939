using Tensors.Data;
using Tensors.Models;
using Tensors.NN;
using Tensors.Optim;

namespace Tensors.Training;

public sealed partial class Learner
{
    /// <summary>
    /// fastai's <c>cnn_learner(dls, arch, pretrained=False, loss_func=F.cross_entropy, metrics=...)</c>: the model is
    /// <c>Sequential(body, head)</c> with fastai's <see cref="FastaiHead"/> (indices 0 and 1, as fastai's), nothing
    /// frozen (not pretrained), trained with <see cref="FastaiAdam"/> and, by default, cross entropy. Then
    /// <c>learner.FitOneCycle(1, 0.1)</c> is the chapter's last cell.
    /// </summary>
    /// <param name="dls">The data.</param>
    /// <param name="body">The convolutional body, e.g. <c>ResNet.ResNet18().Body()</c>.</param>
    /// <param name="bodyFeatures">The channels out of the body (e.g. <see cref="ResNet.NumFeatures"/>).</param>
    /// <param name="nOut">The classes.</param>
    /// <param name="lossFunction">loss(predictions, targets); by default (null) cross entropy, as fastai's.</param>
    /// <param name="generator">The random stream for the head's init and dropout; by default (null) <see cref="Generator.Default"/>.</param>
    /// <param name="metrics">Measured on the validation set after each epoch.</param>
    public static Learner CnnLearner(DataLoaders dls, Module body, int bodyFeatures, int nOut,
        Func<Tensor, Tensor, Tensor>? lossFunction = null, Generator? generator = null, params Metric[] metrics)
    {
        ArgumentNullException.ThrowIfNull(body);
        var model = new Sequential(body, FastaiHead.Create(bodyFeatures, nOut, generator: generator));
        model.To(body.Device);
        // The factory is given the model's parameters as a flat list; it needs the modules to split them into groups.
        return new Learner(dls, model, (_, lr) => FastaiAdam(model, lr), lossFunction ?? Functional.CrossEntropy, metrics);
    }

    /// <summary>
    /// fastai's default <c>opt_func</c> as a <see cref="Learner"/> makes it for <paramref name="model"/>: fastai's
    /// Adam (moments 0.9 and 0.99, eps 1e-5, decoupled weight decay; the same update as <see cref="AdamW"/>), with no
    /// weight decay on the parameters of normalization layers and on biases (fastai's <c>wd_bn_bias=False</c>):
    /// two parameter groups, the decayed one first. fastai's one-cycle then cycles beta1 as the momentum.
    /// </summary>
    /// <param name="model">The model whose parameters it updates.</param>
    /// <param name="lr">The learning rate.</param>
    /// <param name="weightDecay">fastai's <c>wd</c>, decoupled; default 0.01.</param>
    /// <param name="wdBnBias">True to decay normalization parameters and biases too; default false (fastai's <c>wd_bn_bias</c>).</param>
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
    private static bool IsNormalization(Module m) => m is LayerNorm or BatchNorm1d or BatchNorm2d;
}
