using System.Globalization;
using System.Text.Json;
using Tensors.NN;
using Tensors.Optim;

namespace Tensors.Training;

public sealed partial class Learner
{
    /// <summary>A checkpoint read and checked against a learner, nothing of it applied yet.</summary>
    private sealed record SavedCheckpoint(
        string Path,
        Dictionary<string, Tensor> Model, SavedState? Optimizer, SavedState? Scheduler, Recorder Recorder,
        FitPlan? Plan, int EpochsDone, int BatchesDone, double Smoothing, ulong EpochOrderPosition,
        List<(Generator Generator, ulong Position)> Positions, Generator DefaultGenerator)
    {
        public InvalidDataException Bad(string why, Exception? inner = null) => BadCheckpoint(Path, why, inner);
    }

    private static InvalidDataException BadCheckpoint(string path, string why, Exception? inner) => new($"LoadCheckpoint: '{path}' {why}", inner);

    /// <summary>Reads the parts of a checkpoint file (see <see cref="SaveCheckpoint"/> for what it holds), each
    /// failure an <see cref="InvalidDataException"/> naming the file and what is wrong.</summary>
    private sealed class CheckpointReader(SafetensorsFile file, string path)
    {
        private IReadOnlyDictionary<string, string> Meta => file.Metadata;

        private InvalidDataException Bad(string why) => BadCheckpoint(path, why, null);

        private string Get(string key) => Meta.TryGetValue(key, out var v) ? v : throw Bad($"has no '{key}' (a damaged checkpoint?).");

        private T Parse<T>(string key) where T : IParsable<T> =>
            T.TryParse(Get(key), CultureInfo.InvariantCulture, out var v) ? v : throw Bad($"has '{key}' = '{Meta[key]}', which is not a {typeof(T).Name}.");

        private double[] Doubles(string key) =>
            file.TryGetValue(key, out var t) && t.DType == DType.Float64 ? t.ToArray<double>() : throw Bad($"has no float64 tensor '{key}' (a damaged checkpoint?).");

        // The values and tensors under a prefix, without it; null when there are none.
        private SavedState? Prefixed(string prefix)
        {
            var state = new SavedState();
            foreach (var (key, value) in Meta.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal))) state.Values[key[prefix.Length..]] = value;
            foreach (var (key, t) in file.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal))) state.Tensors[key[prefix.Length..]] = t;
            return state.Values.Count == 0 ? null : state;
        }

        public SavedCheckpoint Read(Learner learner)
        {
            if (!Meta.TryGetValue("checkpoint", out var kind) || kind != CheckpointKind)
                throw Bad("is a safetensors file but not a Learner checkpoint (a model saved with Module.Save loads with Model.Load; an optimizer with LoadOptimizer).");
            if (Get("version") is var version && version != CheckpointVersion)
                throw Bad($"is a version {version} checkpoint; this library reads version {CheckpointVersion}.");
            var plan = ReadPlan();
            if (plan is not null && Parse<int>("fit.batches") is var batches && batches != learner.Dls.Train.Count)
                throw Bad($"was taken with {batches} training batches per epoch, but this learner's training loader has {learner.Dls.Train.Count}; resuming needs the same data and batch size.");
            var scheduler = Prefixed("scheduler.");
            if (plan?.Kind == FitKind.OneCycle && scheduler is null) throw Bad("was taken in a FitOneCycle but has no scheduler state.");
            var model = file.Where(kv => kv.Key.StartsWith("model.", StringComparison.Ordinal)).ToDictionary(kv => kv.Key["model.".Length..], kv => kv.Value);
            return new SavedCheckpoint(path, model, Prefixed("optimizer."), scheduler, ReadRecorder(learner), plan,
                plan is null ? 0 : Parse<int>("fit.epochs_done"), plan is null ? 0 : Parse<int>("fit.batches_done"),
                plan is null ? 0 : Parse<double>("fit.smoothing"), plan is null ? 0 : Parse<ulong>("fit.epoch_order_position"),
                ReadPositions(learner), new Generator(Parse<ulong>(DefaultGeneratorKey + ".seed")) { Position = Parse<ulong>(DefaultGeneratorKey + ".position") });
        }

        private FitPlan? ReadPlan() => Meta.ContainsKey("fit.kind")
            ? new FitPlan(Get("fit.kind") switch
            {
                "fit" => FitKind.Constant,
                "fit_one_cycle" => FitKind.OneCycle,
                var other => throw Bad($"has the fit kind '{other}'; expected fit or fit_one_cycle."),
            }, Parse<int>("fit.epochs"), Parse<double>("fit.lr"))
            : null;

        private Recorder ReadRecorder(Learner learner)
        {
            var names = JsonSerializer.Deserialize<List<string>>(Get("recorder.names")) ?? throw Bad("has no recorder names.");
            string[] expected = ["train_loss", "valid_loss", .. learner.Metrics.Select(m => m.Name)];
            if (names.Count > 0 && !names.SequenceEqual(expected))
                throw Bad($"records the columns {string.Join(", ", names)}, but this learner's are {string.Join(", ", expected)}.");
            var values = Doubles("recorder.values");
            var shape = file["recorder.values"].Shape;
            if (shape.Length != 2 || shape[1] != names.Count)
                throw Bad($"has recorder values of shape [{string.Join(", ", shape)}] for {names.Count} columns.");
            var recorder = new Recorder();
            recorder.Names.AddRange(names);
            recorder.Values.AddRange(Enumerable.Range(0, shape[0]).Select(r => values[(r * names.Count)..((r + 1) * names.Count)]));
            recorder.Losses.AddRange(Doubles("recorder.losses"));
            recorder.LearningRates.AddRange(Doubles("recorder.lrs"));
            var iterations = JsonSerializer.Deserialize<List<int>>(Get("recorder.iters")) ?? throw Bad("has no recorder iterations.");
            if (iterations.Count != recorder.Values.Count)
                throw Bad($"records {iterations.Count} iteration counts for {recorder.Values.Count} epoch rows.");
            recorder.Iterations.AddRange(iterations);
            return recorder;
        }

        // Each random stream's saved position, after checking it is the same stream (the same seed).
        private List<(Generator, ulong)> ReadPositions(Learner learner)
        {
            var positions = new List<(Generator, ulong)>();
            foreach (var (key, generator) in learner.Generators())
            {
                if (!Meta.ContainsKey(key + ".seed"))
                    throw Bad($"has no random state for '{key}'; was it saved from a learner with another model or loaders?");
                if (Parse<ulong>(key + ".seed") is var seed && seed != generator.Seed)
                    throw Bad($"was saved with '{key}' seeded {seed}, but this learner's is seeded {generator.Seed}; build it with the same seed to resume exactly.");
                positions.Add((generator, Parse<ulong>(key + ".position")));
            }
            return positions;
        }
    }
}
