using System.Globalization;

namespace Tensors.Optim;

// Saving and restoring an optimizer, so that training resumes exactly where it stopped.
public abstract partial class Optimizer
{
    /// <summary>
    /// The optimizer's state, as PyTorch's <c>optimizer.state_dict()</c>: each parameter's state tensors under
    /// <c>state.{i}.{name}</c> (i counts the parameters of all groups in order) and its step count under
    /// <c>state.{i}.step</c>, each group's parameter indices and hyperparameters under <c>param_groups.{g}.{key}</c>,
    /// and the optimizer's name. The tensors are the optimizer's own, not copies.
    /// </summary>
    public SavedState StateDict()
    {
        var state = new SavedState();
        state.Values["optimizer"] = Name;
        int first = 0;
        for (int g = 0; g < ParamGroups.Count; g++)
        {
            var group = ParamGroups[g];
            state.Values[$"param_groups.{g}.params"] = string.Join(",", Enumerable.Range(first, group.Parameters.Count));
            first += group.Parameters.Count;
            foreach (var (key, value) in group.Options) state.SetDouble($"param_groups.{g}.{key}", value);
        }
        var index = IndexOfParameters();
        foreach (var (p, step) in _steps) state.Values[$"state.{index[p]}.step"] = step.ToString(CultureInfo.InvariantCulture);
        foreach (var ((p, name), t) in _state) state.Tensors[$"state.{index[p]}.{name}"] = t;
        return state;
    }

    /// <summary>
    /// Restores a state from <see cref="StateDict"/> (or <see cref="SavedState.Load"/>) into this optimizer, which
    /// must be the same kind with groups of the same sizes: every group's hyperparameters, the step counts, and
    /// copies of the state tensors moved to each parameter's device and dtype. Everything is checked before anything
    /// changes.
    /// </summary>
    /// <param name="state">The saved state.</param>
    /// <exception cref="ArgumentException">The state is another optimizer's, or does not fit these groups.</exception>
    public void LoadStateDict(SavedState state)
    {
        string op = $"{Name}.LoadStateDict";
        state.CheckKind("optimizer", Name);
        int groups = state.Values.Keys.Count(k => k.StartsWith("param_groups.", StringComparison.Ordinal) && k.EndsWith(".params", StringComparison.Ordinal));
        if (groups != ParamGroups.Count)
            throw new ArgumentException($"{op}: the state has {groups} parameter group(s) but this optimizer has {ParamGroups.Count}.", nameof(state));
        var options = new List<Dictionary<string, double>>();
        for (int g = 0; g < groups; g++)
        {
            string prefix = $"param_groups.{g}.";
            int count = state.Get(prefix + "params", Name).Split(',', StringSplitOptions.RemoveEmptyEntries).Length;
            if (count != ParamGroups[g].Parameters.Count)
                throw new ArgumentException($"{op}: parameter group {g} has {ParamGroups[g].Parameters.Count} parameter(s) but the saved one has {count}.", nameof(state));
            var keys = state.Values.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal) && k != prefix + "params").ToList();
            if (keys.Select(k => k[prefix.Length..]).FirstOrDefault(k => !_defaults.ContainsKey(k) && k != "initial_lr") is { } unknown)
                throw new ArgumentException($"{op}: parameter group {g} has '{unknown}', which {Name} does not have.", nameof(state));
            options.Add(keys.ToDictionary(k => k[prefix.Length..], k => state.GetDouble(k, Name)));
        }
        var tensors = state.Tensors.Select(kv => (Key: ParseKey(kv.Key, op), Tensor: kv.Value)).ToList();
        foreach (var ((i, name), t) in tensors)
            if (!t.Layout.Shape.SequenceEqual(Parameters[i].Layout.Shape))
                throw new ArgumentException($"{op}: '{name}' of parameter {i} is {Layout.Format(t.Layout.Shape)} but the parameter is {Layout.Format(Parameters[i].Layout.Shape)}.", nameof(state));
        var steps = state.Values.Keys.Where(k => k.StartsWith("state.", StringComparison.Ordinal))
            .Select(k => (Index: ParseKey(k, op).Index, Step: state.GetLong(k, Name))).ToList();

        for (int g = 0; g < groups; g++) ParamGroups[g].ReplaceOptions(options[g]);
        foreach (var t in _state.Values) t.Dispose();
        _state.Clear();
        _steps.Clear();
        using var _ = Autograd.NoGrad();
        foreach (var ((i, name), t) in tensors)
        {
            var p = Parameters[i];
            using var onDevice = t.To(p.Device);
            using var converted = onDevice.To(p.DType);
            SetState(p, name, converted.Clone()); // a copy: the saved state may be another optimizer's live tensors
        }
        foreach (var (i, step) in steps) _steps[Parameters[i]] = step;
    }

    /// <summary>Writes <see cref="StateDict"/> to a safetensors file (hyperparameters in its metadata).</summary>
    /// <param name="path">The file to write.</param>
    public void Save(string path) => StateDict().Save(path);

    /// <summary>Restores a state written by <see cref="Save"/> (see <see cref="LoadStateDict"/>).</summary>
    /// <param name="path">The file to read.</param>
    public void Load(string path) => LoadStateDict(SavedState.Load(path));

    private Dictionary<Tensor, int> IndexOfParameters()
    {
        var index = new Dictionary<Tensor, int>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < Parameters.Count; i++) index[Parameters[i]] = i;
        return index;
    }

    // "state.{i}.{name}" -> (i, name), with i checked against the parameters.
    private (int Index, string Name) ParseKey(string key, string op)
    {
        var parts = key.Split('.', 3);
        if (parts.Length != 3 || parts[0] != "state" || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int i))
            throw new ArgumentException($"{op}: '{key}' is not a state entry (state.<parameter index>.<name>).", "state");
        if (i >= Parameters.Count)
            throw new ArgumentException($"{op}: '{key}' is for parameter {i} but this optimizer has {Parameters.Count} parameter(s).", "state");
        return (i, parts[2]);
    }
}
