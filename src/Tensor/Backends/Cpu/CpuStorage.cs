using System.Buffers;
using System.Runtime.InteropServices;

namespace Tensors.Backends.Cpu;

/// <summary>Host memory: a managed array of the dtype's element type (Bool as bytes holding 0 or 1), possibly
/// longer than <see cref="Storage.Length"/>. Shared by the SIMD and reference backends. A storage may also start
/// out as a range of a memory-mapped file (<see cref="MappedFile"/>): its array is then made and filled from the
/// file the first time anything reads or writes it.</summary>
internal sealed class CpuStorage : Storage
{
    // Below this many elements a fresh array is cheaper than a trip to the pool.
    private const int PoolFrom = 1024;

    private Array? _data;
    private readonly bool _pooled;
    private MappedFile.Range? _pending;

    /// <summary>A zero-filled storage.</summary>
    public CpuStorage(IBackend backend, DType dtype, int length) : this(backend, dtype, length, pooled: false) { }

    /// <summary>With <paramref name="pooled"/>, large arrays are rented from the shared array pool (contents
    /// unspecified) and go back to it when the storage is freed, so that disposed temporaries are reused instead
    /// of pressuring the large-object heap.</summary>
    public CpuStorage(IBackend backend, DType dtype, int length, bool pooled) : base(backend, dtype, length)
    {
        _pooled = pooled && length >= PoolFrom;
        _data = NewArray(dtype, length, _pooled);
    }

    /// <summary>A storage whose elements are still in a mapped file; the range's reference passes to the storage.</summary>
    public CpuStorage(IBackend backend, DType dtype, int length, MappedFile.Range pending) : base(backend, dtype, length) =>
        _pending = pending;

    private static Array NewArray(DType dtype, int length, bool pooled) => dtype switch
    {
        DType.Float32 => Make<float>(length, pooled),
        DType.Float64 => Make<double>(length, pooled),
        DType.Int32 => Make<int>(length, pooled),
        DType.Int64 => Make<long>(length, pooled),
        DType.UInt8 or DType.Bool => Make<byte>(length, pooled),
        DType.Half => Make<Half>(length, pooled),
        DType.BFloat16 => Make<BFloat16>(length, pooled),
        DType.Int8 => Make<sbyte>(length, pooled),
        DType.Int16 => Make<short>(length, pooled),
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Allocate: unknown dtype."),
    };

    private static T[] Make<T>(int length, bool pooled) => pooled ? ArrayPool<T>.Shared.Rent(length) : new T[length];

    /// <summary>True while the elements are still only in a mapped file.</summary>
    public bool IsPending => Volatile.Read(ref _pending) is not null;

    // The array, copied out of the mapped file first if it is still there.
    private Array? Data => Volatile.Read(ref _pending) is null ? _data : Materialize();

    /// <summary>Copies the elements out of the mapped file now (nothing if they already were) and lets go of it.
    /// Once, under the range's lock: two threads may touch a fresh tensor at the same time.</summary>
    public Array? Materialize()
    {
        if (Volatile.Read(ref _pending) is not { } range) return _data;
        lock (range)
        {
            if (_pending is not null)
            {
                var data = NewArray(DType, Length, pooled: false);
                range.CopyTo(ref MemoryMarshal.GetArrayDataReference(data), (long)Length * DType.ElementSize());
                _data = data;
                Volatile.Write(ref _pending, null);
                range.Release();
            }
        }
        return _data;
    }

    /// <summary>The elements as the CLR type kernels compute in.</summary>
    public T[] Array<T>() where T : unmanaged
    {
        var data = Data;
        return data as T[] ?? throw (data is null
            ? new ObjectDisposedException(nameof(Storage), "The storage was released: every tensor over it was disposed.")
            : new InvalidOperationException($"Storage of {DType.Name()} read as {typeof(T).Name}."));
    }

    /// <summary>The raw bytes.</summary>
    public Span<byte> Bytes =>
        Data is not { } data
            ? throw new ObjectDisposedException(nameof(Storage), "The storage was released: every tensor over it was disposed.")
            : MemoryMarshal.CreateSpan(ref MemoryMarshal.GetArrayDataReference(data), Length * DType.ElementSize());

    protected override void Free()
    {
        if (Volatile.Read(ref _pending) is { } range)
            lock (range)
            {
                if (_pending is not null) range.Release();
                _pending = null;
            }
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
    public static CpuStorage Of(Storage storage, string op) => storage as CpuStorage ?? throw NotHost(storage, op);

    /// <summary>Like <see cref="Of(Storage, string)"/> for a primitive named by its op kind: the name is only
    /// formatted for the error, so the hot path boxes nothing.</summary>
    public static CpuStorage Of<TOp>(Storage storage, TOp op) where TOp : struct, Enum =>
        storage as CpuStorage ?? throw NotHost(storage, op.ToString());

    private static InvalidOperationException NotHost(Storage storage, string op) =>
        new($"{op}: storage on {storage.Device} was handed to a host backend; move the tensor with To(Device.Cpu) first.");
}
