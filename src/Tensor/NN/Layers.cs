namespace Tensors.NN;

/// <summary>y = x Wᵀ + b, with PyTorch's default initialisation: W and b uniform on ±1/sqrt(inFeatures).</summary>
public sealed class Linear : Module
{
    /// <summary>Creates the layer; <paramref name="generator"/> seeds the initial weights.</summary>
    /// <param name="inFeatures">The size of each input sample (PyTorch's <c>in_features</c>), positive.</param>
    /// <param name="outFeatures">The size of each output sample (<c>out_features</c>), positive.</param>
    /// <param name="bias">Whether the layer learns an additive bias; default <c>true</c>.</param>
    /// <param name="generator">The random stream for the initial weights; default null, <see
    /// cref="Generator.Default"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A feature count is not positive.</exception>
    public Linear(int inFeatures, int outFeatures, bool bias = true, Generator? generator = null)
    {
        if (inFeatures <= 0 || outFeatures <= 0)
            throw new ArgumentOutOfRangeException(nameof(inFeatures), $"Linear: feature counts must be positive, got {inFeatures} -> {outFeatures}.");
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        double bound = 1 / Math.Sqrt(inFeatures);
        Weight = Parameter("weight", Uniform([outFeatures, inFeatures], bound, generator));
        Bias = bias ? Parameter("bias", Uniform([outFeatures], bound, generator)) : null;
    }

    private static Tensor Uniform(int[] shape, double bound, Generator? g)
    {
        using var u = Tensor.Rand(shape, g);
        return u * (2 * bound) - bound;
    }

    /// <summary>The input size.</summary>
    public int InFeatures { get; }

    /// <summary>The output size.</summary>
    public int OutFeatures { get; }

    /// <summary>[OutFeatures, InFeatures].</summary>
    public Tensor Weight { get; }

    /// <summary>[OutFeatures], or null.</summary>
    public Tensor? Bias { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Functional.Linear(input, Weight, Bias);
}

/// <summary>max(x, 0).</summary>
public sealed class ReLU : Module
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input.Relu();
}

/// <summary>1 / (1 + e^-x).</summary>
public sealed class Sigmoid : Module
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input.Sigmoid();
}

/// <summary>Flattens dims <c>startDim..endDim</c> (by default all but the batch dim).</summary>
/// <param name="startDim">The first dim to merge; default 1, keeping the batch dim.</param>
/// <param name="endDim">The last dim to merge, included; default -1, the last.</param>
public sealed class Flatten(int startDim = 1, int endDim = -1) : Module
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input.Flatten(startDim, endDim);
}

/// <summary>Runs modules one after another; they are registered as <c>0</c>, <c>1</c>, ...</summary>
public sealed class Sequential : Module
{
    private readonly List<Module> _modules = new();

    /// <summary>Chains <paramref name="modules"/>.</summary>
    /// <param name="modules">The modules, applied in order; registered under the names "0", "1", ....</param>
    public Sequential(params Module[] modules)
    {
        for (int i = 0; i < modules.Length; i++) _modules.Add(Register(i.ToString(), modules[i]));
    }

    /// <summary>The i-th module.</summary>
    /// <param name="index">The position, 0..Count-1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is out of range.</exception>
    public Module this[int index] => _modules[index];

    /// <summary>The number of modules.</summary>
    public int Count => _modules.Count;

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        var x = input;
        foreach (var m in _modules)
        {
            var next = m.Call(x);
            if (!ReferenceEquals(x, input)) x.Dispose();
            x = next;
        }
        return ReferenceEquals(x, input) ? input.Contiguous() : x;
    }
}
