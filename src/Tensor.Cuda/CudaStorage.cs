using Tensors.Backends;

namespace Tensors.Cuda;

/// <summary>Device memory from the caching allocator. Disposing the last tensor over it returns the block at once;
/// the finalizer is only a backstop for storages that were never disposed, and it never calls CUDA (the block is
/// queued for the allocator's next request).</summary>
internal sealed class CudaStorage : Storage
{
    private readonly CudaAllocator _allocator;
    private ulong _pointer;
    private readonly long _size;

    public CudaStorage(CudaBackend backend, DType dtype, int length) : base(backend, dtype, length)
    {
        _allocator = backend.Context.Allocator;
        _pointer = _allocator.Allocate((long)length * dtype.ElementSize(), out _size);
    }

    /// <summary>The device address of element 0.</summary>
    public ulong Pointer =>
        _pointer != 0 || Length == 0 ? _pointer : throw new ObjectDisposedException(nameof(Storage), "The CUDA storage was released: every tensor over it was disposed.");

    /// <summary>The device address of element <paramref name="index"/>.</summary>
    public ulong At(long index) => Pointer + (ulong)(index * DType.ElementSize());

    protected override void Free()
    {
        var p = _pointer;
        _pointer = 0;
        _allocator.Free(p, _size);
        GC.SuppressFinalize(this);
    }

    /// <summary>Returns a scratch storage that no tensor ever held (stream order makes it safe once the kernels
    /// that use it are queued).</summary>
    public void FreeScratch()
    {
        if (_pointer != 0 || Length == 0) Free();
    }

    ~CudaStorage() => _allocator.FreeFromFinalizer(_pointer, _size);

    public static CudaStorage Of(Storage storage, string op) =>
        storage as CudaStorage ?? throw new InvalidOperationException(
            $"{op}: storage on {storage.Device} was handed to the CUDA backend; move the tensor with To(Device.Cuda()) first.");
}
