namespace Tensors.NN;

/// <summary>
/// The window geometry of a 2-D convolution or unfold (kernel, stride, padding and dilation, each as (height, width)),
/// and im2col/col2im on it. <see cref="UnfoldRaw"/> reads each window as a strided view of the zero-padded input
/// (dims [N, C, kh, kw, OH, OW], where neighbouring windows overlap in memory) and copies it once into contiguous
/// columns; <see cref="FoldRaw"/>, its adjoint, adds each kernel tap's [N, C, OH, OW] slab back into a strided slice of
/// the padded image. Both run on any backend through existing copy/add kernels and record nothing; the
/// differentiable forms are in Functional.Conv.cs. Columns come in two orders: PyTorch's [N, C*kh*kw, L] (F.unfold),
/// and batch-inner [C*kh*kw, N*L], with which a whole convolution is one large matrix product (much faster than N
/// small ones) instead of a batched one.
/// </summary>
internal readonly record struct ConvGeometry(int KernelH, int KernelW, int StrideH, int StrideW, int PadH, int PadW, int DilationH, int DilationW)
{
    /// <summary>The output height for an input of height <paramref name="h"/> (may be 0 or less when the kernel does
    /// not fit).</summary>
    public int OutH(int h) => (h + 2 * PadH - DilationH * (KernelH - 1) - 1) / StrideH + 1;

    /// <summary>The output width for an input of width <paramref name="w"/>.</summary>
    public int OutW(int w) => (w + 2 * PadW - DilationW * (KernelW - 1) - 1) / StrideW + 1;

    /// <summary>True when the convolution is a plain matrix product over the input (1x1, stride 1, no padding).</summary>
    public bool IsPointwise => KernelH == 1 && KernelW == 1 && StrideH == 1 && StrideW == 1 && PadH == 0 && PadW == 0;

    /// <summary>Checks the sizes (all positive, padding non-negative) for <paramref name="op"/>.</summary>
    public void Validate(string op)
    {
        if (KernelH <= 0 || KernelW <= 0)
            throw new ArgumentException($"{op}: kernel size should be greater than zero, but got kernel_size=({KernelH}, {KernelW}).");
        if (StrideH <= 0 || StrideW <= 0)
            throw new ArgumentException($"{op}: stride should be greater than zero, but got stride=({StrideH}, {StrideW}).");
        if (DilationH <= 0 || DilationW <= 0)
            throw new ArgumentException($"{op}: dilation should be greater than zero, but got dilation=({DilationH}, {DilationW}).");
        if (PadH < 0 || PadW < 0)
            throw new ArgumentException($"{op}: padding should be non-negative, but got padding=({PadH}, {PadW}).");
    }

    /// <summary>Checks that the windows fit an [*, H, W] input: at least one output position each way.</summary>
    public void CheckFits(string op, int h, int w)
    {
        if (OutH(h) <= 0 || OutW(w) <= 0)
            throw new ArgumentException(
                $"{op}: calculated padded input size per channel: ({h + 2 * PadH} x {w + 2 * PadW}). Kernel size: " +
                $"({DilationH * (KernelH - 1) + 1} x {DilationW * (KernelW - 1) + 1}) (dilated). Kernel size can't be greater than actual input " +
                $"size; got input of height {h} and width {w} with padding ({PadH}, {PadW}).");
    }

    /// <summary>[N, C, H, W] to columns [N, C*kh*kw, OH*OW], or [C*kh*kw, N*OH*OW] when <paramref name="batchInner"/>
    /// (zeros where a window reads padding). Records nothing.</summary>
    public Tensor UnfoldRaw(Tensor input, bool batchInner)
    {
        var s = input.Layout.Shape;
        int n = s[0], c = s[1], h = s[2], w = s[3], oh = OutH(h), ow = OutW(w);
        using var scope = Tensor.NewDisposeScope();
        Tensor padded = input;
        if (PadH > 0 || PadW > 0)
        {
            padded = Tensor.Zeros([n, c, h + 2 * PadH, w + 2 * PadW], input.DType, input.Device);
            using var interior = padded.Narrow(2, PadH, h).Narrow(3, PadW, w);
            interior.CopyFrom_(input);
        }
        var g = this;
        var windows = padded.ViewAs("Unfold", l =>
        {
            var st = l.Strides;
            int[] shape = [c, g.KernelH, g.KernelW, oh, ow], strides = [st[1], g.DilationH * st[2], g.DilationW * st[3], g.StrideH * st[2], g.StrideW * st[3]];
            return batchInner
                ? new Layout([.. shape[..3], n, .. shape[3..]], [.. strides[..3], st[0], .. strides[3..]], l.Offset)
                : new Layout([n, .. shape], [st[0], .. strides], l.Offset);
        });
        var columns = windows.Contiguous();
        int rows = c * KernelH * KernelW;
        return scope.MoveToOuter(batchInner ? columns.View(rows, n * oh * ow) : columns.View(n, rows, oh * ow));
    }

    /// <summary>Columns [N, C*kh*kw, OH*OW] (or [C*kh*kw, N*OH*OW] when <paramref name="batchInner"/>) summed back into
    /// [N, C, H, W] for <paramref name="n"/> images (the adjoint of <see cref="UnfoldRaw"/>). Records nothing.</summary>
    public Tensor FoldRaw(Tensor columns, int n, int h, int w, bool batchInner)
    {
        int c = columns.Layout.Shape[batchInner ? 0 : 1] / (KernelH * KernelW), oh = OutH(h), ow = OutW(w);
        using var scope = Tensor.NewDisposeScope();
        var padded = Tensor.Zeros([n, c, h + 2 * PadH, w + 2 * PadW], columns.DType, columns.Device);
        using var split = batchInner ? columns.Reshape(c, KernelH, KernelW, n, oh, ow) : columns.Reshape(n, c, KernelH, KernelW, oh, ow);
        using var taps = batchInner ? split.Permute(3, 0, 1, 2, 4, 5) : split.ViewAs("Fold");
        for (int i = 0; i < KernelH; i++)
            for (int j = 0; j < KernelW; j++)
            {
                using var tap = taps.Select(2, i).Select(2, j);
                using var rows = padded.Slice(2, i * DilationH, i * DilationH + StrideH * (oh - 1) + 1, StrideH);
                using var slab = rows.Slice(3, j * DilationW, j * DilationW + StrideW * (ow - 1) + 1, StrideW);
                slab.Add_(tap);
            }
        if (PadH == 0 && PadW == 0) return scope.MoveToOuter(padded);
        var interior = padded.Narrow(2, PadH, h).Narrow(3, PadW, w);
        return scope.MoveToOuter(interior.Contiguous());
    }
}
