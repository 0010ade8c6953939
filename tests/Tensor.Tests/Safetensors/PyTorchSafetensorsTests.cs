using System.Globalization;
using System.Text.Json;
using Tensors.NN;
using Xunit;

namespace Tensors.Tests.SafetensorsTests;

/// <summary>Files written by PyTorch (Fixtures/make_safetensors.py) read here, and the same tensors saved here give
/// those files byte for byte.</summary>
public class PyTorchSafetensorsTests : IDisposable
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures", "safetensors");
    private readonly string _dir = Directory.CreateTempSubdirectory("tensor-safetensors-pt-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Sequential Model() => new(new Linear(3, 4), new ReLU(), new Linear(4, 2));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void APyTorchModelLoadsAndGivesPyTorchsOutput(bool memoryMap)
    {
        using var model = Model();
        model.Load(Path.Combine(Fixtures, "model.safetensors"));
        using var io = Safetensors.Load(Path.Combine(Fixtures, "model_io.safetensors"), memoryMap);
        using var y = model.Forward(io["x"]);
        TestUtil.AllClose(io["y"].ToArray<float>(), y.ToArray<float>());
        Assert.Equal("pt", io.Metadata["format"]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void EveryDTypeReadsPyTorchsValues(bool memoryMap)
    {
        using var file = Safetensors.Load(Path.Combine(Fixtures, "dtypes.safetensors"), memoryMap);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Fixtures, "dtypes.json")));
        Assert.Equal("pytorch", file.Metadata["source"]);
        Assert.Equal(doc.RootElement.EnumerateObject().Count(), file.Count);
        foreach (var entry in doc.RootElement.EnumerateObject())
        {
            var t = file[entry.Name];
            Assert.Equal(entry.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()), t.Shape);
            var values = entry.Value.GetProperty("values").EnumerateArray().Select(e => e.GetString()!).ToArray();
            if (t.DType.IsFloatingPoint())
            {
                using var d = t.To(DType.Float64);
                var actual = d.ToArray<double>();
                var expected = values.Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
                for (int i = 0; i < expected.Length; i++)
                    Assert.True(expected[i].Equals(actual[i]) && (double.IsNaN(expected[i]) || double.IsNegative(expected[i]) == double.IsNegative(actual[i])),
                        $"{entry.Name}[{i}]: PyTorch has {values[i]}, loaded {actual[i]}");
            }
            else
            {
                using var l = t.To(DType.Int64);
                Assert.Equal(values.Select(v => long.Parse(v, CultureInfo.InvariantCulture)), l.ToArray<long>());
            }
        }
    }

    [Fact]
    public void SavingTheLoadedTensorsWritesPyTorchsBytes()
    {
        foreach (var name in new[] { "dtypes", "model", "model_io" })
        {
            var original = Path.Combine(Fixtures, name + ".safetensors");
            var copy = Path.Combine(_dir, name + ".safetensors");
            using (var file = Safetensors.Load(original))
                Safetensors.Save(copy, file, file.Metadata);
            Assert.Equal(File.ReadAllBytes(original), File.ReadAllBytes(copy));
        }
        using var model = Model();
        model.Load(Path.Combine(Fixtures, "model.safetensors"));
        var saved = Path.Combine(_dir, "module.safetensors");
        model.Save(saved);
        Assert.Equal(File.ReadAllBytes(Path.Combine(Fixtures, "model.safetensors")), File.ReadAllBytes(saved));
    }
}
