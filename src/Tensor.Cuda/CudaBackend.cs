using Tensors.Backends;

namespace Tensors.Cuda;

/// <summary>
/// The CUDA backend: every <see cref="IBackend"/> primitive as a kernel of <c>native/</c> on one GPU, float and
/// double matrix products through cuBLAS when it is installed. Register it once with <see cref="Register"/>; then
/// <c>Device.Cuda()</c> tensors, modules and optimizers work as on the CPU. Only the NVIDIA driver is required.
/// </summary>
public sealed partial class CudaBackend : IBackend
{
    private const uint Block = 256; // TENSOR_BLOCK of native/tensor.cuh

    internal CudaBackend(CudaDevice device) => Context = device;

    internal CudaDevice Context { get; }

    private KernelModules Kernels => Context.Kernels;

    private long MaxBlocks => Math.Max(1, Context.Info.Multiprocessors) * 32L;

    /// <inheritdoc />
    public Device Device => Context.Device;

    /// <inheritdoc />
    public Storage Allocate(DType dtype, int length) => new CudaStorage(this, dtype, length);

    /// <inheritdoc />
    public unsafe void CopyFromHost(ReadOnlySpan<byte> source, Storage destination, int offset)
    {
        if (source.IsEmpty) return;
        var d = CudaStorage.Of(destination, "CopyFromHost");
        Context.MakeCurrent();
        if (source.Length >= PinnedStaging.Threshold)
        {
            Context.Staging.ToDevice(source, d.At(offset));
            return;
        }
        fixed (byte* p = source)
            Interop.Driver.Check(Interop.Driver.MemcpyHtoD(d.At(offset), p, (nuint)source.Length), "cuMemcpyHtoD_v2");
    }

    /// <inheritdoc />
    public unsafe void CopyToHost(Storage source, int offset, Span<byte> destination)
    {
        if (destination.IsEmpty) return;
        var s = CudaStorage.Of(source, "CopyToHost");
        Context.MakeCurrent();
        if (destination.Length >= PinnedStaging.Threshold)
        {
            Context.Staging.ToHost(s.At(offset), destination);
            return;
        }
        fixed (byte* p = destination)
            Interop.Driver.Check(Interop.Driver.MemcpyDtoH(p, s.At(offset), (nuint)destination.Length), "cuMemcpyDtoH_v2");
    }

    /// <inheritdoc />
    public void Fill(Storage destination, Layout layout, Scalar value)
    {
        var d = CudaStorage.Of(destination, "Fill");
        long n = layout.Numel;
        if (n == 0) return;
        var l = LayoutMerge.Merge("Fill", layout.Shape, layout);
        var args = new KernelArgs().Operand(d, l[0]);
        ScalarArgument.Append(args, value, destination.DType);
        Linear($"fill_{Suffix(destination.DType)}", n, args.Add(n));
    }

    /// <inheritdoc />
    public void Copy(Storage source, Layout sourceLayout, Storage destination, Layout destinationLayout) =>
        Elementwise($"copy_{Suffix(source.DType)}_{Suffix(destination.DType)}", "Copy", destinationLayout, destination, (source, sourceLayout));

    /// <inheritdoc />
    public void Unary(UnaryOp op, Storage source, Layout sourceLayout, Storage destination, Layout destinationLayout) =>
        Elementwise($"unary_{Snake(op.ToString())}_{Suffix(source.DType)}", op.ToString(), destinationLayout, destination, (source, sourceLayout));

    /// <inheritdoc />
    public void Binary(BinaryOp op, Storage a, Layout aLayout, Storage b, Layout bLayout, Storage destination, Layout destinationLayout) =>
        Elementwise($"binary_{Snake(op.ToString())}_{Suffix(a.DType)}", op.ToString(), destinationLayout, destination, (a, aLayout), (b, bLayout));

    /// <inheritdoc />
    public void Compare(CompareOp op, Storage a, Layout aLayout, Storage b, Layout bLayout, Storage destination, Layout destinationLayout) =>
        Elementwise($"compare_{Snake(op.ToString())}_{Suffix(a.DType)}", op.ToString(), destinationLayout, destination, (a, aLayout), (b, bLayout));

    /// <inheritdoc />
    public void Where(Storage condition, Layout conditionLayout, Storage a, Layout aLayout, Storage b, Layout bLayout,
        Storage destination, Layout destinationLayout) =>
        Elementwise($"where_{Suffix(a.DType)}", "Where", destinationLayout, destination, (condition, conditionLayout), (a, aLayout), (b, bLayout));

    /// <inheritdoc />
    public void FillRandom(RandomKind kind, ulong seed, ulong counter, Storage destination, Layout layout)
    {
        if (!destination.DType.IsFloatingPoint() || destination.DType is DType.Half or DType.BFloat16)
            throw new NotSupportedException($"FillRandom: dtype {destination.DType.Name()} is not float32 or float64.");
        long n = layout.Numel;
        if (n == 0) return;
        var d = CudaStorage.Of(destination, "FillRandom");
        var l = LayoutMerge.Merge("FillRandom", layout.Shape, layout);
        Linear($"random_{Snake(kind.ToString())}_{Suffix(destination.DType)}", n, new KernelArgs().Operand(d, l[0]).Add(seed).Add(counter).Add(n));
    }

    // Operands (inputs first) of one shape: merged layouts, one grid-stride launch; the destination comes last in
    // the kernel's parameters, as in native/README.md.
    private void Elementwise(string kernel, string op, Layout destinationLayout, Storage destination, params (Storage Storage, Layout Layout)[] inputs)
    {
        long n = destinationLayout.Numel;
        if (n == 0) return;
        var layouts = LayoutMerge.Merge(op, destinationLayout.Shape, [.. inputs.Select(i => i.Layout), destinationLayout]);
        var args = new KernelArgs();
        for (int i = 0; i < inputs.Length; i++) args.Operand(CudaStorage.Of(inputs[i].Storage, op), layouts[i]);
        args.Operand(CudaStorage.Of(destination, op), layouts[^1]);
        Linear(kernel, n, args.Add(n));
    }

    private void Linear(string kernel, long n, KernelArgs args) =>
        Kernels.Launch(kernel, LaunchShape.Linear(n, Block, MaxBlocks), args.Bytes);

    /// <summary>The kernel name suffix of a dtype (native/README.md).</summary>
    internal static string Suffix(DType dtype) => dtype switch
    {
        DType.Float32 => "f32",
        DType.Float64 => "f64",
        DType.Int32 => "i32",
        DType.Int64 => "i64",
        DType.UInt8 => "u8",
        DType.Bool => "b8",
        DType.Half => "f16",
        DType.BFloat16 => "bf16",
        DType.Int8 => "i8",
        DType.Int16 => "i16",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown dtype."),
    };

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> SnakeNames = new();

    /// <summary>"FloorDivide" to "floor_divide" (remembered: it is part of every launch's kernel name).</summary>
    internal static string Snake(string name) => SnakeNames.GetOrAdd(name, static n =>
        string.Concat(n.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "_" : "") + char.ToLowerInvariant(c) : c.ToString())));
}
