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
