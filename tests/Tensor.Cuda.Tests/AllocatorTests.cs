using System.Runtime.InteropServices;
using Xunit;

namespace Tensors.Cuda.Tests;

/// <summary>The caching allocator: blocks are reused by size class, the figures add up, the cache empties, and an
/// out-of-memory request is retried once after emptying the cache before it fails with the figures.</summary>
[Collection(nameof(CudaTestDevice))]
public class AllocatorTests
{
    private static Device Gpu => Device.Cuda();

    [SkippableFact]
    public void FreedBlocksAreReusedWithoutTheDriver()
    {
        CudaTestDevice.Require();
        CudaBackend.EmptyCache();
        var before = CudaBackend.MemoryStats();
        using (Tensor.Zeros([1000], DType.Float32, Gpu)) { }
        var afterOne = CudaBackend.MemoryStats();
        Assert.Equal(before.Allocated, afterOne.Allocated);              // disposed: back in the cache at once
        Assert.Equal(before.Reserved + 4096, afterOne.Reserved);          // 4000 bytes round up to the 4 KiB class
        for (int i = 0; i < 20; i++)
            using (Tensor.Ones([900 + i], DType.Float32, Gpu)) { }       // every one fits the same class
        Assert.Equal(afterOne.DriverAllocations, CudaBackend.MemoryStats().DriverAllocations);
        using var held = Tensor.Zeros([3, 1 << 20], DType.Float32, Gpu); // 12 MiB: a multiple of 2 MiB
        var stats = CudaBackend.MemoryStats();
        Assert.Equal(before.Allocated + 12L * (1 << 20), stats.Allocated);
        Assert.True(stats.PeakAllocated >= stats.Allocated);
        CudaBackend.EmptyCache();
        Assert.Equal(CudaBackend.MemoryStats().Allocated, CudaBackend.MemoryStats().Reserved); // only live blocks stay
    }

    [SkippableFact]
    public void SizeClasses()
    {
        Assert.Equal(512, CudaAllocator.SizeClass(1));
        Assert.Equal(512, CudaAllocator.SizeClass(512));
        Assert.Equal(1024, CudaAllocator.SizeClass(513));
        Assert.Equal(1 << 20, CudaAllocator.SizeClass((1 << 20) - 1));
        Assert.Equal(2 << 20, CudaAllocator.SizeClass((1 << 20) + 1));
        Assert.Equal(6 << 20, CudaAllocator.SizeClass((4 << 20) + 1));
    }

    [SkippableFact]
    public void OutOfMemoryEmptiesTheCacheRetriesOnceThenNamesTheRequest()
    {
        CudaTestDevice.Require();
        var setLimit = EmulationLimit();
        Skip.If(setLimit is null, "the memory limit can only be lowered on the emulated device");
        CudaBackend.EmptyCache();
        long inUse = CudaBackend.MemoryStats().Allocated;
        var previous = setLimit!((nuint)(inUse + (64 << 20)));
        try
        {
            // Fill the cache with 48 MiB of freed blocks: a 32 MiB request fits only after the cache is emptied.
            using (Tensor.Zeros([12 << 20], DType.Float32, Gpu)) { }
            Assert.True(CudaBackend.MemoryStats().Reserved >= inUse + (48 << 20));
            using (var fits = Tensor.Zeros([8 << 20], DType.Float32, Gpu))
                Assert.Equal(8 << 20, fits.Numel);
            var ex = Assert.Throws<CudaOutOfMemoryException>(() => Tensor.Zeros([40 << 20], DType.Float32, Gpu));
            Assert.Equal(160L << 20, ex.Requested);
            Assert.Contains("167,772,160 bytes", ex.Message);
            Assert.Equal(ex.Stats.Allocated, ex.Stats.Reserved);      // the cache was emptied before giving up
            using var after = Tensor.Ones([1000], DType.Float32, Gpu);  // and the device still works
            Assert.Equal(1000f, after.Sum().Item<float>());
        }
        finally { setLimit(previous); }
    }

    [SkippableFact]
    public void UndisposedStoragesComeBackThroughTheFinalizerQueue()
    {
        CudaTestDevice.Require();
        static long Settled()
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            // The finalizer only queued blocks; the next allocation returns them to the cache.
            using (Tensor.Zeros([1], DType.Float32, Gpu)) { }
            return CudaBackend.MemoryStats().Allocated;
        }
        long before = Settled();
        Abandon();
        Assert.Equal(before, Settled());
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void Abandon()
    {
        var t = Tensor.Zeros([1 << 16], DType.Float32, Gpu);
        Assert.True(CudaBackend.MemoryStats().Allocated >= t.Numel * 4L);
    }

    private delegate nuint SetLimit(nuint bytes);

    private static SetLimit? EmulationLimit()
    {
        var dir = Interop.NativeLibraries.EmulationDirectory;
        if (dir is null) return null;
        var handle = NativeLibrary.Load(Path.Combine(dir, "libcuda.so.1"));
        return NativeLibrary.TryGetExport(handle, "cuEmulationSetMemoryLimit", out var f) ? Marshal.GetDelegateForFunctionPointer<SetLimit>(f) : null;
    }
}
