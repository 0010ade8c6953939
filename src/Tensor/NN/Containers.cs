using System.Collections;

namespace Tensors.NN;

/// <summary>
/// Holds modules in a list, registered as <c>0</c>, <c>1</c>, ... so that their parameters belong to the owner
/// (PyTorch's <c>nn.ModuleList</c>). It has no <see cref="Forward"/> of its own: the owner iterates over it.
/// </summary>
public sealed class ModuleList : Module, IReadOnlyList<Module>
{
    private readonly List<Module> _modules = new();

    /// <summary>A list of <paramref name="modules"/>.</summary>
    /// <param name="modules">The first modules.</param>
    public ModuleList(params IEnumerable<Module> modules)
    {
        foreach (var m in modules) Append(m);
    }

    /// <summary>Adds <paramref name="module"/> at the end, under the next index (PyTorch's <c>append</c>).
    /// Returns this list.</summary>
    /// <param name="module">The module to add.</param>
    public ModuleList Append(Module module)
    {
        _modules.Add(Register(_modules.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), module));
        return this;
    }

    /// <summary>The module at <paramref name="index"/> (negative counts from the end).</summary>
    /// <param name="index">The position.</param>
    public Module this[int index] =>
        index >= -_modules.Count && index < _modules.Count
            ? _modules[index < 0 ? index + _modules.Count : index]
            : throw new IndexOutOfRangeException($"ModuleList: index {index} is out of range for {_modules.Count} modules.");

    /// <summary>The number of modules.</summary>
    public int Count => _modules.Count;

    /// <inheritdoc />
    public IEnumerator<Module> GetEnumerator() => _modules.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Always throws: a ModuleList is a container; call its modules in the owner's Forward.</summary>
    /// <param name="input">Unused.</param>
    /// <exception cref="InvalidOperationException">Always: a container has no Forward of its own.</exception>
    public override Tensor Forward(Tensor input) =>
        throw new InvalidOperationException("ModuleList: it has no Forward; iterate over it and call each module (x = m.Call(x)).");
}

/// <summary>
/// Holds modules by name, registered under those names so that their parameters belong to the owner (PyTorch's
/// <c>nn.ModuleDict</c>), in insertion order. It has no <see cref="Forward"/> of its own.
/// </summary>
public sealed class ModuleDict : Module, IReadOnlyDictionary<string, Module>
{
    private readonly OrderedDictionary<string, Module> _modules = new();

    /// <summary>A dictionary of <paramref name="modules"/>, in their order.</summary>
    /// <param name="modules">The first modules with their names.</param>
    public ModuleDict(params IEnumerable<KeyValuePair<string, Module>> modules)
    {
        foreach (var (name, m) in modules) Add(name, m);
    }

    /// <summary>Adds <paramref name="module"/> under <paramref name="name"/> (unique, no '.').</summary>
    /// <param name="name">The key, which is also the parameters' name prefix.</param>
    /// <param name="module">The module to add.</param>
    public void Add(string name, Module module) => _modules.Add(name, Register(name, module));

    /// <summary>The module named <paramref name="name"/>.</summary>
    /// <param name="name">The key.</param>
    public Module this[string name] =>
        _modules.TryGetValue(name, out var m)
            ? m
            : throw new ArgumentException($"ModuleDict: no module named '{name}'; the keys are [{string.Join(", ", _modules.Keys)}].", nameof(name));

    /// <summary>The names, in insertion order.</summary>
    public IEnumerable<string> Keys => _modules.Keys;

    /// <summary>The modules, in insertion order.</summary>
    public IEnumerable<Module> Values => _modules.Values;

    /// <summary>The number of modules.</summary>
    public int Count => _modules.Count;

    /// <inheritdoc />
    public bool ContainsKey(string key) => _modules.ContainsKey(key);

    /// <inheritdoc />
    public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out Module value) => _modules.TryGetValue(key, out value);

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, Module>> GetEnumerator() => _modules.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Always throws: a ModuleDict is a container; call its modules in the owner's Forward.</summary>
    /// <param name="input">Unused.</param>
    /// <exception cref="InvalidOperationException">Always: a container has no Forward of its own.</exception>
    public override Tensor Forward(Tensor input) =>
        throw new InvalidOperationException("ModuleDict: it has no Forward; call its modules by name (dict[\"name\"].Call(x)).");
}
