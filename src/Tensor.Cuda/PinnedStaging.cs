using Tensors.Cuda.Interop;

namespace Tensors.Cuda;

/// <summary>
/// Large host transfers go through one page-locked buffer per device: the driver copies pageable memory by staging
/// it through a pinned buffer of its own anyway, and copying through ours lets the DMA engine read and write it at
/// full speed without the driver's extra pinning work per call. Small transfers go directly.
/// </summary>
internal sealed unsafe class PinnedStaging(CudaDevice device) : IDisposable
{
    public const int Threshold = 1 << 20, Chunk = 8 << 20;

    private readonly Lock _gate = new();
    private IntPtr _buffer;

    public void ToDevice(ReadOnlySpan<byte> source, ulong destination)
    {
        lock (_gate)
        {
            var buffer = Buffer();
            for (int at = 0; at < source.Length; at += Chunk)
            {
                int n = Math.Min(Chunk, source.Length - at);
                source.Slice(at, n).CopyTo(new Span<byte>((void*)buffer, n));
                Driver.Check(Driver.MemcpyHtoD(destination + (ulong)at, (void*)buffer, (nuint)n), "cuMemcpyHtoD_v2");
            }
        }
    }

    public void ToHost(ulong source, Span<byte> destination)
    {
        lock (_gate)
        {
            var buffer = Buffer();
            for (int at = 0; at < destination.Length; at += Chunk)
            {
                int n = Math.Min(Chunk, destination.Length - at);
                Driver.Check(Driver.MemcpyDtoH((void*)buffer, source + (ulong)at, (nuint)n), "cuMemcpyDtoH_v2");
                new ReadOnlySpan<byte>((void*)buffer, n).CopyTo(destination.Slice(at, n));
            }
        }
    }

    private IntPtr Buffer()
    {
        if (_buffer != IntPtr.Zero) return _buffer;
        device.MakeCurrent();
        Driver.Check(Driver.MemHostAlloc(out _buffer, Chunk, 0), "cuMemHostAlloc");
        return _buffer;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_buffer != IntPtr.Zero) Driver.MemFreeHost(_buffer);
            _buffer = IntPtr.Zero;
        }
    }
}
