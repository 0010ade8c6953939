using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Tensors.Samples.MnistBasics.Data;

/// <summary>
/// A small PNG codec for the sample's needs: reads 8-bit grayscale, gray+alpha, RGB and RGBA non-interlaced images
/// (colour is converted to luminance as PIL does), writes 8-bit grayscale. Damaged files fail with the file named.
/// </summary>
public static class Png
{
    private static readonly byte[] Signature = [137, 80, 78, 71, 13, 10, 26, 10];
    private static readonly uint[] CrcTable = Enumerable.Range(0, 256).Select(n =>
    {
        uint c = (uint)n;
        for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        return c;
    }).ToArray();

    private static uint Crc(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        uint c = 0xFFFFFFFFu;
        foreach (var x in a) c = CrcTable[(c ^ x) & 0xFF] ^ (c >> 8);
        foreach (var x in b) c = CrcTable[(c ^ x) & 0xFF] ^ (c >> 8);
        return c ^ 0xFFFFFFFFu;
    }

    /// <summary>A decoded grayscale image: row-major pixels.</summary>
    public sealed record Image(int Width, int Height, byte[] Pixels);

    /// <summary>Reads a PNG file as 8-bit grayscale.</summary>
    public static Image Read(string path) => Decode(File.ReadAllBytes(path), path);

    /// <summary>The largest width or height accepted.</summary>
    public const int MaxSide = 1 << 24;

    /// <summary>The most bytes of decompressed image data (filter bytes included) an image may need.</summary>
    public const long MaxDecodedBytes = 1L << 28;

    // Deflate's best case spends 2 bits on a 258-byte match, so one compressed byte never inflates past 1032 bytes.
    private const int MaxDeflateRatio = 1032;

    /// <summary>Decodes PNG bytes; <paramref name="name"/> appears in errors. Nothing larger than the header's
    /// dimensions justify, within <see cref="MaxSide"/> and <see cref="MaxDecodedBytes"/> and what the compressed data
    /// could inflate to, is ever allocated, and inflating stops as soon as the data runs past what the header
    /// declares.</summary>
    public static Image Decode(byte[] data, string name)
    {
        InvalidDataException Bad(string why) => new($"PNG '{name}': {why}.");
        if (data.Length < 8 || !data.AsSpan(0, 8).SequenceEqual(Signature)) throw Bad("not a PNG file (bad signature)");
        int width = 0, height = 0, channels = 0;
        using var idat = new MemoryStream();
        bool ended = false;
        for (int at = 8; at < data.Length && !ended;)
        {
            if (at + 12 > data.Length) throw Bad($"truncated chunk header at byte {at}");
            int length = (int)BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(at));
            if (length < 0 || at + 12L + length > data.Length) throw Bad($"chunk at byte {at} runs past the end of the file (truncated?)");
            var type = data.AsSpan(at + 4, 4);
            var body = data.AsSpan(at + 8, length);
            if (Crc(type, body) != BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(at + 8 + length)))
                throw Bad($"CRC mismatch in the {Encoding.ASCII.GetString(type)} chunk (corrupted)");
            var typeName = Encoding.ASCII.GetString(type);
            if ((at == 8) != (typeName == "IHDR"))
                throw Bad(at == 8 ? $"the first chunk is {typeName}, not IHDR" : $"a second IHDR chunk at byte {at}");
            switch (typeName)
            {
                case "IHDR": (width, height, channels) = Header(body, Bad); break;
                case "IDAT": idat.Write(body); break;
                case "IEND": ended = true; break;
            }
            at += 12 + length;
        }
        if (channels == 0) throw Bad("no IHDR chunk");
        if (!ended) throw Bad("no IEND chunk (truncated?)");
        int stride = width * channels;
        var raw = Inflate(idat, (stride + 1) * height, $"{width}x{height}", Bad);
        var pixels = Unfilter(raw, stride, height, channels, Bad);
        var gray = new byte[width * height];
        for (int i = 0; i < gray.Length; i++)
        {
            int o = i * channels;
            gray[i] = channels < 3 ? pixels[o] : (byte)((pixels[o] * 299 + pixels[o + 1] * 587 + pixels[o + 2] * 114) / 1000);
        }
        return new Image(width, height, gray);
    }

    // Reads IHDR: the dimensions and channels, each checked against what this decoder supports and the limits.
    private static (int Width, int Height, int Channels) Header(ReadOnlySpan<byte> body, Func<string, Exception> bad)
    {
        if (body.Length != 13) throw bad($"the IHDR chunk has {body.Length} bytes instead of 13");
        uint width = BinaryPrimitives.ReadUInt32BigEndian(body), height = BinaryPrimitives.ReadUInt32BigEndian(body[4..]);
        int depth = body[8], colorType = body[9];
        int channels = colorType switch { 0 => 1, 4 => 2, 2 => 3, 6 => 4, _ => 0 };
        if (depth != 8 || channels == 0)
            throw bad($"bit depth {depth} with colour type {colorType} is not supported (8-bit gray, gray+alpha, RGB or RGBA only)");
        if (body[12] != 0) throw bad("interlaced images are not supported");
        if (width is 0 or > MaxSide || height is 0 or > MaxSide)
            throw bad($"the header claims {width}x{height}; width and height must be 1 to {MaxSide}");
        long decoded = ((long)width * channels + 1) * height;
        if (decoded > MaxDecodedBytes)
            throw bad($"the header claims {width}x{height} with {channels} channel(s), {decoded} bytes decoded, more than the {MaxDecodedBytes} allowed");
        return ((int)width, (int)height, channels);
    }

    // Inflates exactly length bytes, reading no further than one byte past them: a stream that could not hold that
    // much is refused before allocating, and one that ends early or runs on is refused as soon as it does.
    private static byte[] Inflate(MemoryStream idat, int length, string size, Func<string, Exception> bad)
    {
        if (length > (idat.Length + 1) * MaxDeflateRatio)
            throw bad($"the header claims {size} ({length} bytes decoded) but {idat.Length} compressed bytes cannot inflate to that much");
        var raw = new byte[length];
        try
        {
            idat.Position = 0;
            using var z = new ZLibStream(idat, CompressionMode.Decompress);
            int got = 0, n;
            while (got < raw.Length && (n = z.Read(raw, got, raw.Length - got)) > 0) got += n;
            if (got != raw.Length) throw bad($"the image data ends after {got} of the {raw.Length} bytes {size} needs (truncated?)");
            if (z.ReadByte() >= 0) throw bad($"the image data runs past the {raw.Length} bytes {size} needs");
            return raw;
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith("PNG", StringComparison.Ordinal))
        {
            throw bad($"the compressed image data is damaged ({e.Message})");
        }
    }

    private static byte[] Unfilter(byte[] raw, int stride, int height, int bpp, Func<string, Exception> bad)
    {
        var output = new byte[stride * height];
        for (int y = 0; y < height; y++)
        {
            int filter = raw[y * (stride + 1)];
            var line = raw.AsSpan(y * (stride + 1) + 1, stride);
            var row = output.AsSpan(y * stride, stride);
            var up = y > 0 ? output.AsSpan((y - 1) * stride, stride) : new byte[stride];
            for (int x = 0; x < stride; x++)
            {
                int left = x >= bpp ? row[x - bpp] : 0, above = up[x], upLeft = x >= bpp ? up[x - bpp] : 0;
                row[x] = (byte)(line[x] + filter switch
                {
                    0 => 0,
                    1 => left,
                    2 => above,
                    3 => (left + above) / 2,
                    4 => Paeth(left, above, upLeft),
                    _ => throw bad($"row {y} has unknown filter type {filter}"),
                });
            }
        }
        return output;
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    /// <summary>Writes an 8-bit grayscale PNG.</summary>
    public static void Write(string path, int width, int height, ReadOnlySpan<byte> pixels)
    {
        using var f = File.Create(path);
        f.Write(Encode(width, height, pixels));
    }

    /// <summary>Encodes an 8-bit PNG: grayscale (1 channel) or RGB (3), every row with the given filter type (0-4).</summary>
    public static byte[] Encode(int width, int height, ReadOnlySpan<byte> pixels, int channels = 1, int filter = 0)
    {
        if (channels is not (1 or 3)) throw new ArgumentException($"Png.Encode: {channels} channels; 1 (gray) or 3 (RGB) are supported.");
        if (filter is < 0 or > 4) throw new ArgumentException($"Png.Encode: filter type {filter} does not exist (0-4).");
        int stride = width * channels;
        if (pixels.Length != stride * height) throw new ArgumentException($"Png.Encode: {pixels.Length} bytes do not fill {width}x{height}x{channels}.");
        using var ms = new MemoryStream();
        ms.Write(Signature);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr, (uint)width);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), (uint)height);
        ihdr[8] = 8; // depth; compression, filter method and interlace stay 0
        ihdr[9] = (byte)(channels == 1 ? 0 : 2);
        Chunk(ms, "IHDR", ihdr);
        using (var zipped = new MemoryStream())
        {
            using (var z = new ZLibStream(zipped, CompressionLevel.Optimal, leaveOpen: true))
            {
                var line = new byte[stride];
                for (int y = 0; y < height; y++)
                {
                    var row = pixels.Slice(y * stride, stride);
                    var up = y > 0 ? pixels.Slice((y - 1) * stride, stride) : new byte[stride];
                    for (int x = 0; x < stride; x++)
                    {
                        int left = x >= channels ? row[x - channels] : 0, above = up[x], upLeft = x >= channels ? up[x - channels] : 0;
                        line[x] = (byte)(row[x] - filter switch { 1 => left, 2 => above, 3 => (left + above) / 2, 4 => Paeth(left, above, upLeft), _ => 0 });
                    }
                    z.WriteByte((byte)filter);
                    z.Write(line);
                }
            }
            Chunk(ms, "IDAT", zipped.ToArray());
        }
        Chunk(ms, "IEND", []);
        return ms.ToArray();
    }

    private static void Chunk(Stream s, string type, byte[] body)
    {
        var t = Encoding.ASCII.GetBytes(type);
        Span<byte> n = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(n, (uint)body.Length);
        s.Write(n);
        s.Write(t);
        s.Write(body);
        BinaryPrimitives.WriteUInt32BigEndian(n, Crc(t, body));
        s.Write(n);
    }
}
