using Tensors.NN;
using Xunit;

namespace Tensors.Tests.SafetensorsTests;

/// <summary>The dictionary API with metadata, and the lazy memory-mapped load: bytes are copied out of the map on
/// first use, the map lives while a tensor needs it, and the file can be overwritten while tensors are pending.</summary>
public class MappedLoadTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tensor-safetensors-map-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, out Dictionary<string, Tensor> tensors)
    {
        var path = Path.Combine(_dir, name);
        tensors = new Dictionary<string, Tensor>
        {
            ["w"] = Tensor.Arange(0.0, 12.0).View(3, 4).To(DType.BFloat16),
            ["h"] = Tensor.From([0.5f, -1.25f]).To(DType.Half),
            ["i8"] = Tensor.From(new sbyte[] { -5, 6 }),
            ["i16"] = Tensor.From(new short[] { 300 }),
            ["empty"] = Tensor.Zeros([0], DType.Float32),
        };
        Safetensors.Save(path, tensors, new Dictionary<string, string> { ["epoch"] = "3", ["note"] = "ünïcode" });
        return path;
    }

    private static bool Pending(Tensor t) => t.IsPendingFromMap();

    [Fact]
    public void MetadataAndEveryNewDTypeRoundTrip()
    {
        var path = Write("meta.safetensors", out var saved);
        using var file = Safetensors.Load(path);
        Assert.Equal(new Dictionary<string, string> { ["epoch"] = "3", ["note"] = "ünïcode" }, file.Metadata);
        foreach (var (name, t) in saved)
        {
            Assert.Equal(t.DType, file[name].DType);
            Assert.Equal(t.Shape, file[name].Shape);
            using var a = t.To(DType.Float64);
            using var b = file[name].To(DType.Float64);
            Assert.Equal(a.ToArray<double>(), b.ToArray<double>());
        }
        var missing = Assert.Throws<KeyNotFoundException>(() => file["nope"]);
        Assert.Contains("w", missing.Message);
    }

    [Fact]
    public void MappedTensorsAreCopiedOutOnFirstUseOnly()
    {
        var path = Write("lazy.safetensors", out _);
        using var file = Safetensors.Load(path, memoryMap: true);
        Assert.All(file.Where(kv => kv.Key != "empty"), kv => Assert.True(Pending(kv.Value), kv.Key));
        using var view = file["w"][1];                  // a view reads nothing
        Assert.True(Pending(file["w"]));
        Assert.Equal(new[] { 4f, 5f, 6f, 7f }, view.To(DType.Float32).ToArray<float>());
        Assert.False(Pending(file["w"]));
        Assert.True(Pending(file["h"]));
        file["h"].Add_(1);                              // a write copies out first
        Assert.Equal(new[] { 1.5f, -0.25f }, file["h"].To(DType.Float32).ToArray<float>());
        Assert.True(Pending(file["i8"]));
        // The file itself never changes.
        using var again = Safetensors.Load(path, memoryMap: false);
        Assert.Equal(new[] { 0.5f, -1.25f }, again["h"].To(DType.Float32).ToArray<float>());
    }

    [Fact]
    public void OverwritingAMappedFileKeepsTheLoadedValues()
    {
        var path = Write("over.safetensors", out _);
        var file = Safetensors.Load(path, memoryMap: true);
        Assert.True(Pending(file["i16"]));
        using var other = Tensor.From(new short[] { -1 });
        Safetensors.Save(path, new Dictionary<string, Tensor> { ["i16"] = other });
        Assert.False(Pending(file["i16"]));
        Assert.Equal(new short[] { 300 }, file["i16"].ToArray<short>());
        Assert.Equal(new sbyte[] { -5, 6 }, file["i8"].ToArray<sbyte>());
        using var reread = Safetensors.Load(path, memoryMap: true);
        Assert.Equal(new short[] { -1 }, reread["i16"].ToArray<short>());
        file.Dispose();
        File.Delete(path);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void ThreadsTouchingAPendingTensorTogetherCopyItOutOnce()
    {
        var path = Write("threads.safetensors", out var saved);
        using var expected = saved["w"].To(DType.Float32);
        for (int round = 0; round < 20; round++)
        {
            using var file = Safetensors.Load(path, memoryMap: true);
            var w = file["w"];
            var results = new float[8][];
            Parallel.For(0, 8, i => { using var f = w.To(DType.Float32); results[i] = f.ToArray<float>(); });
            Assert.All(results, r => Assert.Equal(expected.ToArray<float>(), r));
        }
    }

    [Fact]
    public void FilesFromMapFromBytesAreMappedByDefault()
    {
        var path = Path.Combine(_dir, "large.safetensors");
        int n = (int)(Safetensors.MapFrom / 2);                              // int16: MapFrom bytes
        using (var big = Tensor.Full([n], -7, DType.Int16))
        using (var small = Tensor.From(new short[] { 1 }))
            Safetensors.Save(path, new Dictionary<string, Tensor> { ["big"] = big, ["small"] = small });
        using var file = Safetensors.Load(path);
        Assert.True(Pending(file["big"]));
        Assert.Equal(-7, file["big"][n - 1].Item<int>());
        using var read = Safetensors.Load(path, memoryMap: false);
        Assert.False(Pending(read["big"]));
    }

    [Fact]
    public void DisposedMappedTensorsReleaseTheMapAndModulesLoadMapped()
    {
        var path = Path.Combine(_dir, "module.safetensors");
        using var a = new Sequential(new Linear(3, 2, generator: new Generator(1)));
        a.Save(path);
        using (var file = Safetensors.Load(path, memoryMap: true))
        {
            var kept = file.Remove("0.weight");
            Assert.True(Pending(kept));
            file.Dispose();
            Assert.Equal(a.Parameters().First().ToArray<float>(), kept.ToArray<float>());
            kept.Dispose();
            Assert.Throws<ObjectDisposedException>(() => kept.ToArray<float>());
        }
        // Moving a pending tensor to another device or dtype copies it out through the same path.
        using var f2 = Safetensors.Load(path, memoryMap: true);
        using var moved = f2["0.bias"].To(DType.Float64);
        Assert.Equal(a.Parameters().Last().ToArray<float>().Select(v => (double)v), moved.ToArray<double>());
    }
}
