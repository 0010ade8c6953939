using System.Buffers.Binary;
using System.Text;
using Tensors.NN;
using Xunit;

namespace Tensors.Tests.Training;

public class SafetensorsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tensor-safetensors-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Sequential Model(ulong seed) =>
        new(new Linear(3, 4, generator: new Generator(seed)), new ReLU(), new Linear(4, 2, generator: new Generator(seed + 1)));

    [Fact]
    public void RoundTripIsExact()
    {
        var path = Path.Combine(_dir, "model.safetensors");
        using var a = Model(1);
        a.Save(path);
        using var b = Model(7);
        Assert.NotEqual(a.Parameters().First().ToArray<float>(), b.Parameters().First().ToArray<float>());
        b.Load(path);
        foreach (var ((na, pa), (nb, pb)) in a.NamedParameters().Zip(b.NamedParameters()))
        {
            Assert.Equal(na, nb);
            Assert.Equal(pa.ToArray<float>(), pb.ToArray<float>());
        }
    }

    [Fact]
    public void TheFileFollowsTheSpec()
    {
        var path = Path.Combine(_dir, "spec.safetensors");
        using var m = Model(1);
        m.Save(path);
        var bytes = File.ReadAllBytes(path);
        long n = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, (8 + n) % 8);
        var header = Encoding.UTF8.GetString(bytes, 8, (int)n);
        Assert.Contains("\"0.weight\":{\"dtype\":\"F32\",\"shape\":[4,3],\"data_offsets\":[16,64]}", header);
        Assert.Equal(8 + n + (12 + 4 + 8 + 2) * 4, bytes.Length);
    }

    [Fact]
    public void TruncatedOrCorruptFilesGiveClearErrorsAndLeaveTheModelAlone()
    {
        var path = Path.Combine(_dir, "good.safetensors");
        using var saved = Model(1);
        saved.Save(path);
        var good = File.ReadAllBytes(path);
        using var target = Model(9);
        var before = target.Parameters().Select(p => p.ToArray<float>()).ToList();

        void Expect(byte[] content, string fragment)
        {
            var bad = Path.Combine(_dir, "bad.safetensors");
            File.WriteAllBytes(bad, content);
            var ex = Assert.Throws<InvalidDataException>(() => target.Load(bad));
            Assert.Contains("bad.safetensors", ex.Message);
            Assert.Contains(fragment, ex.Message);
            Assert.Equal(before, target.Parameters().Select(p => p.ToArray<float>()).ToList());
        }

        Expect(good[..(good.Length - 10)], "truncated");
        Expect(good[..5], "shorter than");
        var corrupt = good.ToArray();
        corrupt[9] = (byte)'#';
        Expect(corrupt, "JSON");
        var huge = good.ToArray();
        BinaryPrimitives.WriteUInt64LittleEndian(huge, 1UL << 40);
        Expect(huge, "header claims");
        using var other = new Linear(3, 4);
        var otherPath = Path.Combine(_dir, "other.safetensors");
        other.Save(otherPath);
        var mismatch = Assert.Throws<InvalidDataException>(() => target.Load(otherPath));
        Assert.Contains("missing", mismatch.Message);
    }

    [Fact]
    public void SavingOverAFileReplacesItWhole()
    {
        var path = Path.Combine(_dir, "m.safetensors");
        using var a = Model(1);
        a.Save(path);
        using var b = Model(2);
        b.Save(path);
        Assert.Single(Directory.GetFiles(_dir));
        using var c = Model(3);
        c.Load(path);
        Assert.Equal(b.Parameters().First().ToArray<float>(), c.Parameters().First().ToArray<float>());
    }

    // A file as the spec lays it out: the header's length, the header (UTF-8, unpadded unless the test pads it), data.
    private string Craft(string header, int dataBytes, byte[]? headerBytes = null)
    {
        var h = headerBytes ?? Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + h.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)h.Length);
        h.CopyTo(bytes, 8);
        for (int i = 0; i < dataBytes; i++) bytes[8 + h.Length + i] = (byte)(i + 1);
        var path = Path.Combine(_dir, "crafted.safetensors");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private void Refused(string header, int dataBytes, params string[] fragments)
    {
        var ex = Assert.Throws<InvalidDataException>(() => Safetensors.Load(Craft(header, dataBytes)));
        Assert.Contains("crafted.safetensors", ex.Message);
        foreach (var f in fragments) Assert.Contains(f, ex.Message);
    }

    private static string Entry(string name, string dtype, string shape, long begin, long end) =>
        $"\"{name}\":{{\"dtype\":\"{dtype}\",\"shape\":{shape},\"data_offsets\":[{begin},{end}]}}";

    [Fact]
    public void AValidFileInAnyHeaderOrderLoadsItsExactBytes()
    {
        // The reference's own example (I32 [2, 2] at 0..16), plus a U8 tensor listed first though its data comes last,
        // an empty tensor and metadata; data bytes are 1, 2, 3, ...
        var path = Craft("{\"__metadata__\":{\"format\":\"pt\"}," + Entry("b", "U8", "[3]", 16, 19) + "," +
                         Entry("test", "I32", "[2,2]", 0, 16) + "," + Entry("none", "F32", "[0,5]", 16, 16) + "}", 19);
        var loaded = Safetensors.Load(path);
        Assert.Equal(new[] { 0x04030201, 0x08070605, 0x0C0B0A09, 0x100F0E0D }, loaded["test"].ToArray<int>());
        Assert.Equal(new[] { 2, 2 }, loaded["test"].Shape);
        Assert.Equal(new byte[] { 17, 18, 19 }, loaded["b"].ToArray<byte>());
        Assert.Equal(new[] { 0, 5 }, loaded["none"].Shape);
        Assert.Empty(Safetensors.Load(Craft("{}", 0)));
    }

    [Fact]
    public void TheHeaderMustBeSmallValidUtf8JsonObject()
    {
        var tooLong = Path.Combine(_dir, "crafted.safetensors");
        var bytes = new byte[64];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, Safetensors.MaxHeaderLength + 1);
        File.WriteAllBytes(tooLong, bytes);
        var ex = Assert.Throws<InvalidDataException>(() => Safetensors.Load(tooLong));
        Assert.Contains("more than the 100000000", ex.Message);
        // A name holding the byte 0xFF, which UTF-8 never uses.
        var notUtf8 = Encoding.UTF8.GetBytes("{" + Entry("a?", "U8", "[1]", 0, 1) + "}");
        notUtf8[3] = 0xFF;
        ex = Assert.Throws<InvalidDataException>(() => Safetensors.Load(Craft("", 1, notUtf8)));
        Assert.Contains("crafted.safetensors", ex.Message);
        Assert.Contains("not valid UTF-8 (at byte 11)", ex.Message);
        Refused("[1, 2]", 0, "a JSON Array, not an object");
        Refused("{\"a\":", 0, "not valid JSON");
    }

    [Fact]
    public void DuplicateNamesAreRefusedNotLastWins()
    {
        Refused("{" + Entry("w", "U8", "[1]", 0, 1) + "," + Entry("w", "U8", "[1]", 1, 2) + "}", 2, "'w' appears twice");
        Refused("{\"w\":{\"dtype\":\"U8\",\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}", 1, "entry for 'w'", "'dtype' twice");
    }

    [Fact]
    public void MetadataValuesMustBeStrings()
    {
        Refused("{\"__metadata__\":{\"epoch\":3}}", 0, "'__metadata__' maps 'epoch' to a JSON Number");
        Refused("{\"__metadata__\":[\"x\"]}", 0, "'__metadata__' is a JSON Array");
        Assert.Empty(Safetensors.Load(Craft("{\"__metadata__\":{\"epoch\":\"3\"}}", 0)));
    }

    [Fact]
    public void EveryEntryNeedsAKnownDtypeANaturalShapeAndTwoOffsets()
    {
        Refused("{\"w\":{\"shape\":[1],\"data_offsets\":[0,1]}}", 1, "entry for 'w'", "has no 'dtype'");
        Refused("{\"w\":{\"dtype\":\"U8\",\"data_offsets\":[0,1]}}", 1, "entry for 'w'", "has no 'shape'");
        Refused("{\"w\":{\"dtype\":\"U8\",\"shape\":[1]}}", 1, "entry for 'w'", "has no 'data_offsets'");
        Refused("{\"w\":[1]}", 1, "entry for 'w'", "not an object");
        Refused("{" + Entry("w", "F128", "[1]", 0, 16) + "}", 16, "entry for 'w'", "dtype F128");
        Refused("{" + Entry("w", "U8", "[-1]", 0, 0) + "}", 0, "entry for 'w'", "holds -1; only non-negative integers");
        Refused("{" + Entry("w", "U8", "[1.5]", 0, 0) + "}", 0, "entry for 'w'", "holds 1.5");
        Refused("{\"w\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1,2]}}", 1, "entry for 'w'", "3 data_offsets");
        Refused("{" + Entry("w", "U8", "[1]", 1, 0) + "}", 1, "entry for 'w'", "ends (byte 0) before it begins (byte 1)");
    }

    [Fact]
    public void ByteLengthsMustMatchTheShapeCountedIn64Bits()
    {
        Refused("{" + Entry("w", "F32", "[2,3]", 0, 20) + "}", 20, "entry for 'w'", "(20 bytes) but [2, 3] float32 needs 24");
        // 2^32 * 2^32 elements: 0 in 64-bit wrapping arithmetic, which would match the empty range.
        Refused("{" + Entry("w", "U8", "[4294967296,4294967296]", 0, 0) + "}", 0, "entry for 'w'", "overflows 64 bits");
        Refused("{" + Entry("w", "F64", "[2305843009213693952]", 0, 0) + "}", 0, "entry for 'w'", "overflows 64 bits");
        // Valid to the reference (zero elements) but wider than this library's dimensions.
        Refused("{" + Entry("w", "U8", "[0,3000000000]", 0, 0) + "}", 0, "entry for 'w'", "at most 2147483647");
    }

    [Fact]
    public void OffsetsMustTileTheDataFromZeroToTheEnd()
    {
        Refused("{" + Entry("a", "U8", "[2]", 1, 3) + "}", 3, "tensor 'a' starts at byte 1", "must start at 0");
        Refused("{" + Entry("a", "U8", "[2]", 0, 2) + "," + Entry("b", "U8", "[2]", 3, 5) + "}", 5,
            "bytes 2..3 between tensors 'a' and 'b' belong to no tensor");
        Refused("{" + Entry("a", "U8", "[2]", 0, 2) + "," + Entry("b", "U8", "[2]", 1, 3) + "}", 3, "tensors 'a' and 'b' overlap");
        Refused("{" + Entry("a", "U8", "[2]", 0, 2) + "}", 3, "1 trailing bytes follow the last tensor 'a'");
        Refused("{}", 4, "4 trailing bytes");
        Refused("{" + Entry("a", "U8", "[2]", 0, 2) + "," + Entry("b", "U8", "[2]", 2, 4) + "}", 3, "tensor 'b' ends at byte 4", "truncated");
    }

    [Fact]
    public void SavingRefusesDuplicateNamesAndWritesNothing()
    {
        var path = Path.Combine(_dir, "dup.safetensors");
        using var a = Tensor.Ones(2);
        using var b = Tensor.Zeros(3);
        var ex = Assert.Throws<ArgumentException>(() => Safetensors.Save(path, [("w", a), ("v", a), ("w", b)]));
        Assert.Contains("'w' appear", ex.Message);
        Assert.DoesNotContain("'v'", ex.Message);
        Assert.Throws<ArgumentException>(() => Safetensors.Save(path, [("__metadata__", a)]));
        Assert.Empty(Directory.GetFiles(_dir));
    }

    [Fact]
    public void SavingOrdersByAlignmentThenNameAndPadsWithSpaces()
    {
        var path = Path.Combine(_dir, "order.safetensors");
        using var f32b = Tensor.From(new[] { 1f });
        using var f32a = Tensor.From(new[] { 2f });
        using var i64 = Tensor.From(new[] { 3L });
        using var u8 = Tensor.From(new byte[] { 4, 5, 6 });
        using var f64 = Tensor.From(new[] { 7.0 });
        using var flag = Tensor.From(new[] { true });
        using var i32 = Tensor.From(new[] { 8 });
        Safetensors.Save(path, [("b", f32b), ("a", f32a), ("flag", flag), ("u", u8), ("x", f64), ("y", i64), ("i", i32)]);
        var bytes = File.ReadAllBytes(path);
        int n = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, n % 8);
        var header = Encoding.UTF8.GetString(bytes, 8, n);
        var json = header.TrimEnd(' ');
        Assert.True(n - json.Length < 8);
        // The reference's order: I64, F64, F32, I32, U8, BOOL (descending alignment, its enum's order), then by name.
        Assert.Equal("{\"__metadata__\":{\"format\":\"pt\"}," + Entry("y", "I64", "[1]", 0, 8) + "," + Entry("x", "F64", "[1]", 8, 16) + "," +
                     Entry("a", "F32", "[1]", 16, 20) + "," + Entry("b", "F32", "[1]", 20, 24) + "," + Entry("i", "I32", "[1]", 24, 28) + "," +
                     Entry("u", "U8", "[3]", 28, 31) + "," + Entry("flag", "BOOL", "[1]", 31, 32) + "}", json);
        var d = bytes.AsSpan(8 + n);
        Assert.Equal(3L, BinaryPrimitives.ReadInt64LittleEndian(d));
        Assert.Equal(7.0, BinaryPrimitives.ReadDoubleLittleEndian(d[8..]));
        Assert.Equal(2f, BinaryPrimitives.ReadSingleLittleEndian(d[16..]));
        Assert.Equal(8, BinaryPrimitives.ReadInt32LittleEndian(d[24..]));
        Assert.Equal(new byte[] { 4, 5, 6, 1 }, d[28..].ToArray());
        Assert.Equal(7.0, Safetensors.Load(path)["x"].Item<double>());
    }

    [Fact]
    public void ASaveCleansUpTheTempFilesOfAKilledSaveOfTheSameTarget()
    {
        var path = Path.Combine(_dir, "m.safetensors");
        var stale = path + ".tmp-" + Guid.NewGuid().ToString("N");
        var otherTarget = Path.Combine(_dir, "other.safetensors.tmp-" + Guid.NewGuid().ToString("N"));
        var notOurs = path + ".tmp-notes.txt";
        foreach (var f in new[] { stale, otherTarget, notOurs }) File.WriteAllText(f, "half a save");
        using var m = Model(1);
        m.Save(path);
        Assert.Equal(new[] { path, notOurs, otherTarget }.Order(StringComparer.Ordinal),
                     Directory.GetFiles(_dir).Order(StringComparer.Ordinal));
    }
}
