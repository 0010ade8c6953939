using System.Text.Json;
using Tensors.NN;
using Tensors.Optim;
using Xunit;

namespace Tensors.Tests.Optim;

/// <summary>
/// Replays the PyTorch 1.13 runs of Fixtures/pytorch/optim (fixtures_optim.py): every group's learning rate (and
/// momentum) at every step of each scheduler, the parameters after every step of each optimizer from fixed values
/// and quadratic gradients, and gradient clipping.
/// </summary>
public class OptimFixtureTests
{
    public static TheoryData<string> Schedulers() => new(OptimFixtures.Names("schedulers"));
    public static TheoryData<string> Optimizers() => new(OptimFixtures.Names("optimizers"));
    public static TheoryData<string> Clips() => new(OptimFixtures.Names("clip"));

    [Fact]
    public void FixturesArePresent()
    {
        Assert.True(OptimFixtures.Names("schedulers").Count >= 10);
        Assert.True(OptimFixtures.Names("optimizers").Count >= 10);
        Assert.True(OptimFixtures.Names("clip").Count >= 8);
    }

    [Theory]
    [MemberData(nameof(Schedulers))]
    public void SchedulerMatchesPyTorch(string name)
    {
        var c = OptimFixtures.Case("schedulers", name);
        var spec = c.GetProperty("optimizer");
        int count = spec.GetProperty("groups").EnumerateArray().Sum(g => g.GetProperty("params").GetArrayLength());
        var parameters = Enumerable.Range(0, count).Select(_ => Tensor.Zeros([1], DType.Float64).RequiresGrad_()).ToList();
        using var opt = OptimFixtures.MakeOptimizer(spec, parameters);
        var scheduler = OptimFixtures.MakeScheduler(c.GetProperty("scheduler"), opt);
        var lrs = c.GetProperty("lrs").EnumerateArray().Select(OptimFixtures.Flat).ToList();
        var momenta = c.TryGetProperty("momenta", out var m) ? m.EnumerateArray().Select(OptimFixtures.Flat).ToList() : null;
        double[] metrics = c.TryGetProperty("metrics", out var ms) ? OptimFixtures.Flat(ms) : [];
        int? errorAt = c.TryGetProperty("error_at", out var e) ? e.GetInt32() : null;
        for (int t = 0; t < lrs.Count; t++)
        {
            if (t > 0) scheduler.Step(metrics.Length > 0 ? metrics[t - 1] : double.NaN);
            TestUtil.AllClose(lrs[t], opt.ParamGroups.Select(g => g.Lr).ToArray(), 1e-12, 1e-16);
            if (t > 0) TestUtil.AllClose(lrs[t], scheduler.LastLr().ToArray(), 1e-12, 1e-16);
            if (momenta is not null) TestUtil.AllClose(momenta[t], opt.ParamGroups.Select(g => opt.GetMomentum(g)!.Value).ToArray(), 1e-12, 1e-16);
        }
        if (errorAt is int at)
        {
            Assert.Equal(lrs.Count, at);
            var ex = Assert.Throws<InvalidOperationException>(() => scheduler.Step(double.NaN));
            Assert.Contains("OneCycleLR", ex.Message);
        }
        else Assert.Equal(c.GetProperty("steps").GetInt32() + 1, lrs.Count);
    }

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void OptimizerMatchesPyTorch(string name) => ReplayOptimizer(name, Device.Cpu);

    /// <summary>Replays an optimizer case with the parameters, gradients and state on <paramref name="device"/>.</summary>
    internal static void ReplayOptimizer(string name, Device device)
    {
        var c = OptimFixtures.Case("optimizers", name);
        Tensor On(JsonElement e)
        {
            using var cpu = OptimFixtures.TensorOf(e);
            return cpu.To(device).Contiguous();
        }
        var parameters = c.GetProperty("params").EnumerateArray().Select(p => On(p).RequiresGrad_()).ToList();
        var a = c.GetProperty("a").EnumerateArray().Select(On).ToList();
        var b = c.GetProperty("b").EnumerateArray().Select(On).ToList();
        using var opt = OptimFixtures.MakeOptimizer(c.GetProperty("optimizer"), parameters);
        var scheduler = c.TryGetProperty("scheduler", out var s) ? OptimFixtures.MakeScheduler(s, opt) : null;
        var trajectory = c.GetProperty("trajectory").EnumerateArray().ToList();
        Assert.Equal(c.GetProperty("steps").GetInt32(), trajectory.Count);
        foreach (var expected in trajectory)
        {
            SetQuadraticGrads(parameters, a, b);
            opt.Step();
            scheduler?.Step(double.NaN);
            var want = expected.EnumerateArray().ToList();
            for (int i = 0; i < parameters.Count; i++)
            {
                Assert.Equal(device, parameters[i].Device);
                using var cpu = parameters[i].To(Device.Cpu);
                TestUtil.AllClose(OptimFixtures.Flat(want[i]), cpu.ToArray<double>(), 1e-10, 1e-13);
            }
        }
    }

    /// <summary>grad = a * p + b, computed as PyTorch's side of the fixtures computes it.</summary>
    internal static void SetQuadraticGrads(IReadOnlyList<Tensor> parameters, IReadOnlyList<Tensor> a, IReadOnlyList<Tensor> b)
    {
        using var _ = Tensors.Autograd.NoGrad();
        for (int i = 0; i < parameters.Count; i++)
        {
            using var ap = a[i] * parameters[i];
            parameters[i].Grad?.Dispose();
            parameters[i].Grad = ap + b[i];
        }
    }

    [Theory]
    [MemberData(nameof(Clips))]
    public void ClippingMatchesPyTorch(string name)
    {
        var c = OptimFixtures.Case("clip", name);
        var parameters = c.GetProperty("grads").EnumerateArray().Select(g =>
        {
            if (g.ValueKind == JsonValueKind.Null) return Tensor.Zeros([1], DType.Float64).RequiresGrad_();
            var grad = OptimFixtures.TensorOf(g);
            var p = Tensor.ZerosLike(grad).RequiresGrad_();
            p.Grad = grad;
            return p;
        }).ToList();
        var args = c.GetProperty("args");
        double Arg(string key, double fallback) => args.TryGetProperty(key, out var v) ? OptimFixtures.Number(v) : fallback;
        Func<Tensor?> clip = c.GetProperty("fn").GetString() == "clip_grad_norm_"
            ? () => Utils.ClipGradNorm_(parameters, Arg("max_norm", double.NaN), Arg("norm_type", 2),
                args.TryGetProperty("error_if_nonfinite", out var f) && f.GetBoolean())
            : () => { Utils.ClipGradValue_(parameters, Arg("clip_value", double.NaN)); return null; };
        if (c.TryGetProperty("error", out _))
        {
            var ex = Assert.Throws<InvalidOperationException>(() => clip());
            Assert.Contains("ClipGradNorm_", ex.Message);
            return;
        }
        using var total = clip();
        if (c.TryGetProperty("total", out var expectedTotal))
            Assert.Equal(expectedTotal.GetDouble(), total!.Item<double>(), 1e-12);
        var clipped = c.GetProperty("clipped").EnumerateArray().ToList();
        for (int i = 0; i < parameters.Count; i++)
        {
            if (clipped[i].ValueKind == JsonValueKind.Null) Assert.Null(parameters[i].Grad);
            else TestUtil.AllClose(OptimFixtures.Flat(clipped[i]), parameters[i].Grad!.Flatten().ToArray<double>(), 1e-12, 1e-15);
        }
    }
}
