namespace Tensors;

/// <summary>
/// Disposes every tensor created while it is the innermost live scope of the current (async) context (TorchSharp's
/// DisposeScope): <c>using (Tensor.NewDisposeScope()) { ... }</c>. Keep a result alive past the scope with
/// <see cref="MoveToOuter"/> or <see cref="Tensor.DetachFromDisposeScope"/>. Gradients of leaves and optimizer
/// state are never owned by a scope. Scopes flow across <c>await</c> and may be disposed in any order or on another
/// thread: a disposed scope is skipped, so the innermost live one always owns new tensors.
/// </summary>
public sealed class DisposeScope : IDisposable
{
    private static readonly AsyncLocal<DisposeScope?> _innermost = new();

    // Scopes not yet disposed, process-wide. While it is 0, creating a tensor needs no lookup of the async context.
    private static int _live;

    private readonly DisposeScope? _outer;
    private readonly HashSet<Tensor> _owned = new(ReferenceEqualityComparer.Instance);
    // Tasks started inside a scope inherit it, so tensors may arrive from several threads at once.
    private readonly Lock _lock = new();
    private volatile bool _disposed;

    private DisposeScope()
    {
        _outer = Live(_innermost.Value);
        _innermost.Value = this;
        Interlocked.Increment(ref _live);
    }

    /// <summary>Opens a scope in the current (async) context.</summary>
    public static DisposeScope Enter() => new();

    /// <summary>The number of live tensors this scope will dispose.</summary>
    public int Count
    {
        get { lock (_lock) return _owned.Count; }
    }

    private static DisposeScope? Live(DisposeScope? s)
    {
        while (s is { _disposed: true }) s = s._outer;
        return s;
    }

    internal static void Register(Tensor t)
    {
        if (Volatile.Read(ref _live) != 0) AddToLive(_innermost.Value, t);
    }

    // A scope disposed between the lookup and the add passes the tensor outwards instead of keeping it.
    private static void AddToLive(DisposeScope? from, Tensor t)
    {
        for (var s = Live(from); s is not null; s = Live(s._outer))
            lock (s._lock)
                if (!s._disposed)
                {
                    s._owned.Add(t);
                    return;
                }
    }

    /// <summary>Removes <paramref name="t"/> from whichever scope of this context owns it.</summary>
    internal static void Forget(Tensor t)
    {
        if (Volatile.Read(ref _live) == 0) return;
        for (var s = _innermost.Value; s is not null; s = s._outer)
            lock (s._lock)
                if (s._owned.Remove(t)) return;
    }

    /// <summary>Hands <paramref name="t"/> to the enclosing live scope (or to nobody, at the outermost) and returns it.</summary>
    /// <param name="t">A tensor this scope owns (or any tensor: one it does not own is returned unchanged).</param>
    /// <returns><paramref name="t"/>, for chaining.</returns>
    public Tensor MoveToOuter(Tensor t)
    {
        bool owned;
        lock (_lock) owned = _owned.Remove(t);
        if (owned) AddToLive(_outer, t);
        return t;
    }

    /// <summary>Disposes every tensor this scope still owns; the enclosing live scope owns new tensors again.</summary>
    public void Dispose()
    {
        Tensor[] owned;
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
            owned = [.. _owned];
            _owned.Clear();
        }
        Interlocked.Decrement(ref _live);
        if (_innermost.Value == this) _innermost.Value = Live(_outer);
        foreach (var t in owned) t.Dispose();
    }
}

public sealed partial class Tensor
{
    /// <summary>Opens a <see cref="DisposeScope"/> in the current (async) context.</summary>
    public static DisposeScope NewDisposeScope() => DisposeScope.Enter();

    /// <summary>Takes this tensor out of the dispose scope that would dispose it, and returns it.</summary>
    public Tensor DetachFromDisposeScope()
    {
        DisposeScope.Forget(this);
        return this;
    }
}
