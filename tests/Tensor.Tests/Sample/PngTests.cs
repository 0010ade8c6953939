using Tensors.Samples.MnistBasics.Data;
using Xunit;

namespace Tensors.Tests.Sample;

public class PngTests
{
    private static byte[] Noise(int n, int seed) { var b = new byte[n]; new System.Random(seed).NextBytes(b); return b; }

    [Theory]
    [InlineData(1, 0)] [InlineData(1, 1)] [InlineData(1, 2)] [InlineData(1, 3)] [InlineData(1, 4)]
    [InlineData(3, 0)] [InlineData(3, 4)]
    public void RoundTripsThroughEveryFilter(int channels, int filter)
    {
        var pixels = Noise(28 * 17 * channels, filter + channels);
        var png = Png.Encode(28, 17, pixels, channels, filter);
        var image = Png.Decode(png, "noise.png");
        Assert.Equal((28, 17), (image.Width, image.Height));
        var expected = channels == 1 ? pixels
            : Enumerable.Range(0, 28 * 17).Select(i => (byte)((pixels[3 * i] * 299 + pixels[3 * i + 1] * 587 + pixels[3 * i + 2] * 114) / 1000)).ToArray();
        Assert.Equal(expected, image.Pixels);
    }

    [Fact]
    public void TheCommittedSubsetIsRealPngs()
    {
        var files = Directory.GetFiles(DataLocator.SubsetDir, "*.png", SearchOption.AllDirectories);
        Assert.Equal(400, files.Length);
        var img = Png.Read(files[0]);
        Assert.Equal(784, img.Pixels.Length);
        Assert.Contains(img.Pixels, p => p > 200);   // a digit, not a blank
    }

    [Fact]
    public void DamagedFilesNameTheFileAndTheProblem()
    {
        var good = Png.Encode(8, 8, Noise(64, 1));
        void Bad(byte[] bytes, string fragment)
        {
            var ex = Assert.Throws<InvalidDataException>(() => Png.Decode(bytes, "digit.png"));
            Assert.Contains("digit.png", ex.Message);
            Assert.Contains(fragment, ex.Message);
        }
        Bad("GIF89a..."u8.ToArray(), "signature");
        Bad(good[..(good.Length - 20)], "truncated");
        var flipped = good.ToArray();
        flipped[40] ^= 0xFF;                          // inside IDAT: the CRC no longer matches
        Bad(flipped, "CRC");
        var interlaced = Png.Encode(8, 8, Noise(64, 2));
        interlaced[28] = 1;                            // IHDR's interlace byte (CRC fixed below)
        FixCrc(interlaced, 8);
        Bad(interlaced, "interlaced");
    }

    private static byte[] Chunk(string type, byte[] body)
    {
        var c = new byte[12 + body.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(c, body.Length);
        System.Text.Encoding.ASCII.GetBytes(type).CopyTo(c, 4);
        body.CopyTo(c, 8);
        FixCrc(c, 0);
        return c;
    }

    private static byte[] Zlib(byte[] raw)
    {
        using var ms = new MemoryStream();
        using (var z = new System.IO.Compression.ZLibStream(ms, System.IO.Compression.CompressionLevel.Optimal)) z.Write(raw);
        return ms.ToArray();
    }

    // A gray 8-bit PNG with the given header dimensions and raw (filtered) image data, which need not match them.
    private static byte[] Crafted(uint width, uint height, byte[] raw, int ihdrLength = 13, bool idatFirst = false)
    {
        var ihdr = new byte[ihdrLength];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(ihdr, width);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8;
        var idat = Chunk("IDAT", Zlib(raw));
        var head = Chunk("IHDR", ihdr);
        return [137, 80, 78, 71, 13, 10, 26, 10, .. idatFirst ? idat : head, .. idatFirst ? head : idat, .. Chunk("IEND", [])];
    }

    // Decodes and expects a refusal naming the file, allocating under maxAllocated bytes (a bomb must fail fast).
    private static void Refused(byte[] png, string fragment, long maxAllocated = 1 << 20)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<InvalidDataException>(() => Png.Decode(png, "bomb.png"));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains("PNG 'bomb.png': ", ex.Message);
        Assert.Contains(fragment, ex.Message);
        Assert.True(allocated < maxAllocated, $"{allocated} bytes allocated to refuse: {ex.Message}");
    }

    [Fact]
    public void DimensionsAreCheckedBeforeAnythingIsAllocated()
    {
        var tiny = Crafted(100000, 100000, new byte[16]);
        Assert.True(tiny.Length < 80);
        Refused(tiny, "the header claims 100000x100000 with 1 channel(s), 10000100000 bytes decoded, more than the 268435456 allowed");
        Refused(Crafted(0, 8, new byte[16]), "the header claims 0x8; width and height must be 1 to 16777216");
        Refused(Crafted(8, (1 << 24) + 1, new byte[16]), "width and height must be 1 to 16777216");
        Refused(Crafted(uint.MaxValue, 1, new byte[16]), "the header claims 4294967295x1;");
        // Within the cap, but 4000x4000 from a few compressed bytes is more than deflate can produce.
        Refused(Crafted(4000, 4000, new byte[100]),
            $"the header claims 4000x4000 (16004000 bytes decoded) but {Zlib(new byte[100]).Length} compressed bytes cannot inflate to that much");
    }

    [Fact]
    public void InflatingStopsAtWhatTheHeaderDeclares()
    {
        // 8x8 needs 72 bytes (a filter byte per row); the stream holds 16 MB of zeros, which must not be inflated.
        Refused(Crafted(8, 8, new byte[16 << 20]), "the image data runs past the 72 bytes 8x8 needs", maxAllocated: 2 << 20);
        Refused(Crafted(8, 8, new byte[30]), "the image data ends after 30 of the 72 bytes 8x8 needs (truncated?)");
        Assert.Equal(new byte[64], Png.Decode(Crafted(8, 8, new byte[72]), "zeros.png").Pixels);
    }

    [Fact]
    public void TheHeaderChunkMustComeFirstWithThirteenBytes()
    {
        Refused(Crafted(8, 8, new byte[72], idatFirst: true), "the first chunk is IDAT, not IHDR");
        Refused(Crafted(8, 8, new byte[72], ihdrLength: 12), "the IHDR chunk has 12 bytes instead of 13");
    }

    // Recomputes a chunk's CRC after a deliberate edit, so the decoder sees a well-formed but unsupported file.
    private static void FixCrc(byte[] png, int at)
    {
        int length = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
        var table = Enumerable.Range(0, 256).Select(n => { uint c = (uint)n; for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1; return c; }).ToArray();
        uint crc = 0xFFFFFFFFu;
        foreach (var b in png.AsSpan(at + 4, length + 4)) crc = table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(at + 8 + length), crc ^ 0xFFFFFFFFu);
    }
}
