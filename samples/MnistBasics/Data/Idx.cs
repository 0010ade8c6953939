using System.Buffers.Binary;
using System.IO.Compression;

namespace Tensors.Samples.MnistBasics.Data;

/// <summary>The IDX format of the original MNIST files (optionally gzipped): images as [n, rows, cols] bytes,
/// labels as [n] bytes.</summary>
public static class Idx
{
    /// <summary>The most data bytes (after the header) a file may declare.</summary>
    public const long MaxBytes = 1L << 30;

    // Deflate's best case spends 2 bits on a 258-byte match, so one compressed byte never inflates past 1032 bytes.
    private const int MaxDeflateRatio = 1032;

    /// <summary>Reads an image file: (count, rows, cols, pixels).</summary>
    public static (int Count, int Rows, int Cols, byte[] Pixels) ReadImages(string path)
    {
        var (dims, data) = Read(path, rank: 3, "an image file");
        return (dims[0], dims[1], dims[2], data);
    }

    /// <summary>Reads a label file.</summary>
    public static byte[] ReadLabels(string path) => Read(path, rank: 1, "a label file").Data;

    // Reads an unsigned-byte IDX file of the given rank, gzipped when the name ends in .gz. The header is read and
    // checked first; then exactly the bytes it declares are read into one array sized by the header, which is
    // allocated only when the file could hold that much, and the file must end there.
    private static (int[] Dims, byte[] Data) Read(string path, int rank, string kind)
    {
        InvalidDataException Bad(string why) => new($"IDX '{path}': {why}.");
        using var file = File.OpenRead(path);
        bool gzipped = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);
        using Stream s = gzipped ? new GZipStream(file, CompressionMode.Decompress) : file;
        try
        {
            var header = new byte[4 + 4 * rank];
            int got = s.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
            int magic = BinaryPrimitives.ReadInt32BigEndian(header), expected = 0x800 + rank; // unsigned bytes, rank dims
            if (got >= 4 && magic != expected) throw Bad($"not {kind} (magic number {expected} expected, found {magic})");
            if (got < header.Length) throw Bad($"{got} bytes, shorter than the {header.Length}-byte header of {kind}");
            var dims = Enumerable.Range(0, rank).Select(k => BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4 + 4 * k))).ToArray();
            string shape = string.Join("x", dims);
            if (dims.Any(d => d < 0) || dims.Skip(1).Any(d => d == 0))
                throw Bad($"the header declares {shape}; the count must be non-negative and every other size positive");
            long total = 1;
            foreach (var d in dims)
                if ((total *= d) > MaxBytes) throw Bad($"the header declares {shape}, more than the {MaxBytes} bytes allowed");
            long onDisk = file.Length;
            if (!gzipped && onDisk != header.Length + total)
                throw Bad($"{shape} needs {header.Length + total} bytes, the file has {onDisk} ({(onDisk < header.Length + total ? "truncated?" : "trailing bytes")})");
            if (gzipped && total > (onDisk + 1) * MaxDeflateRatio)
                throw Bad($"the header declares {shape} ({total} bytes) but {onDisk} gzipped bytes cannot inflate to that much");
            var data = new byte[total];
            got = s.ReadAtLeast(data, data.Length, throwOnEndOfStream: false);
            if (got < data.Length) throw Bad($"{shape} needs {total} bytes after the header, the file ends after {got} (truncated?)");
            if (s.ReadByte() >= 0) throw Bad($"the file runs on past the {total} bytes {shape} needs (trailing bytes)");
            return (dims, data);
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith("IDX", StringComparison.Ordinal))
        {
            throw Bad($"the gzip stream is damaged ({e.Message})");
        }
    }

    /// <summary>Writes images in IDX format, gzipped when the path ends in .gz.</summary>
    public static void WriteImages(string path, int rows, int cols, IReadOnlyList<byte[]> images)
    {
        using var f = File.Create(path);
        using Stream s = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(f, CompressionLevel.Optimal) : f;
        Span<byte> h = stackalloc byte[16];
        BinaryPrimitives.WriteInt32BigEndian(h, 2051);
        BinaryPrimitives.WriteInt32BigEndian(h[4..], images.Count);
        BinaryPrimitives.WriteInt32BigEndian(h[8..], rows);
        BinaryPrimitives.WriteInt32BigEndian(h[12..], cols);
        s.Write(h);
        foreach (var img in images) s.Write(img);
    }

    /// <summary>Writes labels in IDX format, gzipped when the path ends in .gz.</summary>
    public static void WriteLabels(string path, IReadOnlyList<byte> labels)
    {
        using var f = File.Create(path);
        using Stream s = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(f, CompressionLevel.Optimal) : f;
        Span<byte> h = stackalloc byte[8];
        BinaryPrimitives.WriteInt32BigEndian(h, 2049);
        BinaryPrimitives.WriteInt32BigEndian(h[4..], labels.Count);
        s.Write(h);
        s.Write(labels.ToArray());
    }
}
