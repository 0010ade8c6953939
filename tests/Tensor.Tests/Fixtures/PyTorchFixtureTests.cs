using System.Text.Json;
using Xunit;

namespace Tensors.Tests.Fixtures;

/// <summary>
/// Replays every case of the committed PyTorch fixtures (Fixtures/pytorch/*.json, written by make_fixtures.py with
/// PyTorch 1.13) through our API: dtype, shape and values of each output (exact for integers and bool, tight
/// tolerance for floats), the gradients of the inputs, or, where PyTorch raised, that we refuse too with the
/// library's own error (<see cref="LibraryError.IsClear"/>) rather than return a value or crash.
/// </summary>
public class PyTorchFixtureTests
{
    private static readonly Lazy<Dictionary<string, JsonElement>> All = new(Load);

    private static Dictionary<string, JsonElement> Load()
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "Fixtures", "pytorch");
        var cases = new Dictionary<string, JsonElement>();
        foreach (var file in Directory.GetFiles(dir, "*.json").Order())
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            foreach (var c in doc.RootElement.EnumerateArray())
                cases.Add($"{Path.GetFileNameWithoutExtension(file)}/{c.GetProperty("name").GetString()}", c.Clone());
        }
        return cases;
    }

    /// <summary>One xunit case per fixture case, named file/case.</summary>
    public static TheoryData<string> Cases() => new(All.Value.Keys);

    [Fact]
    public void FixturesArePresent()
    {
        // Guards against a build that stops copying them: the theory below would then run no case at all.
        Assert.True(All.Value.Count > 500, $"only {All.Value.Count} fixture cases were found");
        Assert.Contains(All.Value.Keys, k => k.StartsWith("edges/"));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesPyTorch(string name)
    {
        var c = All.Value[name];
        var env = new Dictionary<string, object>();
        foreach (var input in c.GetProperty("inputs").EnumerateObject())
        {
            var t = FixtureInterpreter.TensorOf(input.Value);
            env[input.Name] = input.Value.GetProperty("requires_grad").GetBoolean() ? t.RequiresGrad_() : t;
        }
        if (c.TryGetProperty("error", out var error))
        {
            var ex = Record.Exception(() => RunWithBackward(c, env));
            Assert.True(LibraryError.IsClear(ex),
                $"PyTorch raised \"{error.GetString()}\" but we " + (ex is null ? "returned a value" : $"threw {ex.GetType().Name}: {ex.Message}"));
            return;
        }
        // float64 results are held to float64 precision only when no float32 value took part in them.
        bool tight = !c.GetProperty("inputs").EnumerateObject().Any(i => i.Value.GetProperty("dtype").GetString() == "float32");
        FixtureInterpreter.Run(c.GetProperty("program"), env);
        // float16 and bfloat16 values are exact, except where our composites (softmax) round after each step
        // where PyTorch rounds once, and in gradients, whose formulas PyTorch evaluates fused in float32.
        bool composite = c.GetProperty("program").EnumerateArray().Any(s => s[1].GetString()!.EndsWith("softmax", StringComparison.Ordinal));
        foreach (var output in c.GetProperty("outputs").EnumerateObject())
            AssertTensor(output.Name, output.Value, (Tensor)env[output.Name], tight, composite);
        if (!c.TryGetProperty("grad", out var grad)) return;
        Backward(grad, env);
        foreach (var input in grad.GetProperty("inputs").EnumerateObject())
        {
            var actual = ((Tensor)env[input.Name]).Grad;
            if (input.Value.ValueKind == JsonValueKind.Null)
                Assert.True(actual is null || actual.To(DType.Float64).ToArray<double>().All(v => v == 0), $"grad of {input.Name}: PyTorch has None");
            else
                AssertTensor($"grad of {input.Name}", input.Value, actual ?? throw new Xunit.Sdk.XunitException($"grad of {input.Name} is null"), tight, rounded: true);
        }
    }

    // Where PyTorch raises, it may do so in the forward or only in backward; either place is fine for us.
    private static void RunWithBackward(JsonElement c, Dictionary<string, object> env)
    {
        FixtureInterpreter.Run(c.GetProperty("program"), env);
        var last = c.GetProperty("program").EnumerateArray().Last()[0].GetString()!;
        if (env[last] is Tensor { RequiresGrad: true } y)
        {
            using var loss = y.Sum();
            loss.Backward();
        }
    }

    // loss = (output * upstream).sum(), as make_fixtures.py does.
    private static void Backward(JsonElement grad, Dictionary<string, object> env)
    {
        var y = (Tensor)env[grad.GetProperty("of").GetString()!];
        using var upstream = FixtureInterpreter.TensorOf(grad.GetProperty("upstream"));
        using var weighted = y * upstream;
        using var loss = weighted.Sum();
        loss.Backward();
    }

    private static void AssertTensor(string what, JsonElement expected, Tensor actual, bool tight, bool rounded = false)
    {
        var dtype = FixtureInterpreter.ParseDType(expected.GetProperty("dtype").GetString()!);
        var shape = expected.GetProperty("shape").EnumerateArray().Select(x => x.GetInt32()).ToArray();
        Assert.True(dtype == actual.DType, $"{what}: dtype {actual.DType.Name()}, PyTorch gives {dtype.Name()}");
        Assert.True(shape.SequenceEqual(actual.Shape), $"{what}: shape {Layout.Format(actual.Shape)}, PyTorch gives {Layout.Format(shape)}");
        var values = expected.GetProperty("values").EnumerateArray().ToArray();
        switch (dtype)
        {
            case DType.Float32:
                AllClose(what, values.Select(v => (double)FixtureInterpreter.Float(v)).ToArray(), actual.ToArray<float>().Select(v => (double)v).ToArray(), 1e-5, 1e-5);
                break;
            case DType.Float64:
                AllClose(what, values.Select(FixtureInterpreter.Double).ToArray(), actual.ToArray<double>(), tight ? 1e-10 : 1e-5, tight ? 1e-12 : 1e-5);
                break;
            case DType.Bool:
                Assert.Equal(values.Select(v => v.GetBoolean()).ToArray(), actual.ToArray<bool>());
                break;
            case DType.Half or DType.BFloat16: // computed in float32 and rounded once per op, as PyTorch: exact
            {
                // Rounded several times: within 8 units in the last place of float16 (0.4%), 16 of bfloat16 (6%):
                // PyTorch evaluates a gradient formula in float32 and keeps a Python number's float32 precision there.
                double ulps = rounded ? (dtype == DType.Half ? 8.0 / 2048 : 16.0 / 256) : 0;
                using var wide = actual.To(DType.Float64);
                AllClose(what, values.Select(FixtureInterpreter.Double).ToArray(), wide.ToArray<double>(), ulps, rounded ? 1e-6 : 0);
                break;
            }
            default:
                var exact = values.Select(FixtureInterpreter.Int).ToArray();
                long[] got = dtype switch
                {
                    DType.UInt8 => actual.ToArray<byte>().Select(v => (long)v).ToArray(),
                    DType.Int32 => actual.ToArray<int>().Select(v => (long)v).ToArray(),
                    DType.Int8 => actual.ToArray<sbyte>().Select(v => (long)v).ToArray(),
                    DType.Int16 => actual.ToArray<short>().Select(v => (long)v).ToArray(),
                    _ => actual.ToArray<long>(),
                };
                Assert.True(exact.SequenceEqual(got), $"{what}: [{string.Join(", ", got)}], PyTorch gives [{string.Join(", ", exact)}]");
                break;
        }
    }

    private static void AllClose(string what, double[] expected, double[] actual, double rtol, double atol)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i], a = actual[i];
            bool ok = double.IsNaN(e) ? double.IsNaN(a) : double.IsInfinity(e) ? e == a : Math.Abs(e - a) <= atol + rtol * Math.Abs(e);
            Assert.True(ok, $"{what}: index {i} is {a}, PyTorch gives {e} (all: [{string.Join(", ", actual)}] vs [{string.Join(", ", expected)}])");
        }
    }
}
