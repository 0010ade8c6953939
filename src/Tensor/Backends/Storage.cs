namespace Tensors.Backends;

/// <summary>
/// A flat buffer of elements owned by one backend and shared by every tensor that views it. Reference-counted:
/// each <see cref="Tensor"/> over it holds one reference, and the memory is released when the last is disposed.
/// Only the owning backend reads or writes the buffer; everything else goes through <see cref="IBackend"/>.
/// </summary>
public abstract class Storage
{
    private int _refs;

    /// <summary>Creates a storage of <paramref name="length"/> elements of <paramref name="dtype"/>.</summary>
    /// <param name="backend">The backend that owns the memory.</param>
    /// <param name="dtype">The element type.</param>
    /// <param name="length">The number of elements.</param>
    protected Storage(IBackend backend, DType dtype, int length)
    {
        Backend = backend;
        DType = dtype;
        Length = length;
    }

    /// <summary>The backend that owns the memory.</summary>
    public IBackend Backend { get; }

    /// <summary>The element type.</summary>
    public DType DType { get; }

    /// <summary>The number of elements.</summary>
    public int Length { get; }

    /// <summary>Where the memory is.</summary>
    public Device Device => Backend.Device;

    /// <summary>True once the last reference was released.</summary>
    public bool IsReleased { get; private set; }

    /// <summary>
    /// Bumped by every in-place write, so that autograd can tell when a tensor it saved was changed.
    /// </summary>
    public int Version => Volatile.Read(ref _version);

    private int _version;

    // Atomic: threads writing in place into one storage must not lose a bump (a lost bump hides a stale save).
    internal void BumpVersion() => Interlocked.Increment(ref _version);

    internal void AddRef() => Interlocked.Increment(ref _refs);

    // Pending tensors whose deferred values read this storage (Tensor.Fusion.cs); a write computes them first.
    private List<WeakReference<Tensor>>? _readers;

    internal void AddReader(WeakReference<Tensor> reader)
    {
        lock (this)
        {
            var readers = _readers ??= [];
            // Readers that were collected uncomputed leave their entry behind; drop those as new ones come.
            readers.RemoveAll(r => !r.TryGetTarget(out _));
            readers.Add(reader);
        }
    }

    /// <summary>How many pending tensors are listed as reading this storage (for tests).</summary>
    internal int ReaderCount
    {
        get { lock (this) return _readers?.Count ?? 0; }
    }

    internal void RemoveReader(WeakReference<Tensor> reader)
    {
        lock (this) _readers?.Remove(reader);
    }

    /// <summary>Computes every pending tensor that reads this storage: called before an in-place write into it, which
    /// would otherwise change the inputs of values the user already holds.</summary>
    internal void ComputeReaders()
    {
        // Every in-place write comes here (optimizer steps many times a step); most storages never had a reader.
        if (Volatile.Read(ref _readers) is null) return;
        WeakReference<Tensor>[] readers;
        lock (this)
        {
            if (_readers is not { Count: > 0 }) return;
            readers = [.. _readers];
        }
        foreach (var r in readers)
            if (r.TryGetTarget(out var tensor)) tensor.ComputePending();
    }

    internal void Release()
    {
        if (Interlocked.Decrement(ref _refs) == 0)
        {
            IsReleased = true;
            Free();
        }
    }

    /// <summary>Frees the memory; called once, when the last tensor over it is disposed.</summary>
    protected abstract void Free();
}
