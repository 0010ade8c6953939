using System.Buffers;
using System.Runtime.InteropServices;

namespace Tensors.Backends.Cpu;

/// <summary>Host memory: a managed array of the dtype's element type (Bool as bytes holding 0 or 1), possibly
/// longer than <see cref="Storage.Length"/>. Shared by the SIMD and reference backends.</summary>
internal sealed class CpuStorage : Storage
{
    // Below this many elements a fresh array is cheaper than a trip to the pool.
    private const int PoolFrom = 1024;

    private Array? _data;
    private readonly bool _pooled;

    /// <summary>A zero-filled storage.</summary>
    public CpuStorage(IBackend backend, DType dtype, int length) : this(backend, dtype, length, pooled: false) { }

    /// <summary>With <paramref name="pooled"/>, large arrays are rented from the shared array pool (contents
    /// unspecified) and go back to it when the storage is freed, so that disposed temporaries are reused instead
    /// of pressuring the large-object heap.</summary>
    public CpuStorage(IBackend backend, DType dtype, int length, bool pooled) : base(backend, dtype, length)
    {
        _pooled = pooled && length >= PoolFrom;
        _data = dtype switch
        {
            DType.Float32 => Make<float>(length),
            DType.Float64 => Make<double>(length),
            DType.Int32 => Make<int>(length),
            DType.Int64 => Make<long>(length),
            DType.UInt8 or DType.Bool => Make<byte>(length),
            DType.Half => Make<Half>(length),
            DType.BFloat16 => Make<BFloat16>(length),
            DType.Int8 => Make<sbyte>(length),
            DType.Int16 => Make<short>(length),
            _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Allocate: unknown dtype."),
        };
    }

    private T[] Make<T>(int length) => _pooled ? ArrayPool<T>.Shared.Rent(length) : new T[length];

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

    protected override void Free()
    {
        var data = _data;
        _data = null;
        if (!_pooled) return;
        switch (data)
        {
            case float[] f: ArrayPool<float>.Shared.Return(f); break;
            case double[] d: ArrayPool<double>.Shared.Return(d); break;
            case int[] i: ArrayPool<int>.Shared.Return(i); break;
            case long[] l: ArrayPool<long>.Shared.Return(l); break;
            case byte[] b: ArrayPool<byte>.Shared.Return(b); break;
            case Half[] h: ArrayPool<Half>.Shared.Return(h); break;
            case BFloat16[] h: ArrayPool<BFloat16>.Shared.Return(h); break;
            case sbyte[] b: ArrayPool<sbyte>.Shared.Return(b); break;
            case short[] s: ArrayPool<short>.Shared.Return(s); break;
        }
    }

    /// <summary>Casts a storage handed to a host backend, with a clear error when it belongs to another device.</summary>
    public static CpuStorage Of(Storage storage, string op) =>
        storage as CpuStorage ?? throw new InvalidOperationException(
            $"{op}: storage on {storage.Device} was handed to a host backend; move the tensor with To(Device.Cpu) first.");
}
