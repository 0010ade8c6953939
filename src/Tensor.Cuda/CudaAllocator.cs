using System.Collections.Concurrent;
using Tensors.Cuda.Interop;

namespace Tensors.Cuda;

/// <summary>Memory figures of one device's caching allocator, in bytes.</summary>
/// <param name="Allocated">Held by live storages (rounded to the allocator's size classes).</param>
/// <param name="Reserved">Held from the driver: allocated plus cached for reuse.</param>
/// <param name="PeakAllocated">The largest <paramref name="Allocated"/> since start or <see cref="CudaBackend.ResetPeakMemory"/>.</param>
/// <param name="DriverAllocations">How many times memory was requested from the driver.</param>
public readonly record struct CudaMemoryStats(long Allocated, long Reserved, long PeakAllocated, long DriverAllocations);

/// <summary>Out of device memory even after the cache was emptied: carries the request and the allocator's figures.</summary>
public sealed class CudaOutOfMemoryException : CudaException
{
    internal CudaOutOfMemoryException(Device device, long requested, CudaMemoryStats stats)
        : base($"{device}: out of memory allocating {requested:N0} bytes ({stats.Allocated:N0} bytes allocated by tensors, " +
               $"{stats.Reserved:N0} reserved, peak {stats.PeakAllocated:N0}); the cache was emptied and the allocation retried once. " +
               "Free tensors you no longer need (Dispose or a DisposeScope), use smaller batches, or move work to Device.Cpu.")
        => (Requested, Stats) = (requested, stats);

    /// <summary>The size of the request that failed, in bytes.</summary>
    public long Requested { get; }

    /// <summary>The allocator's figures when it failed.</summary>
    public CudaMemoryStats Stats { get; }
}

/// <summary>
/// A caching allocator over <c>cuMemAlloc</c> (PyTorch's idea): requests are rounded up to size classes (powers of
/// two from 512 bytes up to 1 MiB, then multiples of 2 MiB), freed blocks go to a free list of their class and are
/// handed out again without a driver call. Reuse is stream-ordered: the backend issues all work on one stream, so a
/// block freed after the kernels that read it were queued can be reused by kernels queued later. On out-of-memory
/// the cache is emptied and the allocation retried once. Storages freed by the garbage collector are queued by
/// their finalizer (which never calls CUDA) and returned here on the next allocation.
/// </summary>
internal sealed class CudaAllocator(CudaDevice device)
{
    private const long SmallLimit = 1 << 20, LargeStep = 2 << 20, MinBlock = 512;

    private readonly Lock _gate = new();
    private readonly Dictionary<long, Stack<ulong>> _free = new();
    private readonly ConcurrentQueue<(ulong Pointer, long Bytes)> _finalized = new();
    private long _allocated, _reserved, _peak, _driverAllocations;

    /// <summary>The size class a request is served from.</summary>
    public static long SizeClass(long bytes)
    {
        if (bytes <= MinBlock) return MinBlock;
        if (bytes <= SmallLimit) return (long)System.Numerics.BitOperations.RoundUpToPowerOf2((ulong)bytes);
        return (bytes + LargeStep - 1) / LargeStep * LargeStep;
    }

    public CudaMemoryStats Stats
    {
        get { lock (_gate) return new(_allocated, _reserved, _peak, _driverAllocations); }
    }

    /// <summary>A block of at least <paramref name="bytes"/> bytes (its class size is <paramref name="size"/>);
    /// zero bytes need no memory and give pointer 0.</summary>
    public ulong Allocate(long bytes, out long size)
    {
        size = 0;
        if (bytes == 0) return 0;
        size = SizeClass(bytes);
        lock (_gate)
        {
            DrainFinalized();
            if (!_free.TryGetValue(size, out var stack) || !stack.TryPop(out var pointer))
            {
                device.MakeCurrent();
                var result = Driver.MemAlloc(out pointer, (nuint)size);
                if (result == CuResult.OutOfMemory)
                {
                    EmptyCacheLocked();
                    result = Driver.MemAlloc(out pointer, (nuint)size);
                    if (result == CuResult.OutOfMemory)
                        throw new CudaOutOfMemoryException(device.Device, bytes, new(_allocated, _reserved, _peak, _driverAllocations));
                }
                Driver.Check(result, "cuMemAlloc_v2");
                _reserved += size;
                _driverAllocations++;
            }
            _allocated += size;
            _peak = Math.Max(_peak, _allocated);
            return pointer;
        }
    }

    /// <summary>Returns a block to its class's free list.</summary>
    public void Free(ulong pointer, long size)
    {
        if (pointer == 0) return;
        lock (_gate) FreeLocked(pointer, size);
    }

    /// <summary>From a finalizer: remembers the block without touching CUDA or taking the lock.</summary>
    public void FreeFromFinalizer(ulong pointer, long size)
    {
        if (pointer != 0) _finalized.Enqueue((pointer, size));
    }

    /// <summary>Gives every cached block back to the driver.</summary>
    public void EmptyCache()
    {
        lock (_gate)
        {
            DrainFinalized();
            EmptyCacheLocked();
        }
    }

    public void ResetPeak()
    {
        lock (_gate) _peak = _allocated;
    }

    private void FreeLocked(ulong pointer, long size)
    {
        if (!_free.TryGetValue(size, out var stack)) _free[size] = stack = new Stack<ulong>();
        stack.Push(pointer);
        _allocated -= size;
    }

    private void DrainFinalized()
    {
        while (_finalized.TryDequeue(out var block)) FreeLocked(block.Pointer, block.Bytes);
    }

    private void EmptyCacheLocked()
    {
        device.MakeCurrent();
        Driver.Check(Driver.CtxSynchronize(), "cuCtxSynchronize");
        foreach (var (size, stack) in _free)
            while (stack.TryPop(out var pointer))
            {
                Driver.Check(Driver.MemFree(pointer), "cuMemFree_v2");
                _reserved -= size;
            }
    }
}
