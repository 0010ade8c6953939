namespace Tensors;

/// <summary>
/// Disposes every tensor created on this thread while it is the innermost scope (TorchSharp's DisposeScope):
/// <c>using (Tensor.NewDisposeScope()) { ... }</c>. Keep a result alive past the scope with
/// <see cref="MoveToOuter"/> or <see cref="Tensor.DetachFromDisposeScope"/>. Gradients of leaves and optimizer
/// state are never owned by a scope.
/// </summary>
public sealed class DisposeScope : IDisposable
{
    [ThreadStatic] private static DisposeScope? _current;

    private readonly DisposeScope? _outer;
    private readonly HashSet<Tensor> _owned = new(ReferenceEqualityComparer.Instance);
    private bool _disposed;

    private DisposeScope()
    {
        _outer = _current;
        _current = this;
    }

    /// <summary>Opens a scope on this thread.</summary>
    public static DisposeScope Enter() => new();

    /// <summary>The number of live tensors this scope will dispose.</summary>
    public int Count => _owned.Count;

    internal static void Register(Tensor t) => _current?._owned.Add(t);

    /// <summary>Removes <paramref name="t"/> from whichever scope on this thread owns it.</summary>
    internal static void Forget(Tensor t)
    {
        for (var s = _current; s is not null; s = s._outer)
            if (s._owned.Remove(t)) return;
    }

    /// <summary>Hands <paramref name="t"/> to the enclosing scope (or to nobody, at the outermost) and returns it.</summary>
    public Tensor MoveToOuter(Tensor t)
    {
        if (_owned.Remove(t)) _outer?._owned.Add(t);
        return t;
    }

    /// <summary>Disposes every tensor this scope still owns and makes the enclosing scope current again.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (_current == this) _current = _outer;
        foreach (var t in _owned) t.Dispose();
        _owned.Clear();
    }
}

public sealed partial class Tensor
{
    /// <summary>Opens a <see cref="DisposeScope"/> on this thread.</summary>
    public static DisposeScope NewDisposeScope() => DisposeScope.Enter();

    /// <summary>Takes this tensor out of the dispose scope that would dispose it, and returns it.</summary>
    public Tensor DetachFromDisposeScope()
    {
        DisposeScope.Forget(this);
        return this;
    }
}
