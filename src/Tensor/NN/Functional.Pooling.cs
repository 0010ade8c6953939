namespace Tensors.NN;

// 2-d pooling as composites. Each output position reads a window of the (padded) input; the windows are listed on the
// host as flat positions, gathered in one IndexSelect ([N, C, K, OH, OW]) and reduced over K. The gradients are
// those of the ops composed: the average's IndexSelect adds back through repeated positions (overlapping windows);
// the max is a Gather at each window's first maximum, whose gradient scatters to that one element. A
// window's padding reads -inf (max) or 0 (average); ragged adaptive windows are filled up to the largest with one
// extra such element.
public static partial class Functional
{
    /// <summary>
    /// The maximum over each kernel window (PyTorch's <c>F.max_pool2d</c>): input [N, C, H, W] or [C, H, W], output
    /// [N, C, OH, OW] with OH = floor((H + 2 padding - dilation (kernelSize - 1) - 1) / stride) + 1 (ceil with
    /// <paramref name="ceilMode"/>). Padding counts as -inf. The gradient goes to each window's first maximum.
    /// </summary>
    /// <param name="input">A floating tensor [N, C, H, W] or [C, H, W].</param>
    /// <param name="kernelSize">The window's height and width.</param>
    /// <param name="stride">The step between windows; null means <paramref name="kernelSize"/>; default null.</param>
    /// <param name="padding">Implicit -inf padding on each side, at most half the kernel size; default 0.</param>
    /// <param name="dilation">The step between the elements of a window; default 1.</param>
    /// <param name="ceilMode">Rounds the output size up, so that a last partial window (starting inside the input or
    /// the left padding) is kept; default <c>false</c>.</param>
    public static Tensor MaxPool2d(Tensor input, int kernelSize, int? stride = null, int padding = 0, int dilation = 1, bool ceilMode = false) =>
        MaxPool2d(input, (kernelSize, kernelSize), stride is int s ? (s, s) : null, (padding, padding), (dilation, dilation), ceilMode);

    /// <summary>PyTorch's <c>F.max_pool2d</c> with (height, width) pairs; see the square form.</summary>
    /// <param name="input">A floating tensor [N, C, H, W] or [C, H, W].</param>
    /// <param name="kernelSize">The window's (height, width).</param>
    /// <param name="stride">The (vertical, horizontal) step between windows; null means <paramref name="kernelSize"/>;
    /// default null.</param>
    /// <param name="padding">Implicit -inf padding (top and bottom, left and right), at most half the kernel size;
    /// default <c>default</c>.</param>
    /// <param name="dilation">The step between the elements of a window (vertical, horizontal); null means (1, 1);
    /// default null.</param>
    /// <param name="ceilMode">Rounds the output size up; default <c>false</c>.</param>
    public static Tensor MaxPool2d(Tensor input, (int H, int W) kernelSize, (int H, int W)? stride = null, (int H, int W) padding = default,
        (int H, int W)? dilation = null, bool ceilMode = false)
    {
        const string op = "MaxPool2d";
        CheckPoolInput(op, input);
        var rows = PoolDim.Of(op, "height", input.Layout.Shape[^2], kernelSize.H, (stride ?? kernelSize).H, padding.H, (dilation ?? (1, 1)).H, ceilMode);
        var cols = PoolDim.Of(op, "width", input.Layout.Shape[^1], kernelSize.W, (stride ?? kernelSize).W, padding.W, (dilation ?? (1, 1)).W, ceilMode);
        return Pool(input, PoolWindows.Strided(rows, cols, countIncludePad: true), max: true);
    }

    /// <summary>
    /// The mean over each kernel window (PyTorch's <c>F.avg_pool2d</c>); output size as <see cref="MaxPool2d(Tensor, int, int?, int, int, bool)"/>
    /// without dilation. The divisor is the window's size clipped to the padded input, or with
    /// <paramref name="countIncludePad"/> false the number of input elements in it.
    /// </summary>
    /// <param name="input">A floating tensor [N, C, H, W] or [C, H, W].</param>
    /// <param name="kernelSize">The window's height and width.</param>
    /// <param name="stride">The step between windows; null means <paramref name="kernelSize"/>; default null.</param>
    /// <param name="padding">Implicit zero padding on each side, at most half the kernel size; default 0.</param>
    /// <param name="ceilMode">Rounds the output size up; default <c>false</c>.</param>
    /// <param name="countIncludePad">True counts the zero padding in the divisor; default <c>true</c>.</param>
    public static Tensor AvgPool2d(Tensor input, int kernelSize, int? stride = null, int padding = 0, bool ceilMode = false, bool countIncludePad = true) =>
        AvgPool2d(input, (kernelSize, kernelSize), stride is int s ? (s, s) : null, (padding, padding), ceilMode, countIncludePad);

    /// <summary>PyTorch's <c>F.avg_pool2d</c> with (height, width) pairs; see the square form.</summary>
    /// <param name="input">A floating tensor [N, C, H, W] or [C, H, W].</param>
    /// <param name="kernelSize">The window's (height, width).</param>
    /// <param name="stride">The (vertical, horizontal) step between windows; null means <paramref name="kernelSize"/>;
    /// default null.</param>
    /// <param name="padding">Implicit zero padding (top and bottom, left and right), at most half the kernel size;
    /// default <c>default</c>.</param>
    /// <param name="ceilMode">Rounds the output size up; default <c>false</c>.</param>
    /// <param name="countIncludePad">True counts the zero padding in the divisor; default <c>true</c>.</param>
    public static Tensor AvgPool2d(Tensor input, (int H, int W) kernelSize, (int H, int W)? stride = null, (int H, int W) padding = default,
        bool ceilMode = false, bool countIncludePad = true)
    {
        const string op = "AvgPool2d";
        CheckPoolInput(op, input);
        var rows = PoolDim.Of(op, "height", input.Layout.Shape[^2], kernelSize.H, (stride ?? kernelSize).H, padding.H, 1, ceilMode);
        var cols = PoolDim.Of(op, "width", input.Layout.Shape[^1], kernelSize.W, (stride ?? kernelSize).W, padding.W, 1, ceilMode);
        return Pool(input, PoolWindows.Strided(rows, cols, countIncludePad), max: false);
    }

    /// <summary>
    /// The mean over adaptive windows giving an output of <paramref name="outputSize"/> x <paramref name="outputSize"/>
    /// (PyTorch's <c>F.adaptive_avg_pool2d</c>): output row i averages input rows floor(i H / OH) to
    /// ceil((i + 1) H / OH) - 1, and likewise for columns.
    /// </summary>
    /// <param name="input">A floating tensor [N, C, H, W] or [C, H, W].</param>
    /// <param name="outputSize">The output's height and width.</param>
    public static Tensor AdaptiveAvgPool2d(Tensor input, int outputSize) => AdaptiveAvgPool2d(input, (outputSize, outputSize));

    /// <summary>PyTorch's <c>F.adaptive_avg_pool2d</c> with an output of (height, width).</summary>
    /// <param name="input">A floating tensor [N, C, H, W] or [C, H, W].</param>
    /// <param name="outputSize">The output's (height, width).</param>
    public static Tensor AdaptiveAvgPool2d(Tensor input, (int H, int W) outputSize)
    {
        const string op = "AdaptiveAvgPool2d";
        CheckAdaptive(op, input, outputSize);
        // The global pool of every CNN head: one reduction.
        if (outputSize == (1, 1)) return input.Mean([-2, -1], keepDim: true);
        return Pool(input, PoolWindows.Adaptive(input.Layout.Shape[^2], input.Layout.Shape[^1], outputSize), max: false);
    }

    /// <summary>
    /// The maximum over adaptive windows giving an output of <paramref name="outputSize"/> x <paramref name="outputSize"/>
    /// (PyTorch's <c>F.adaptive_max_pool2d</c>); windows as in <see cref="AdaptiveAvgPool2d(Tensor, int)"/>. The
    /// gradient goes to each window's first maximum.
    /// </summary>
    /// <param name="input">A floating tensor [N, C, H, W] or [C, H, W].</param>
    /// <param name="outputSize">The output's height and width.</param>
    /// <exception cref="ArgumentException">The input is not 3-D or 4-D with non-empty C, H and W, or not floating
    /// point, or <paramref name="outputSize"/> is not positive.</exception>
    public static Tensor AdaptiveMaxPool2d(Tensor input, int outputSize) => AdaptiveMaxPool2d(input, (outputSize, outputSize));

    /// <summary>PyTorch's <c>F.adaptive_max_pool2d</c> with an output of (height, width).</summary>
    /// <param name="input">A floating tensor [N, C, H, W] or [C, H, W].</param>
    /// <param name="outputSize">The output's (height, width).</param>
    /// <exception cref="ArgumentException">The input is not 3-D or 4-D with non-empty C, H and W, or not floating
    /// point, or <paramref name="outputSize"/> is not positive.</exception>
    public static Tensor AdaptiveMaxPool2d(Tensor input, (int H, int W) outputSize)
    {
        const string op = "AdaptiveMaxPool2d";
        CheckAdaptive(op, input, outputSize);
        if (outputSize == (1, 1))
        {
            // One Max with indices over the flattened plane.
            using var scope = Tensor.NewDisposeScope();
            var shape = input.Shape;
            shape[^1] = shape[^2] = 1;
            var flat = input.Flatten(-2);
            return scope.MoveToOuter(flat.MaxWithIndices(-1).Values.Reshape(shape));
        }
        return Pool(input, PoolWindows.Adaptive(input.Layout.Shape[^2], input.Layout.Shape[^1], outputSize), max: true);
    }

    private static void CheckPoolInput(string op, Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var shape = input.Layout.Shape;
        if (input.Rank is not (3 or 4) || shape[^1] == 0 || shape[^2] == 0 || shape[^3] == 0)
            throw new ArgumentException(
                $"{op}: expected a 3-d [C, H, W] or 4-d [N, C, H, W] input with non-zero C, H and W, got shape {Layout.Format(shape)}.");
        if (!input.DType.IsFloatingPoint())
            throw new ArgumentException($"{op}: input must be floating point, got {input.DType.Name()} (shape {Layout.Format(shape)}).");
    }

    private static void CheckAdaptive(string op, Tensor input, (int H, int W) outputSize)
    {
        CheckPoolInput(op, input);
        if (outputSize.H <= 0 || outputSize.W <= 0)
            throw new ArgumentException($"{op}: outputSize must be positive, got ({outputSize.H}, {outputSize.W}) for input of shape {Layout.Format(input.Layout.Shape)}.");
    }

    // Gathers the windows and reduces each: [N, C, H, W] (or [C, H, W]) -> [N, C, OH, OW]. The window dim K comes
    // before the output dims ([N, C, K, OH, OW]), so the reduction combines whole planes (SIMD across outputs).
    private static Tensor Pool(Tensor input, PoolWindows windows, bool max)
    {
        using var scope = Tensor.NewDisposeScope();
        bool batched = input.Rank == 4;
        var x = batched ? input : input.Unsqueeze(0);
        int n = x.Layout.Shape[0], c = x.Layout.Shape[1];
        double fill = max ? double.NegativeInfinity : 0;
        var flat = windows.Pad is { } pad ? x.Pad(pad, value: fill).Flatten(2) : x.Flatten(2);
        if (windows.Filler) flat = flat.Pad([0, 1], value: fill);
        Tensor y;
        if (max) y = FirstMax(flat, windows);
        else
        {
            var gathered = flat.IndexSelect(2, windows.Index).View(n, c, windows.K, windows.OutH, windows.OutW);
            if (windows.Divisors is null) y = gathered.Mean(2);
            else
            {
                var divisors = Tensor.From(windows.Divisors, windows.OutH, windows.OutW).To(input.DType).To(input.Device);
                y = gathered.Sum(2) / divisors;
            }
        }
        return scope.MoveToOuter(batched ? y : y.Squeeze(0));
    }

    // Each window's maximum, read by a Gather at its first maximum's position in the flattened input (NaN counting as
    // a maximum), so the gradient scatters straight into the input as PyTorch's max-pool does. ArgMax over the window
    // dim gives the first maximum's tap (its vectorised kernel compares whole rows of outputs at once), and the taps'
    // positions, a [K, OH*OW] table, turn it into the position in the input.
    private static Tensor FirstMax(Tensor flat, PoolWindows windows)
    {
        int n = flat.Layout.Shape[0], c = flat.Layout.Shape[1], outputs = windows.OutH * windows.OutW;
        Tensor position;
        using (Autograd.Suspend())
        {
            using var scope = Tensor.NewDisposeScope();
            var gathered = windows.Grid is var (rows, cols)
                ? WindowsOf(flat, rows, cols).View(n, c, windows.K, outputs)
                : flat.IndexSelect(2, windows.Index).View(n, c, windows.K, outputs);
            var tap = gathered.ArgMax(2, keepDim: true);
            var table = Tensor.From(windows.Index.Select(i => (long)i).ToArray(), 1, 1, windows.K, outputs).To(flat.Device);
            position = scope.MoveToOuter(table.Expand(n, c, windows.K, outputs).Gather(2, tap).View(n, c, outputs));
        }
        // The positions come from the windows themselves: in range by construction, so no checking sync on CUDA.
        using (position) return flat.GatherTrusted("MaxPool2d", 2, position).View(n, c, windows.OutH, windows.OutW);
    }

    // A strided pool's windows copied out of the flattened (padded) input as [N, C, kh, kw, OH, OW]: each window a
    // strided view of the input (overlapping its neighbours), copied once by the backend's strided copy, which moves
    // the short rows of each window much faster than an index gather does element by element. Unrecorded.
    private static Tensor WindowsOf(Tensor flat, PoolDim rows, PoolDim cols)
    {
        using var dense = flat.Contiguous();
        int width = cols.Padded;
        using var view = dense.ViewAs("MaxPool2d", l => new Layout(
            [l.Shape[0], l.Shape[1], rows.Kernel, cols.Kernel, rows.Out, cols.Out],
            [l.Strides[0], l.Strides[1], rows.Dilation * width, cols.Dilation, rows.Stride * width, cols.Stride], l.Offset));
        return view.Contiguous();
    }

    /// <summary>One spatial dim of a strided pool: its sizes, checked as PyTorch's pool2d_shape_check does.</summary>
    private readonly record struct PoolDim(int In, int Kernel, int Stride, int Padding, int Dilation, int Out)
    {
        public static PoolDim Of(string op, string name, int size, int kernel, int stride, int padding, int dilation, bool ceilMode)
        {
            if (kernel <= 0 || stride <= 0 || dilation <= 0 || padding < 0)
                throw new ArgumentException(
                    $"{op}: kernel size, stride and dilation must be positive and padding non-negative, got kernel {kernel}, stride {stride}, " +
                    $"padding {padding}, dilation {dilation} along the {name}.");
            if (padding > kernel / 2)
                throw new ArgumentException($"{op}: pad should be at most half of kernel size, but got padding {padding} for kernel {kernel} along the {name}.");
            // PyTorch's pooling_output_shape: floor or ceil, and a last window must start inside the input or left padding.
            long span = (long)dilation * (kernel - 1) + 1;
            long numerator = size + 2L * padding - span + (ceilMode ? stride - 1 : 0);
            long output = (numerator < 0 ? (numerator - stride + 1) / stride : numerator / stride) + 1;
            if (ceilMode && (output - 1) * stride >= size + padding) output--;
            if (output < 1)
                throw new ArgumentException(
                    $"{op}: the input's {name} {size} with padding {padding} is smaller than the kernel's extent {span} " +
                    $"(kernel {kernel}, dilation {dilation}): output size {output} is too small.");
            return new PoolDim(size, kernel, stride, padding, dilation, (int)output);
        }

        /// <summary>The padded length: both paddings, plus what a ceil-mode last window reads beyond them.</summary>
        public int Padded => Math.Max(In + 2 * Padding, (Out - 1) * Stride + (Kernel - 1) * Dilation + 1);
    }

    /// <summary>
    /// The windows of a pool as flat positions, computed on the host: <see cref="Index"/> holds K x OH x OW positions
    /// into the input flattened over its last two dims after <see cref="Pad"/> (F.pad's order, or none), with one
    /// filler element appended when <see cref="Filler"/>; <see cref="Divisors"/> (average pools, null when every
    /// window divides by K) per output position.
    /// </summary>
    private sealed record PoolWindows(int[]? Pad, bool Filler, int[] Index, int OutH, int OutW, int K, double[]? Divisors)
    {
        /// <summary>The two dims of a strided pool (whose windows are a strided view of the padded input), or null
        /// for an adaptive one.</summary>
        public (PoolDim Rows, PoolDim Cols)? Grid { get; init; }

        public static PoolWindows Strided(PoolDim rows, PoolDim cols, bool countIncludePad)
        {
            int ph = rows.Padded, pw = cols.Padded, k = rows.Kernel * cols.Kernel, outputs = rows.Out * cols.Out;
            var index = new int[k * outputs];
            var divisors = new double[outputs];
            for (int oh = 0; oh < rows.Out; oh++)
                for (int ow = 0; ow < cols.Out; ow++)
                {
                    int r0 = oh * rows.Stride, c0 = ow * cols.Stride, o = oh * cols.Out + ow;
                    for (int kh = 0; kh < rows.Kernel; kh++)
                        for (int kw = 0; kw < cols.Kernel; kw++)
                            index[(kh * cols.Kernel + kw) * outputs + o] = (r0 + kh * rows.Dilation) * pw + c0 + kw * cols.Dilation;
                    divisors[o] = WindowCount(rows, r0, countIncludePad) * WindowCount(cols, c0, countIncludePad);
                }
            bool padded = ph != rows.In || pw != cols.In;
            int[]? pad = padded ? [cols.Padding, pw - cols.In - cols.Padding, rows.Padding, ph - rows.In - rows.Padding] : null;
            return new PoolWindows(pad, false, index, rows.Out, cols.Out, k, divisors.All(d => d == k) ? null : divisors) { Grid = (rows, cols) };
        }

        // PyTorch's avg-pool divisor along one dim, for a window starting at padded position start: the window clipped
        // to the padded input, or with countIncludePad false to the input itself.
        private static int WindowCount(PoolDim dim, int start, bool countIncludePad)
        {
            int begin = start - dim.Padding, end = Math.Min(begin + dim.Kernel, dim.In + dim.Padding);
            if (countIncludePad) return end - begin;
            return Math.Min(end, dim.In) - Math.Max(begin, 0);
        }

        public static PoolWindows Adaptive(int h, int w, (int H, int W) output)
        {
            static (int Start, int End)[] Ranges(int size, int outSize) =>
                Enumerable.Range(0, outSize)
                    .Select(i => ((int)((long)i * size / outSize), (int)(((long)(i + 1) * size + outSize - 1) / outSize))).ToArray();
            var rows = Ranges(h, output.H);
            var cols = Ranges(w, output.W);
            int kh = rows.Max(r => r.End - r.Start), kw = cols.Max(c => c.End - c.Start), filler = h * w, outputs = output.H * output.W;
            var index = new int[kh * kw * outputs];
            var divisors = new double[outputs];
            bool ragged = false;
            for (int oh = 0; oh < output.H; oh++)
                for (int ow = 0; ow < output.W; ow++)
                {
                    var (r0, r1) = rows[oh];
                    var (c0, c1) = cols[ow];
                    int o = oh * output.W + ow;
                    for (int a = 0; a < kh; a++)
                        for (int b = 0; b < kw; b++)
                        {
                            bool inside = r0 + a < r1 && c0 + b < c1;
                            ragged |= !inside;
                            index[(a * kw + b) * outputs + o] = inside ? (r0 + a) * w + c0 + b : filler;
                        }
                    divisors[o] = (r1 - r0) * (c1 - c0);
                }
            return new PoolWindows(null, ragged, index, output.H, output.W, kh * kw, ragged ? divisors : null);
        }
    }
}
