using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Tensors.Cuda;

/// <summary>A tensor operand as kernels receive it: <c>struct Layout</c> of <c>native/tensor.cuh</c>, passed by value
/// (144 bytes; see native/README.md).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct KernelLayout
{
    public const int MaxDims = 8;

    public long Offset;
    public fixed long Shape[MaxDims];
    public fixed long Strides[MaxDims];
    public int Rank;
    public int Contiguous;

    public static KernelLayout From(ReadOnlySpan<int> shape, ReadOnlySpan<long> strides, long offset, string op)
    {
        if (shape.Length > MaxDims)
            throw new NotSupportedException(
                $"{op}: a CUDA kernel takes at most {MaxDims} dims after merging contiguous ones, but this operand still has {shape.Length} " +
                $"(shape {Layout.Format(shape)}); reshape the tensor to fewer dims or make it contiguous first.");
        var k = new KernelLayout { Offset = offset, Rank = shape.Length };
        long expected = 1;
        bool contiguous = true;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            k.Shape[i] = shape[i];
            k.Strides[i] = strides[i];
            if (shape[i] != 1 && strides[i] != expected) contiguous = false;
            expected *= shape[i];
        }
        k.Contiguous = contiguous ? 1 : 0;
        return k;
    }
}

/// <summary>
/// Turns layouts of one shape into kernel layouts with as few dims as possible: size-1 dims dropped, neighbouring
/// dims merged where every operand steps through them as one (the CPU backend's RunPlan does the same), so kernels
/// do less index arithmetic and contiguous operands are flagged for the fast path. Row-major order is kept, so
/// element i means the same element for every operand (random fills rely on it).
/// </summary>
internal static class LayoutMerge
{
    public static KernelLayout[] Merge(string op, ReadOnlySpan<int> shape, params Layout[] layouts)
    {
        // Runs once per kernel launch: fixed scratch on the stack, no lists. Merged dims never outnumber the shape's.
        int ops = layouts.Length, rank = 0;
        Span<int> sizes = stackalloc int[Math.Max(shape.Length, 1)];
        Span<long> strides = stackalloc long[Math.Max(shape.Length, 1) * ops]; // [dim * ops + operand]
        for (int d = 0; d < shape.Length; d++)
        {
            if (shape[d] == 1) continue;
            bool merge = rank > 0;
            for (int k = 0; merge && k < ops; k++)
                merge = strides[(rank - 1) * ops + k] == (long)layouts[k].Strides[d] * shape[d];
            if (merge) sizes[rank - 1] *= shape[d];
            else sizes[rank++] = shape[d];
            for (int k = 0; k < ops; k++) strides[(rank - 1) * ops + k] = layouts[k].Strides[d];
        }
        var result = new KernelLayout[ops];
        Span<long> one = stackalloc long[Math.Max(rank, 1)];
        for (int k = 0; k < ops; k++)
        {
            for (int i = 0; i < rank; i++) one[i] = strides[i * ops + k];
            result[k] = KernelLayout.From(sizes[..rank], one[..rank], layouts[k].Offset, op);
        }
        return result;
    }

    /// <summary>A layout exactly as given (no merging), for kernels that index dims themselves (matmul).</summary>
    public static KernelLayout AsIs(string op, Layout l) =>
        KernelLayout.From(l.Shape, l.Strides.ToArray().Select(s => (long)s).ToArray(), l.Offset, op);
}

/// <summary>Packs kernel parameters into one buffer, each at its natural alignment: the layout of the kernel's
/// <c>.param</c> space, handed to <c>cuLaunchKernel</c> through <c>CU_LAUNCH_PARAM_BUFFER_POINTER</c>.</summary>
internal sealed class KernelArgs
{
    // One buffer per thread: arguments are packed and launched before the next launch on that thread packs its own.
    [ThreadStatic] private static byte[]? t_buffer;

    private readonly byte[] _buffer = t_buffer ??= new byte[1024];
    private int _length;

    public ReadOnlySpan<byte> Bytes => _buffer.AsSpan(0, _length);

    public KernelArgs Add<T>(T value) where T : unmanaged
    {
        int size = Unsafe.SizeOf<T>();
        int align = typeof(T) == typeof(KernelLayout) ? 8 : size;
        _length = (_length + align - 1) / align * align;
        MemoryMarshal.Write(_buffer.AsSpan(_length), in value);
        _length += size;
        return this;
    }

    public KernelArgs Pointer(ulong address) => Add(address);

    public KernelArgs Operand(CudaStorage storage, KernelLayout layout) => Add(storage.Length == 0 ? 0UL : storage.Pointer).Add(layout);
}
