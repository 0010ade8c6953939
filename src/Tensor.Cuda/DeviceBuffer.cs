namespace Tensors.Cuda;

/// <summary>A scratch block from the caching allocator, returned on dispose; stream order makes it safe to return
/// once the launches that use it are queued.</summary>
internal readonly struct DeviceBuffer : IDisposable
{
    private readonly CudaAllocator _allocator;
    private readonly long _size;

    public DeviceBuffer(CudaAllocator allocator, long bytes)
    {
        _allocator = allocator;
        Pointer = allocator.Allocate(bytes, out _size);
    }

    public ulong Pointer { get; }

    public void Dispose() => _allocator.Free(Pointer, _size);
}
