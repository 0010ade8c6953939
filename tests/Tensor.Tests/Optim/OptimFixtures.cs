using System.Text.Json;
using Tensors.Optim;

namespace Tensors.Tests.Optim;

/// <summary>Reads Fixtures/pytorch/optim/*.json (written by fixtures_optim.py) and builds the optimizers and
/// schedulers they describe, with PyTorch's keyword names mapped to our arguments.</summary>
internal static class OptimFixtures
{
    private static readonly Dictionary<string, Lazy<Dictionary<string, JsonElement>>> Files = new()
    {
        ["schedulers"] = new(() => Load("schedulers")),
        ["optimizers"] = new(() => Load("optimizers")),
        ["clip"] = new(() => Load("clip")),
    };

    private static Dictionary<string, JsonElement> Load(string file)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "pytorch", "optim", file + ".json")));
        return doc.RootElement.EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c.Clone());
    }

    /// <summary>The case names of one file.</summary>
    public static IReadOnlyCollection<string> Names(string file) => Files[file].Value.Keys;

    /// <summary>One case.</summary>
    public static JsonElement Case(string file, string name) => Files[file].Value[name];

    /// <summary>A number, "inf", "-inf" or "nan".</summary>
    public static double Number(JsonElement e) => e.ValueKind == JsonValueKind.String
        ? e.GetString() switch { "inf" => double.PositiveInfinity, "-inf" => double.NegativeInfinity, _ => double.NaN }
        : e.GetDouble();

    /// <summary>A (nested) list of numbers, flattened.</summary>
    public static double[] Flat(JsonElement e) => e.ValueKind == JsonValueKind.Array
        ? e.EnumerateArray().SelectMany(Flat).ToArray() : [Number(e)];

    /// <summary>The shape of a nested list.</summary>
    public static int[] ShapeOf(JsonElement e) => e.ValueKind == JsonValueKind.Array
        ? [e.GetArrayLength(), .. e.GetArrayLength() > 0 ? ShapeOf(e[0]) : []] : [];

    /// <summary>A float64 tensor of a nested list.</summary>
    public static Tensor TensorOf(JsonElement e) => Tensor.From(Flat(e), ShapeOf(e));

    private static double? Opt(JsonElement o, string key) => o.TryGetProperty(key, out var v) ? Number(v) : null;
    private static double Get(JsonElement o, string key, double fallback) => Opt(o, key) ?? fallback;
    private static (double, double)? Betas(JsonElement o) => o.TryGetProperty("betas", out var b) ? (b[0].GetDouble(), b[1].GetDouble()) : null;

    /// <summary>The optimizer a case describes, over <paramref name="parameters"/> (indexed by the groups).</summary>
    public static Optimizer MakeOptimizer(JsonElement spec, IReadOnlyList<Tensor> parameters)
    {
        var groups = spec.GetProperty("groups").EnumerateArray().Select(g => new ParamGroup(
            g.GetProperty("params").EnumerateArray().Select(i => parameters[i.GetInt32()]),
            Opt(g, "lr"), Opt(g, "weight_decay"), Opt(g, "momentum"), Betas(g))).ToList();
        var (beta1, beta2) = Betas(spec) ?? (0.9, 0.999);
        bool Flag(string key) => spec.TryGetProperty(key, out var v) && v.GetBoolean();
        return spec.GetProperty("type").GetString() switch
        {
            "SGD" => new SGD(groups, Get(spec, "lr", double.NaN), Get(spec, "momentum", 0), Get(spec, "dampening", 0), Get(spec, "weight_decay", 0), Flag("nesterov")),
            "Adam" => new Adam(groups, Get(spec, "lr", 1e-3), beta1, beta2, Get(spec, "eps", 1e-8), Get(spec, "weight_decay", 0)),
            "AdamW" => new AdamW(groups, Get(spec, "lr", 1e-3), beta1, beta2, Get(spec, "eps", 1e-8), Get(spec, "weight_decay", 0.01)),
            "RMSprop" => new RMSprop(groups, Get(spec, "lr", 0.01), Get(spec, "alpha", 0.99), Get(spec, "eps", 1e-8), Get(spec, "weight_decay", 0),
                Get(spec, "momentum", 0), Flag("centered")),
            var other => throw new NotSupportedException($"optimizer {other}"),
        };
    }

    /// <summary>A scheduler of any kind, as its step (the metric is used by ReduceLROnPlateau only) and its last lrs.</summary>
    public sealed record AnyScheduler(Action<double> Step, Func<IReadOnlyList<double>> LastLr, object Scheduler);

    /// <summary>The scheduler a case describes.</summary>
    public static AnyScheduler MakeScheduler(JsonElement spec, Optimizer opt)
    {
        int Int(string key, int fallback) => spec.TryGetProperty(key, out var v) ? v.GetInt32() : fallback;
        int? NullableInt(string key) => spec.TryGetProperty(key, out var v) ? v.GetInt32() : null;
        string Text(string key, string fallback) => spec.TryGetProperty(key, out var v) ? v.GetString()! : fallback;
        bool Flag(string key, bool fallback) => spec.TryGetProperty(key, out var v) ? v.GetBoolean() : fallback;
        double[]? List(string key) => spec.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Array ? Flat(v) : null;
        AnyScheduler Of(LRScheduler s) => new(_ => s.Step(), s.GetLastLr, s);
        switch (spec.GetProperty("type").GetString())
        {
            case "StepLR": return Of(new StepLR(opt, Int("step_size", 0), Get(spec, "gamma", 0.1)));
            case "MultiStepLR":
                return Of(new MultiStepLR(opt, spec.GetProperty("milestones").EnumerateArray().Select(m => m.GetInt32()), Get(spec, "gamma", 0.1)));
            case "ExponentialLR": return Of(new ExponentialLR(opt, Get(spec, "gamma", double.NaN)));
            case "OneCycleLR":
                var maxLr = List("max_lr") ?? Enumerable.Repeat(Get(spec, "max_lr", double.NaN), opt.ParamGroups.Count).ToArray();
                return Of(new OneCycleLR(opt, maxLr, NullableInt("total_steps"), NullableInt("epochs"), NullableInt("steps_per_epoch"),
                    Get(spec, "pct_start", 0.3), Text("anneal_strategy", "cos"), Flag("cycle_momentum", true), Get(spec, "base_momentum", 0.85),
                    Get(spec, "max_momentum", 0.95), Get(spec, "div_factor", 25), Get(spec, "final_div_factor", 1e4), Flag("three_phase", false)));
            case "ReduceLROnPlateau":
                var minLr = List("min_lr") ?? Enumerable.Repeat(Get(spec, "min_lr", 0), opt.ParamGroups.Count).ToArray();
                var plateau = new ReduceLROnPlateau(opt, minLr, Text("mode", "min"), Get(spec, "factor", 0.1), Int("patience", 10),
                    Get(spec, "threshold", 1e-4), Text("threshold_mode", "rel"), Int("cooldown", 0), Get(spec, "eps", 1e-8));
                return new(plateau.Step, plateau.GetLastLr, plateau);
            case var other: throw new NotSupportedException($"scheduler {other}");
        }
    }
}
