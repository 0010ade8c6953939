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
        var sizes = new List<int>();
        var strides = layouts.Select(_ => new List<long>()).ToArray();
        for (int d = 0; d < shape.Length; d++)
        {
            if (shape[d] == 1) continue;
            int last = sizes.Count - 1;
            bool merge = last >= 0;
            for (int k = 0; merge && k < layouts.Length; k++)
                merge = strides[k][last] == (long)layouts[k].Strides[d] * shape[d];
            if (merge)
            {
                sizes[last] *= shape[d];
                for (int k = 0; k < layouts.Length; k++) strides[k][last] = layouts[k].Strides[d];
                continue;
            }
            sizes.Add(shape[d]);
            for (int k = 0; k < layouts.Length; k++) strides[k].Add(layouts[k].Strides[d]);
        }
        var merged = sizes.ToArray();
        return layouts.Select((l, k) => KernelLayout.From(merged, strides[k].ToArray(), l.Offset, op)).ToArray();
    }

    /// <summary>A layout exactly as given (no merging), for kernels that index one dim (index select and add).</summary>
    public static KernelLayout AsIs(string op, Layout l) =>
        KernelLayout.From(l.Shape, l.Strides.ToArray().Select(s => (long)s).ToArray(), l.Offset, op);
}

/// <summary>Packs kernel parameters into one buffer, each at its natural alignment: the layout of the kernel's
/// <c>.param</c> space, handed to <c>cuLaunchKernel</c> through <c>CU_LAUNCH_PARAM_BUFFER_POINTER</c>.</summary>
internal sealed class KernelArgs
{
    private readonly byte[] _buffer = new byte[1024];
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
