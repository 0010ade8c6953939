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
}
