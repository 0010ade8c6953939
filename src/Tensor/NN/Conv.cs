namespace Tensors.NN;

/// <summary>
/// A 2-D convolution layer (PyTorch's <c>nn.Conv2d</c>) over [N, inChannels, H, W] inputs, with PyTorch's default
/// initialisation: the weight by <see cref="Init.KaimingUniform_"/> with a = sqrt(5) (uniform on ±1/sqrt(fan_in)),
/// and the bias uniform on ±1/sqrt(fan_in), where fan_in = inChannels/groups * kernelSize².
/// </summary>
public sealed class Conv2d : Module
{
    /// <summary>Creates the layer; <paramref name="generator"/> seeds the initial weights.</summary>
    /// <param name="inChannels">The input's channels (divisible by <paramref name="groups"/>).</param>
    /// <param name="outChannels">The output's channels (divisible by <paramref name="groups"/>).</param>
    /// <param name="kernelSize">The square kernel's size.</param>
    /// <param name="stride">The step between windows; default 1.</param>
    /// <param name="padding">Zeros added on each side; default 0.</param>
    /// <param name="dilation">The spacing between kernel taps; default 1.</param>
    /// <param name="groups">Independent channel groups (inChannels for a depthwise convolution); default 1.</param>
    /// <param name="bias">Whether the layer adds a learnable bias per output channel; default <c>true</c>.</param>
    /// <param name="generator">The random stream for the initial weights (default: <see cref="Generator.Default"/>).</param>
    /// <exception cref="ArgumentOutOfRangeException">A channel count or <paramref name="groups"/> is not
    /// positive.</exception>
    /// <exception cref="ArgumentException">A channel count is not divisible by <paramref name="groups"/>, or the
    /// kernel size, stride, padding or dilation is out of range.</exception>
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0, int dilation = 1, int groups = 1,
        bool bias = true, Generator? generator = null)
    {
        if (inChannels <= 0 || outChannels <= 0 || groups <= 0)
            throw new ArgumentOutOfRangeException(nameof(inChannels),
                $"Conv2d: channel counts and groups must be positive, got in_channels={inChannels}, out_channels={outChannels}, groups={groups}.");
        if (inChannels % groups != 0 || outChannels % groups != 0)
            throw new ArgumentException(
                $"Conv2d: in_channels ({inChannels}) and out_channels ({outChannels}) must both be divisible by groups ({groups}).");
        new ConvGeometry(kernelSize, kernelSize, stride, stride, padding, padding, dilation, dilation).Validate("Conv2d");
        (InChannels, OutChannels, KernelSize, Stride, Padding, Dilation, Groups) = (inChannels, outChannels, kernelSize, stride, padding, dilation, groups);
        var weight = Tensor.Zeros(outChannels, inChannels / groups, kernelSize, kernelSize);
        Init.KaimingUniform_(weight, a: Math.Sqrt(5), generator: generator);
        Weight = Parameter("weight", weight);
        if (bias)
        {
            double bound = 1 / Math.Sqrt(inChannels / groups * kernelSize * kernelSize);
            Bias = Parameter("bias", Init.Uniform_(Tensor.Zeros(outChannels), -bound, bound, generator));
        }
    }

    /// <summary>The input's channels.</summary>
    public int InChannels { get; }

    /// <summary>The output's channels.</summary>
    public int OutChannels { get; }

    /// <summary>The square kernel's size.</summary>
    public int KernelSize { get; }

    /// <summary>The step between windows.</summary>
    public int Stride { get; }

    /// <summary>Zeros added on each side.</summary>
    public int Padding { get; }

    /// <summary>The spacing between kernel taps.</summary>
    public int Dilation { get; }

    /// <summary>Independent channel groups.</summary>
    public int Groups { get; }

    /// <summary>[OutChannels, InChannels/Groups, KernelSize, KernelSize].</summary>
    public Tensor Weight { get; }

    /// <summary>[OutChannels], or null.</summary>
    public Tensor? Bias { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Functional.Conv2d(input, Weight, Bias, Stride, Padding, Dilation, Groups);
}
