namespace Tensors.NN;

/// <summary>y = x Wᵀ + b, with PyTorch's default initialisation: W and b uniform on ±1/sqrt(inFeatures).</summary>
public sealed class Linear : Module
{
    /// <summary>Creates the layer; <paramref name="generator"/> seeds the initial weights.</summary>
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
    public Sequential(params Module[] modules)
    {
        for (int i = 0; i < modules.Length; i++) _modules.Add(Register(i.ToString(), modules[i]));
    }

    /// <summary>The i-th module.</summary>
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
