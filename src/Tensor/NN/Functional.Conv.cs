using Tensors.Graph;

namespace Tensors.NN;

// Convolution as im2col + one matrix product per group: Unfold turns each receptive field into a column (batch-inner,
// [C*kh*kw, N*L], so that the whole batch is one large GEMM rather than N small ones), the weight (viewed as
// [groups, out/groups, in/groups*kh*kw]) multiplies the columns of its group, and the bias broadcasts. Autograd
// composes: MatMul gives the weight's gradient and the columns' gradient, which Unfold's node folds back into the
// input's.
public static partial class Functional
{
    /// <summary>
    /// A 2-D convolution (PyTorch's <c>F.conv2d</c>, a cross-correlation): out[n, o] = bias[o] + sum over the
    /// channels c of group(o) and kernel taps (i, j) of weight[o, c, i, j] * input[n, c, y*stride + i*dilation - padding,
    /// x*stride + j*dilation - padding], where positions in the padding read 0.
    /// </summary>
    /// <param name="input">[N, C, H, W] (or unbatched [C, H, W]), floating point.</param>
    /// <param name="weight">[O, C/groups, kh, kw], the input's dtype and device.</param>
    /// <param name="bias">Null, or [O]; default null.</param>
    /// <param name="stride">The step between windows, both ways; default 1.</param>
    /// <param name="padding">Zeros added on each side, both ways; default 0.</param>
    /// <param name="dilation">The spacing between kernel taps, both ways; default 1.</param>
    /// <param name="groups">Splits the channels into this many independent convolutions (C and O divisible by it;
    /// groups = C is a depthwise convolution); default 1.</param>
    /// <returns>[N, O, OH, OW] with OH = (H + 2*padding - dilation*(kh - 1) - 1) / stride + 1 (OW alike).</returns>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0, int dilation = 1, int groups = 1) =>
        Conv2d(input, weight, bias, (stride, stride), (padding, padding), (dilation, dilation), groups);

    /// <summary>A 2-D convolution with (height, width) pairs for stride, padding and dilation; see
    /// <see cref="Conv2d(Tensor, Tensor, Tensor?, int, int, int, int)"/>.</summary>
    /// <param name="input">[N, C, H, W] (or unbatched [C, H, W]), floating point.</param>
    /// <param name="weight">[O, C/groups, kh, kw], the input's dtype and device.</param>
    /// <param name="bias">Null, or [O].</param>
    /// <param name="stride">The step between windows, (height, width).</param>
    /// <param name="padding">Zeros added on each side, (height, width).</param>
    /// <param name="dilation">The spacing between kernel taps, (height, width).</param>
    /// <param name="groups">Splits the channels into this many independent convolutions; default 1.</param>
    /// <exception cref="ArgumentException">The input is not 3-D or 4-D or not floating point, the weight is not 4-D,
    /// the channels do not match the weight and groups, the bias is not one value per output channel, the dtypes or
    /// devices differ, or the kernel does not fit the padded input.</exception>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias, (int H, int W) stride, (int H, int W) padding,
        (int H, int W) dilation, int groups = 1)
    {
        const string op = "Conv2d";
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        if (input.Rank is not (3 or 4))
            throw new ArgumentException($"{op}: expected 3D (unbatched) or 4D (batched) input, but got input of shape {Layout.Format(input.Layout.Shape)}.");
        if (weight.Rank != 4)
            throw new ArgumentException($"{op}: expected a 4D weight [out_channels, in_channels/groups, kh, kw], but got weight of shape {Layout.Format(weight.Layout.Shape)}.");
        if (groups <= 0)
            throw new ArgumentException($"{op}: non-positive groups is not supported, got groups={groups}.");
        var w = weight.Layout.Shape;
        var geometry = new ConvGeometry(w[2], w[3], stride.H, stride.W, padding.H, padding.W, dilation.H, dilation.W);
        geometry.Validate(op);
        CheckOperand(op, "weight", input, weight);
        if (bias is not null)
        {
            CheckOperand(op, "bias", input, bias);
            if (bias.Rank != 1 || bias.Layout.Shape[0] != w[0])
                throw new ArgumentException($"{op}: expected bias of shape [{w[0]}] (one per output channel), but got bias of shape {Layout.Format(bias.Layout.Shape)}.");
        }
        using var scope = Tensor.NewDisposeScope();
        var x = input.Rank == 3 ? input.Unsqueeze(0) : input;
        var s = x.Layout.Shape;
        int n = s[0], c = s[1], h = s[2], wd = s[3], outC = w[0];
        if (outC % groups != 0)
            throw new ArgumentException($"{op}: out_channels must be divisible by groups, got weight of shape {Layout.Format(w)} and groups={groups}.");
        if (c != w[1] * groups)
            throw new ArgumentException(
                $"{op}: given groups={groups}, weight of shape {Layout.Format(w)}, expected input{Layout.Format(x.Layout.Shape)} to have " +
                $"{w[1] * groups} channels, but got {c} channels instead.");
        geometry.CheckFits(op, h, wd);
        int oh = geometry.OutH(h), ow = geometry.OutW(wd), k = w[1] * w[2] * w[3];
        var kernel = weight.Reshape(groups, outC / groups, k);
        Tensor product;
        if (geometry.IsPointwise)
        {
            // No im2col: the input viewed as [N, C, H*W] already is the column matrix of each image.
            using var grouped = x.Reshape(n, groups, k, h * wd);
            product = kernel.MatMul(grouped).View(n, outC, oh, ow);
        }
        else
        {
            // The product comes out [O, N, OH, OW]: made batch-first by the bias addition's own pass when there is
            // a bias, by a copy otherwise.
            using var columns = Unfold(x, geometry, batchInner: true);
            using var grouped = columns.View(groups, k, n * oh * ow);
            using var outputs = kernel.MatMul(grouped).View(outC, n, oh, ow);
            product = outputs.Permute(1, 0, 2, 3);
            if (bias is null) product = product.Contiguous();
        }
        var result = bias is null ? product : product + bias.View(outC, 1, 1);
        return scope.MoveToOuter(input.Rank == 3 ? result.Squeeze(0) : result);
    }

    private static void CheckOperand(string op, string name, Tensor input, Tensor other)
    {
        if (!input.DType.IsFloatingPoint())
            throw new ArgumentException($"{op}: input must be floating point, got {input.DType.Name()}.");
        if (other.DType != input.DType)
            throw new ArgumentException($"{op}: input type ({input.DType.Name()}) and {name} type ({other.DType.Name()}) should be the same.");
        if (other.Device != input.Device)
            throw new ArgumentException($"{op}: input ({input.Device}) and {name} ({other.Device}) must be on the same device.");
    }

    /// <summary>
    /// Extracts sliding windows (PyTorch's <c>F.unfold</c>, im2col): [N, C, H, W] becomes [N, C*kh*kw, L], where each of
    /// the L = OH*OW columns holds one window (channel-major, then kernel row, then kernel column), with zeros where it
    /// reads padding.
    /// </summary>
    /// <param name="input">[N, C, H, W].</param>
    /// <param name="kernelSize">The window's (height, width).</param>
    /// <param name="dilation">The spacing between window taps, (height, width).</param>
    /// <param name="padding">Zeros added on each side, (height, width).</param>
    /// <param name="stride">The step between windows, (height, width).</param>
    /// <exception cref="ArgumentException">The input is not 4-D, or the window does not fit the padded
    /// input.</exception>
    public static Tensor Unfold(Tensor input, (int H, int W) kernelSize, (int H, int W) dilation, (int H, int W) padding, (int H, int W) stride)
    {
        const string op = "Unfold";
        ArgumentNullException.ThrowIfNull(input);
        var geometry = new ConvGeometry(kernelSize.H, kernelSize.W, stride.H, stride.W, padding.H, padding.W, dilation.H, dilation.W);
        geometry.Validate(op);
        if (input.Rank != 4)
            throw new ArgumentException($"{op}: expected a 4D input [N, C, H, W], but got input of shape {Layout.Format(input.Layout.Shape)}.");
        geometry.CheckFits(op, input.Layout.Shape[2], input.Layout.Shape[3]);
        return Unfold(input, geometry, batchInner: false);
    }

    /// <summary>PyTorch's <c>F.unfold</c> with one size for both ways; see
    /// <see cref="Unfold(Tensor, ValueTuple{int, int}, ValueTuple{int, int}, ValueTuple{int, int}, ValueTuple{int, int})"/>.</summary>
    /// <param name="input">[N, C, H, W].</param>
    /// <param name="kernelSize">The window's height and width.</param>
    /// <param name="dilation">The spacing between window taps; default 1.</param>
    /// <param name="padding">Zeros added on each side; default 0.</param>
    /// <param name="stride">The step between windows; default 1.</param>
    /// <exception cref="ArgumentException">The input is not 4-D, or the window does not fit the padded
    /// input.</exception>
    public static Tensor Unfold(Tensor input, int kernelSize, int dilation = 1, int padding = 0, int stride = 1) =>
        Unfold(input, (kernelSize, kernelSize), (dilation, dilation), (padding, padding), (stride, stride));

    /// <summary>
    /// Sums sliding windows back into an image (PyTorch's <c>F.fold</c>, col2im), the adjoint of
    /// <see cref="Unfold(Tensor, int, int, int, int)"/>: [N, C*kh*kw, L] becomes [N, C, H, W], where values of overlapping
    /// windows add up and values that fall in the padding are dropped.
    /// </summary>
    /// <param name="input">[N, C*kh*kw, L] with L the number of windows that fit <paramref name="outputSize"/>.</param>
    /// <param name="outputSize">The image's (H, W).</param>
    /// <param name="kernelSize">The window's (height, width).</param>
    /// <param name="dilation">The spacing between window taps, (height, width).</param>
    /// <param name="padding">Zeros added on each side, (height, width).</param>
    /// <param name="stride">The step between windows, (height, width).</param>
    /// <exception cref="ArgumentException"><paramref name="outputSize"/> is not positive, or the input's shape does not
    /// match the number and size of the windows.</exception>
    public static Tensor Fold(Tensor input, (int H, int W) outputSize, (int H, int W) kernelSize, (int H, int W) dilation, (int H, int W) padding, (int H, int W) stride)
    {
        const string op = "Fold";
        ArgumentNullException.ThrowIfNull(input);
        var geometry = new ConvGeometry(kernelSize.H, kernelSize.W, stride.H, stride.W, padding.H, padding.W, dilation.H, dilation.W);
        geometry.Validate(op);
        if (outputSize.H <= 0 || outputSize.W <= 0)
            throw new ArgumentException($"{op}: output size should be greater than zero, but got output_size=({outputSize.H}, {outputSize.W}).");
        geometry.CheckFits(op, outputSize.H, outputSize.W);
        int taps = kernelSize.H * kernelSize.W, blocks = geometry.OutH(outputSize.H) * geometry.OutW(outputSize.W);
        var s = input.Layout.Shape;
        if (input.Rank != 3 || s[1] % taps != 0 || s[2] != blocks)
            throw new ArgumentException(
                $"{op}: expected input of shape [N, C*{kernelSize.H}*{kernelSize.W}, {blocks}] (channels times the kernel's taps, then the " +
                $"{blocks} windows that fit output_size ({outputSize.H}, {outputSize.W})), but got input of shape {Layout.Format(s)}.");
        return Fold(input, geometry, s[0], outputSize.H, outputSize.W, batchInner: false);
    }

    /// <summary>PyTorch's <c>F.fold</c> with one size for both ways; see
    /// <see cref="Fold(Tensor, ValueTuple{int, int}, ValueTuple{int, int}, ValueTuple{int, int}, ValueTuple{int, int}, ValueTuple{int, int})"/>.</summary>
    /// <param name="input">[N, C*kh*kw, L].</param>
    /// <param name="outputSize">The image's height and width.</param>
    /// <param name="kernelSize">The window's height and width.</param>
    /// <param name="dilation">The spacing between window taps; default 1.</param>
    /// <param name="padding">Zeros added on each side; default 0.</param>
    /// <param name="stride">The step between windows; default 1.</param>
    /// <exception cref="ArgumentException"><paramref name="outputSize"/> is not positive, or the input's shape does not
    /// match the number and size of the windows.</exception>
    public static Tensor Fold(Tensor input, int outputSize, int kernelSize, int dilation = 1, int padding = 0, int stride = 1) =>
        Fold(input, (outputSize, outputSize), (kernelSize, kernelSize), (dilation, dilation), (padding, padding), (stride, stride));

    // The checked cores: each records the other as its backward.
    internal static Tensor Unfold(Tensor input, ConvGeometry geometry, bool batchInner)
    {
        bool record = Autograd.ShouldRecord(input);
        Tensor columns;
        using (Autograd.Suspend()) columns = geometry.UnfoldRaw(input, batchInner);
        return record ? columns.Record(new UnfoldBackward(input, geometry, batchInner)) : columns;
    }

    internal static Tensor Fold(Tensor columns, ConvGeometry geometry, int n, int h, int w, bool batchInner)
    {
        bool record = Autograd.ShouldRecord(columns);
        Tensor image;
        using (Autograd.Suspend()) image = geometry.FoldRaw(columns, n, h, w, batchInner);
        return record ? image.Record(new FoldBackward(columns, geometry, batchInner)) : image;
    }
}
