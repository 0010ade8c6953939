using System.Buffers.Binary;
using System.IO.Compression;

namespace Tensors.Samples.MnistBasics.Data;

/// <summary>The IDX format of the original MNIST files (optionally gzipped): images as [n, rows, cols] bytes,
/// labels as [n] bytes.</summary>
public static class Idx
{
    private static byte[] ReadAll(string path)
    {
        using var file = File.OpenRead(path);
        using Stream s = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var ms = new MemoryStream();
        try { s.CopyTo(ms); }
        catch (InvalidDataException e) { throw new InvalidDataException($"IDX '{path}': the gzip stream is damaged ({e.Message}).", e); }
        return ms.ToArray();
    }

    /// <summary>Reads an image file: (count, rows, cols, pixels).</summary>
    public static (int Count, int Rows, int Cols, byte[] Pixels) ReadImages(string path)
    {
        var d = ReadAll(path);
        if (d.Length < 16 || BinaryPrimitives.ReadInt32BigEndian(d) != 2051)
            throw new InvalidDataException($"IDX '{path}': not an image file (magic number 2051 expected).");
        int n = BinaryPrimitives.ReadInt32BigEndian(d.AsSpan(4)), rows = BinaryPrimitives.ReadInt32BigEndian(d.AsSpan(8)), cols = BinaryPrimitives.ReadInt32BigEndian(d.AsSpan(12));
        if (d.Length != 16 + (long)n * rows * cols) throw new InvalidDataException($"IDX '{path}': {n} images of {rows}x{cols} need {16 + (long)n * rows * cols} bytes, the file has {d.Length} (truncated?).");
        return (n, rows, cols, d[16..]);
    }

    /// <summary>Reads a label file.</summary>
    public static byte[] ReadLabels(string path)
    {
        var d = ReadAll(path);
        if (d.Length < 8 || BinaryPrimitives.ReadInt32BigEndian(d) != 2049)
            throw new InvalidDataException($"IDX '{path}': not a label file (magic number 2049 expected).");
        int n = BinaryPrimitives.ReadInt32BigEndian(d.AsSpan(4));
        if (d.Length != 8 + n) throw new InvalidDataException($"IDX '{path}': {n} labels need {8 + n} bytes, the file has {d.Length} (truncated?).");
        return d[8..];
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
