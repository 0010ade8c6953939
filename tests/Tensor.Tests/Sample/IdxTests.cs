using System.Buffers.Binary;
using System.IO.Compression;
using Tensors.Samples.MnistBasics.Data;
using Xunit;

namespace Tensors.Tests.Sample;

/// <summary>The sample's IDX reader on crafted files: the header is checked first and nothing larger than the file
/// can hold is allocated or inflated.</summary>
public class IdxTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mnist-idx-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // An IDX file: the magic number, the big-endian dims, then the payload; gzipped when the name ends in .gz.
    private string Write(string name, int magic, int[] dims, byte[] payload)
    {
        var header = new byte[4 + 4 * dims.Length];
        BinaryPrimitives.WriteInt32BigEndian(header, magic);
        for (int k = 0; k < dims.Length; k++) BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 + 4 * k), dims[k]);
        var path = Path.Combine(_dir, name);
        using var f = File.Create(path);
        using Stream s = name.EndsWith(".gz") ? new GZipStream(f, CompressionLevel.Optimal) : f;
        s.Write(header);
        s.Write(payload);
        return path;
    }

    // Reads and expects a refusal naming the file, allocating under maxAllocated bytes (a bomb must fail fast).
    private static void Refused(string path, string fragment, long maxAllocated = 1 << 20)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<InvalidDataException>(() => Idx.ReadImages(path));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains($"IDX '{path}': ", ex.Message);
        Assert.Contains(fragment, ex.Message);
        Assert.True(allocated < maxAllocated, $"{allocated} bytes allocated to refuse: {ex.Message}");
    }

    [Theory]
    [InlineData("images")] [InlineData("images.gz")]
    public void RoundTripsExactly(string name)
    {
        var path = Path.Combine(_dir, name);
        Idx.WriteImages(path, 2, 3, [[1, 2, 3, 4, 5, 6], [7, 8, 9, 10, 11, 12]]);
        var (count, rows, cols, pixels) = Idx.ReadImages(path);
        Assert.Equal((2, 2, 3), (count, rows, cols));
        Assert.Equal(Enumerable.Range(1, 12).Select(i => (byte)i), pixels);
        var labels = Path.Combine(_dir, "labels" + (name.EndsWith(".gz") ? ".gz" : ""));
        Idx.WriteLabels(labels, [3, 7, 7]);
        Assert.Equal(new byte[] { 3, 7, 7 }, Idx.ReadLabels(labels));
    }

    [Theory]
    [InlineData("bad")] [InlineData("bad.gz")]
    public void NegativeZeroAndOverflowingDimsAreRefused(string name)
    {
        Refused(Write(name, 2051, [-1, 28, 28], []), "the header declares -1x28x28; the count must be non-negative and every other size positive");
        Refused(Write(name, 2051, [5, 0, 28], []), "declares 5x0x28;");
        Refused(Write(name, 2051, [int.MaxValue, 65536, 65536], []), "declares 2147483647x65536x65536, more than the 1073741824 bytes allowed");
    }

    [Theory]
    [InlineData("short")] [InlineData("short.gz")]
    public void ShortFilesAndWrongMagicAreRefused(string name)
    {
        Refused(Write(name, 2051, [3, 2, 2], new byte[11]), "truncated?");
        Refused(Write(name, 2049, [3], []), "not an image file (magic number 2051 expected, found 2049)");
        var cut = Path.Combine(_dir, name);
        File.WriteAllBytes(cut, File.ReadAllBytes(Write(name, 2051, [3, 2, 2], new byte[12]))[..6]);
        Refused(cut, name.EndsWith(".gz") ? "" : "6 bytes, shorter than the 16-byte header of an image file");
    }

    [Fact]
    public void TrailingBytesAreRefused()
    {
        Refused(Write("trailing", 2051, [3, 2, 2], new byte[13]), "3x2x2 needs 28 bytes, the file has 29 (trailing bytes)");
        Refused(Write("trailing.gz", 2051, [3, 2, 2], new byte[13]), "the file runs on past the 12 bytes 3x2x2 needs (trailing bytes)");
    }

    [Fact]
    public void AGzipBombFailsFastWithoutInflating()
    {
        // 784 MB declared by a file of a few hundred bytes: refused before allocating.
        var claims = Write("claims.gz", 2051, [1_000_000, 28, 28], new byte[1000]);
        Refused(claims, $"the header declares 1000000x28x28 (784000000 bytes) but {new FileInfo(claims).Length} gzipped bytes cannot inflate to that much");
        // A valid header for 10 images followed by 64 MB of zeros: only the 7840 declared bytes are inflated.
        Refused(Write("runs-on.gz", 2051, [10, 28, 28], new byte[64 << 20]), "runs on past the 7840 bytes 10x28x28 needs", maxAllocated: 2 << 20);
    }

    [Fact]
    public void LabelsMustMatchTheImages()
    {
        Write("train-images-idx3-ubyte", 2051, [2, 28, 28], new byte[2 * 784]);
        Write("train-labels-idx1-ubyte", 2049, [3], [3, 7, 3]);
        Write("t10k-images-idx3-ubyte", 2051, [1, 28, 28], new byte[784]);
        Write("t10k-labels-idx1-ubyte", 2049, [1], [7]);
        var ex = Assert.Throws<InvalidDataException>(() => MnistSample.Load(_dir));
        Assert.Contains("train-labels-idx1-ubyte': 3 labels for the 2 images of", ex.Message);
        Write("train-labels-idx1-ubyte", 2049, [2], [3, 7]);
        Write("t10k-images-idx3-ubyte", 2051, [1, 27, 28], new byte[27 * 28]);
        ex = Assert.Throws<InvalidDataException>(() => MnistSample.Load(_dir));
        Assert.Contains("t10k-images-idx3-ubyte': 27x28 images, but MNIST images are 28x28.", ex.Message);
        Write("t10k-images-idx3-ubyte", 2051, [1, 28, 28], new byte[784]);
        using var data = MnistSample.Load(_dir);
        Assert.Equal((1, 1, 0, 1), (data.Train3.Names.Length, data.Train7.Names.Length, data.Valid3.Names.Length, data.Valid7.Names.Length));
    }
}
