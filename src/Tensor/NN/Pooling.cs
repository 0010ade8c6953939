namespace Tensors.NN;

/// <summary>The maximum over each kernel window (PyTorch's <c>nn.MaxPool2d</c>); see <see cref="Functional.MaxPool2d(Tensor, int, int?, int, int, bool)"/>.</summary>
public sealed class MaxPool2d : Module
{
    /// <summary>Creates the layer with a square window.</summary>
    /// <param name="kernelSize">The window's height and width.</param>
    /// <param name="stride">The step between windows; null means <paramref name="kernelSize"/>; default null.</param>
    /// <param name="padding">Implicit -inf padding on each side, at most half the kernel size; default 0.</param>
    /// <param name="dilation">The step between the elements of a window; default 1.</param>
    /// <param name="ceilMode">Rounds the output size up; default <c>false</c>.</param>
    public MaxPool2d(int kernelSize, int? stride = null, int padding = 0, int dilation = 1, bool ceilMode = false)
        : this((kernelSize, kernelSize), stride is int s ? (s, s) : null, (padding, padding), (dilation, dilation), ceilMode) { }

    /// <summary>Creates the layer with (height, width) pairs.</summary>
    /// <param name="kernelSize">The window's (height, width).</param>
    /// <param name="stride">The step between windows; null means <paramref name="kernelSize"/>; default null.</param>
    /// <param name="padding">Implicit -inf padding, at most half the kernel size; default <c>default</c>.</param>
    /// <param name="dilation">The step between the elements of a window; null means (1, 1); default null.</param>
    /// <param name="ceilMode">Rounds the output size up; default <c>false</c>.</param>
    public MaxPool2d((int H, int W) kernelSize, (int H, int W)? stride = null, (int H, int W) padding = default, (int H, int W)? dilation = null, bool ceilMode = false)
    {
        KernelSize = kernelSize;
        Stride = stride ?? kernelSize;
        Padding = padding;
        Dilation = dilation ?? (1, 1);
        CeilMode = ceilMode;
    }

    /// <summary>The window's (height, width).</summary>
    public (int H, int W) KernelSize { get; }
    /// <summary>The step between windows.</summary>
    public (int H, int W) Stride { get; }
    /// <summary>The implicit padding.</summary>
    public (int H, int W) Padding { get; }
    /// <summary>The step between the elements of a window.</summary>
    public (int H, int W) Dilation { get; }
    /// <summary>Whether the output size rounds up.</summary>
    public bool CeilMode { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Functional.MaxPool2d(input, KernelSize, Stride, Padding, Dilation, CeilMode);
}

/// <summary>The mean over each kernel window (PyTorch's <c>nn.AvgPool2d</c>); see <see cref="Functional.AvgPool2d(Tensor, int, int?, int, bool, bool)"/>.</summary>
public sealed class AvgPool2d : Module
{
    /// <summary>Creates the layer with a square window.</summary>
    /// <param name="kernelSize">The window's height and width.</param>
    /// <param name="stride">The step between windows; null means <paramref name="kernelSize"/>; default null.</param>
    /// <param name="padding">Implicit zero padding on each side, at most half the kernel size; default 0.</param>
    /// <param name="ceilMode">Rounds the output size up; default <c>false</c>.</param>
    /// <param name="countIncludePad">True counts the zero padding in the divisor; default <c>true</c>.</param>
    public AvgPool2d(int kernelSize, int? stride = null, int padding = 0, bool ceilMode = false, bool countIncludePad = true)
        : this((kernelSize, kernelSize), stride is int s ? (s, s) : null, (padding, padding), ceilMode, countIncludePad) { }

    /// <summary>Creates the layer with (height, width) pairs.</summary>
    /// <param name="kernelSize">The window's (height, width).</param>
    /// <param name="stride">The step between windows; null means <paramref name="kernelSize"/>; default null.</param>
    /// <param name="padding">Implicit zero padding, at most half the kernel size; default <c>default</c>.</param>
    /// <param name="ceilMode">Rounds the output size up; default <c>false</c>.</param>
    /// <param name="countIncludePad">True counts the zero padding in the divisor; default <c>true</c>.</param>
    public AvgPool2d((int H, int W) kernelSize, (int H, int W)? stride = null, (int H, int W) padding = default, bool ceilMode = false, bool countIncludePad = true)
    {
        KernelSize = kernelSize;
        Stride = stride ?? kernelSize;
        Padding = padding;
        CeilMode = ceilMode;
        CountIncludePad = countIncludePad;
    }

    /// <summary>The window's (height, width).</summary>
    public (int H, int W) KernelSize { get; }
    /// <summary>The step between windows.</summary>
    public (int H, int W) Stride { get; }
    /// <summary>The implicit padding.</summary>
    public (int H, int W) Padding { get; }
    /// <summary>Whether the output size rounds up.</summary>
    public bool CeilMode { get; }
    /// <summary>Whether the zero padding counts in the divisor.</summary>
    public bool CountIncludePad { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Functional.AvgPool2d(input, KernelSize, Stride, Padding, CeilMode, CountIncludePad);
}

/// <summary>The mean over adaptive windows to a fixed output size (PyTorch's <c>nn.AdaptiveAvgPool2d</c>).</summary>
/// <param name="outputSize">The output's (height, width).</param>
public sealed class AdaptiveAvgPool2d((int H, int W) outputSize) : Module
{
    /// <summary>Creates the layer with a square output.</summary>
    /// <param name="outputSize">The output's height and width.</param>
    public AdaptiveAvgPool2d(int outputSize) : this((outputSize, outputSize)) { }

    /// <summary>The output's (height, width).</summary>
    public (int H, int W) OutputSize { get; } = outputSize;

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Functional.AdaptiveAvgPool2d(input, OutputSize);
}

/// <summary>The maximum over adaptive windows to a fixed output size (PyTorch's <c>nn.AdaptiveMaxPool2d</c>).</summary>
/// <param name="outputSize">The output's (height, width).</param>
public sealed class AdaptiveMaxPool2d((int H, int W) outputSize) : Module
{
    /// <summary>Creates the layer with a square output.</summary>
    /// <param name="outputSize">The output's height and width.</param>
    public AdaptiveMaxPool2d(int outputSize) : this((outputSize, outputSize)) { }

    /// <summary>The output's (height, width).</summary>
    public (int H, int W) OutputSize { get; } = outputSize;

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Functional.AdaptiveMaxPool2d(input, OutputSize);
}
