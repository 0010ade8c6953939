using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Tensors.NN;

/// <summary>What <see cref="Safetensors.Load(string, bool?)"/> read: the tensors by name (this object is that
/// dictionary, as safetensors.torch's <c>load_file</c> returns one) and the header's <c>__metadata__</c>.
/// <see cref="Dispose"/> disposes every tensor still in it; a tensor taken out and kept can be detached first
/// with <see cref="Remove"/>.</summary>
public sealed class SafetensorsFile : IReadOnlyDictionary<string, Tensor>, IDisposable
{
    private readonly Dictionary<string, Tensor> _tensors;

    internal SafetensorsFile(Dictionary<string, Tensor> tensors, Dictionary<string, string> metadata)
    {
        _tensors = tensors;
        Metadata = metadata;
    }

    /// <summary>The header's <c>__metadata__</c> (empty when the file has none).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The tensor called <paramref name="key"/>.</summary>
    /// <param name="key">The tensor's name in the file.</param>
    /// <exception cref="KeyNotFoundException">No tensor has that name; the message lists the names there are.</exception>
    public Tensor this[string key] => _tensors.TryGetValue(key, out var t) ? t
        : throw new KeyNotFoundException($"Safetensors: no tensor named '{key}'; the file has [{string.Join(", ", _tensors.Keys)}].");

    /// <summary>The names, in the file's header order.</summary>
    public IEnumerable<string> Keys => _tensors.Keys;

    /// <summary>The tensors, in the file's header order.</summary>
    public IEnumerable<Tensor> Values => _tensors.Values;

    /// <summary>The number of tensors.</summary>
    public int Count => _tensors.Count;

    /// <summary>Whether a tensor has this name.</summary>
    /// <param name="key">The name.</param>
    public bool ContainsKey(string key) => _tensors.ContainsKey(key);

    /// <summary>The tensor called <paramref name="key"/>, if there is one.</summary>
    /// <param name="key">The name.</param>
    /// <param name="value">The tensor, or null.</param>
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out Tensor value) => _tensors.TryGetValue(key, out value);

    /// <summary>Takes a tensor out, so that <see cref="Dispose"/> leaves it alone.</summary>
    /// <param name="key">The name.</param>
    /// <returns>The tensor, now the caller's to dispose.</returns>
    public Tensor Remove(string key)
    {
        var t = this[key];
        _tensors.Remove(key);
        return t;
    }

    /// <summary>Disposes every tensor still in the file object (a mapped file closes once no tensor needs it).</summary>
    public void Dispose()
    {
        foreach (var t in _tensors.Values) t.Dispose();
        _tensors.Clear();
    }

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, Tensor>> GetEnumerator() => _tensors.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
