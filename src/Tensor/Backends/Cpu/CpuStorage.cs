using System.Runtime.InteropServices;

namespace Tensors.Backends.Cpu;

/// <summary>Host memory: a managed array of the dtype's element type (Bool as bytes holding 0 or 1).
/// Shared by the SIMD and reference backends, which both compute on the host.</summary>
internal sealed class CpuStorage : Storage
{
    private Array? _data;

    public CpuStorage(IBackend backend, DType dtype, int length) : base(backend, dtype, length)
    {
        _data = dtype switch
        {
            DType.Float32 => new float[length],
            DType.Float64 => new double[length],
            DType.Int32 => new int[length],
            DType.Int64 => new long[length],
            DType.UInt8 or DType.Bool => new byte[length],
            DType.Float16 => new Half[length],
            _ => throw new NotSupportedException($"Allocate: dtype {dtype.Name()} has no host storage in this version."),
        };
    }

    /// <summary>The elements as the CLR type kernels compute in.</summary>
    public T[] Array<T>() where T : unmanaged =>
        _data as T[] ?? throw (_data is null
            ? new ObjectDisposedException(nameof(Storage), "The storage was released: every tensor over it was disposed.")
            : new InvalidOperationException($"Storage of {DType.Name()} read as {typeof(T).Name}."));

    /// <summary>The raw bytes.</summary>
    public Span<byte> Bytes =>
        _data is null
            ? throw new ObjectDisposedException(nameof(Storage), "The storage was released: every tensor over it was disposed.")
            : MemoryMarshal.CreateSpan(ref MemoryMarshal.GetArrayDataReference(_data), Length * DType.ElementSize());

    protected override void Free() => _data = null;

    /// <summary>Casts a storage handed to a host backend, with a clear error when it belongs to another device.</summary>
    public static CpuStorage Of(Storage storage, string op) =>
        storage as CpuStorage ?? throw new InvalidOperationException(
            $"{op}: storage on {storage.Device} was handed to a host backend; move the tensor with To(Device.Cpu) first.");
}
