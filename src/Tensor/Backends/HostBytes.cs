using Tensors.Backends.Cpu;

namespace Tensors.Backends;

/// <summary>Raw byte transfers for host storages, shared by the host backends.</summary>
internal static class HostBytes
{
    public static void Write(ReadOnlySpan<byte> source, Storage destination, int offset)
    {
        var bytes = CpuStorage.Of(destination, "CopyFromHost").Bytes;
        source.CopyTo(bytes[(offset * destination.DType.ElementSize())..]);
    }

    public static void Read(Storage source, int offset, Span<byte> destination)
    {
        var bytes = CpuStorage.Of(source, "CopyToHost").Bytes;
        bytes.Slice(offset * source.DType.ElementSize(), destination.Length).CopyTo(destination);
    }
}

/// <summary>Multi-index helpers for the scalar paths.</summary>
internal static class Indexing
{
    /// <summary>Advances a row-major multi-index by one.</summary>
    public static void Increment(Span<int> index, ReadOnlySpan<int> shape)
    {
        for (int d = index.Length - 1; d >= 0; d--)
        {
            if (++index[d] < shape[d]) return;
            index[d] = 0;
        }
    }
}
