using System.Globalization;
using Tensors.NN;

namespace Tensors.Optim;

/// <summary>
/// The state of an optimizer or a scheduler, flat (PyTorch's <c>state_dict()</c> for a safetensors file): tensors
/// under names such as <c>state.0.exp_avg</c>, and numbers and words under names such as <c>param_groups.0.lr</c>.
/// <see cref="Save"/> writes the tensors as a safetensors file and the values as its metadata.
/// </summary>
public sealed class SavedState
{
    /// <summary>The state tensors by name. Those of <see cref="Optimizer.StateDict"/> are the optimizer's own
    /// (as in PyTorch): read or save them, do not dispose them.</summary>
    public Dictionary<string, Tensor> Tensors { get; } = new(StringComparer.Ordinal);

    /// <summary>The other values by name, as text; numbers round-trip exactly.</summary>
    public Dictionary<string, string> Values { get; } = new(StringComparer.Ordinal);

    /// <summary>Writes the state to a safetensors file: the tensors, and the values as the header's metadata.</summary>
    /// <param name="path">The file to write.</param>
    public void Save(string path) => Safetensors.Save(path, Tensors.Select(kv => (kv.Key, kv.Value)), Values);

    /// <summary>Reads a state written by <see cref="Save"/>; its tensors are on the CPU.</summary>
    /// <param name="path">The file to read.</param>
    public static SavedState Load(string path)
    {
        var state = new SavedState();
        foreach (var (name, t) in Safetensors.Load(path)) state.Tensors[name] = t;
        foreach (var (key, value) in Safetensors.LoadMetadata(path))
            if (key != "format") state.Values[key] = value;
        return state;
    }

    /// <summary>Stores a number so that <see cref="GetDouble"/> gives back the same bits.</summary>
    internal void SetDouble(string key, double value) => Values[key] = value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Reads a number stored by <see cref="SetDouble"/>.</summary>
    internal double GetDouble(string key, string owner) =>
        double.TryParse(Get(key, owner), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v
            : throw new ArgumentException($"{owner}.LoadStateDict: '{key}' is '{Values[key]}', not a number.");

    /// <summary>Reads a whole number.</summary>
    internal long GetLong(string key, string owner) =>
        long.TryParse(Get(key, owner), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v
            : throw new ArgumentException($"{owner}.LoadStateDict: '{key}' is '{Values[key]}', not a whole number.");

    /// <summary>Checks that the state was saved by a <paramref name="kind"/> (under <paramref name="key"/>:
    /// "optimizer" or "scheduler").</summary>
    internal void CheckKind(string key, string kind)
    {
        var saved = Get(key, kind);
        if (saved != kind) throw new ArgumentException($"{kind}.LoadStateDict: the state was saved by {saved}, not by {kind}.", "state");
    }

    /// <summary>A scheduler's state: its kind and the learning rates it set last.</summary>
    internal static SavedState OfScheduler(string kind, IReadOnlyList<double> lastLr)
    {
        var state = new SavedState();
        state.Values["scheduler"] = kind;
        for (int i = 0; i < lastLr.Count; i++) state.SetDouble($"last_lr.{i}", lastLr[i]);
        return state;
    }

    /// <summary>Checks a state from <see cref="OfScheduler"/> against a scheduler of <paramref name="groups"/>
    /// groups and returns its last learning rates.</summary>
    internal double[] SchedulerLastLr(string kind, int groups)
    {
        CheckKind("scheduler", kind);
        int saved = Values.Keys.Count(k => k.StartsWith("last_lr.", StringComparison.Ordinal));
        if (saved != groups)
            throw new ArgumentException($"{kind}.LoadStateDict: the state has {saved} parameter group(s) but the optimizer has {groups}.", "state");
        return Enumerable.Range(0, groups).Select(i => GetDouble($"last_lr.{i}", kind)).ToArray();
    }

    /// <summary>Reads a value that must be there.</summary>
    internal string Get(string key, string owner) =>
        Values.TryGetValue(key, out var v) ? v
            : throw new ArgumentException($"{owner}.LoadStateDict: the state has no '{key}'; was it saved by a {owner}?");
}
