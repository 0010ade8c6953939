namespace Tensors.NN;

/// <summary>The keys that <see cref="Module.LoadStateDict"/> did not match (PyTorch's
/// <c>_IncompatibleKeys</c>): both lists are empty after a strict load.</summary>
/// <param name="MissingKeys">The module's keys that the state dict lacks (those entries kept their values).</param>
/// <param name="UnexpectedKeys">The state dict's keys that the module does not have (ignored).</param>
public sealed record LoadStateDictResult(IReadOnlyList<string> MissingKeys, IReadOnlyList<string> UnexpectedKeys);

// A module's state: StateDict, LoadStateDict, and Save/Load to safetensors built on them.
public abstract partial class Module
{
    // Parameters and persistent buffers in PyTorch's state_dict order: each module's parameters, then its buffers,
    // then its children's entries. Unlike NamedParameters, a shared tensor appears under each of its names.
    private IEnumerable<(string Name, Tensor Tensor)> StateEntries(string prefix)
    {
        foreach (var (name, p) in _parameters) yield return (prefix + name, p);
        foreach (var (name, b, persistent) in _buffers)
            if (persistent) yield return (prefix + name, b);
        foreach (var (name, child) in _children)
            foreach (var entry in child.StateEntries($"{prefix}{name}."))
                yield return entry;
    }

    /// <summary>
    /// The parameters and persistent buffers by PyTorch's names (<c>features.0.weight</c>), in PyTorch's order
    /// (PyTorch's <c>state_dict</c>). Each value is a new tensor object sharing the parameter's or buffer's memory,
    /// detached from autograd, as in PyTorch: it sees later training steps, and disposing it leaves the module
    /// intact.
    /// </summary>
    public OrderedDictionary<string, Tensor> StateDict()
    {
        var dict = new OrderedDictionary<string, Tensor>();
        foreach (var (name, t) in StateEntries("")) dict[name] = t.Detach();
        return dict;
    }

    /// <summary>
    /// Copies <paramref name="stateDict"/>'s tensors into the parameters and persistent buffers of the same names
    /// (PyTorch's <c>load_state_dict</c>), converting each to the dtype and device of the tensor it replaces.
    /// Every entry is checked before anything changes, so a failed load leaves the module as it was.
    /// </summary>
    /// <param name="stateDict">Tensors by dotted name, e.g. from <see cref="StateDict"/> or
    /// <see cref="Safetensors.Load"/>.</param>
    /// <param name="strict">True (the default) refuses missing and unexpected keys; false skips them and returns
    /// them. Shapes that differ are refused either way.</param>
    /// <returns>The missing and unexpected keys (both empty after a strict load).</returns>
    /// <exception cref="ArgumentException">Keys do not match (strict), or a shape differs; the message lists every
    /// problem as PyTorch's does.</exception>
    /// <exception cref="ArgumentException">With <paramref name="strict"/>, a key is missing or unexpected; in any mode,
    /// a matched entry has the wrong shape (the message lists every error).</exception>
    public LoadStateDictResult LoadStateDict(IReadOnlyDictionary<string, Tensor> stateDict, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(stateDict);
        var mine = StateEntries("").ToList();
        var names = mine.Select(e => e.Name).ToHashSet();
        var missing = mine.Select(e => e.Name).Where(n => !stateDict.ContainsKey(n)).ToList();
        var unexpected = stateDict.Keys.Where(k => !names.Contains(k)).ToList();
        var errors = new List<string>();
        if (strict && missing.Count > 0) errors.Add($"Missing key(s) in state_dict: {Quoted(missing)}.");
        if (strict && unexpected.Count > 0) errors.Add($"Unexpected key(s) in state_dict: {Quoted(unexpected)}.");
        foreach (var (name, t) in mine)
            if (stateDict.TryGetValue(name, out var source) && !source.Layout.Shape.SequenceEqual(t.Layout.Shape))
                errors.Add($"size mismatch for {name}: copying a param with shape {Layout.Format(source.Layout.Shape)} from checkpoint, " +
                           $"the shape in current model is {Layout.Format(t.Layout.Shape)}.");
        if (errors.Count > 0)
            throw new ArgumentException($"LoadStateDict: Error(s) in loading state_dict for {GetType().Name}:\n\t{string.Join("\n\t", errors)}");
        using (Autograd.NoGrad())
            foreach (var (name, t) in mine)
            {
                if (!stateDict.TryGetValue(name, out var source)) continue;
                using var onDevice = source.To(t.Device);
                t.CopyFrom_(onDevice); // converts to the parameter's dtype, as PyTorch's param.copy_(input_param)
            }
        return new LoadStateDictResult(missing, unexpected);
    }

    private static string Quoted(IEnumerable<string> keys) => string.Join(", ", keys.Select(k => $"\"{k}\""));

    /// <summary>Writes <see cref="StateDict"/> (parameters and persistent buffers) to a safetensors file (readable
    /// by PyTorch and Hugging Face tools).</summary>
    /// <param name="path">The file to write (conventionally <c>*.safetensors</c>); an existing file is
    /// replaced.</param>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public void Save(string path)
    {
        var state = StateDict();
        try { Safetensors.Save(path, state.Select(kv => (kv.Key, kv.Value))); }
        finally { foreach (var t in state.Values) t.Dispose(); }
    }

    /// <summary>
    /// Reads a file written by <see cref="Save"/> (or by PyTorch's safetensors) with a strict
    /// <see cref="LoadStateDict"/>: the whole file is read and checked against this module's names and shapes
    /// before anything changes, so a bad file never leaves a half-loaded model.
    /// </summary>
    /// <param name="path">A safetensors file with exactly this module's parameter and persistent buffer names and
    /// shapes.</param>
    /// <exception cref="InvalidDataException">The file is malformed or does not match this module.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public void Load(string path)
    {
        var loaded = Safetensors.Load(path);
        try { LoadStateDict(loaded); }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"Load: '{path}' does not match {GetType().Name} (missing or unexpected keys, or shapes): {e.Message}", e);
        }
        finally
        {
            foreach (var t in loaded.Values) t.Dispose();
        }
    }
}
