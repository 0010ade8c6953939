using Tensors.Backends;

namespace Tensors;

/// <summary>
/// An n-dimensional array: a view (shape, strides, offset) over reference-counted storage on a device.
/// Views share storage and never copy; writes through a view are visible in its base. Dispose a tensor to release
/// its reference to the storage deterministically (essential on GPUs); the memory goes when the last view does.
/// </summary>
public sealed partial class Tensor : IDisposable
{
    // The storage; while _pending is set, its values are not computed yet (see Tensor.Fusion.cs), so reads of the
    // values go through Storage or StorageFor, which compute them first.
    private Storage _buffer;
    private bool _disposed;

    internal Tensor(Storage storage, Layout layout)
    {
        if (storage.IsReleased)
            throw new ObjectDisposedException(nameof(Tensor), "Cannot create a view of released storage.");
        // The one place every view passes: whatever arithmetic made the layout, it must stay inside the storage.
        if (layout.End > storage.Length)
            throw new ArgumentOutOfRangeException(nameof(layout),
                $"A view ({layout}) would reach storage element {layout.End - 1}, but the storage holds {storage.Length} elements.");
        _buffer = storage;
        Layout = layout;
        storage.AddRef();
        DisposeScope.Register(this);
    }

    internal Layout Layout { get; private set; }

    /// <summary>True for a tensor made from a C# number by an operator; it takes part in type promotion with the
    /// low priority PyTorch gives Python numbers.</summary>
    internal bool IsWrappedNumber { get; private init; }

    /// <summary>The size of each dimension (a copy).</summary>
    public int[] Shape => Layout.Shape.ToArray();

    /// <summary>The step in elements along each dimension (a copy).</summary>
    public int[] Strides => Layout.Strides.ToArray();

    /// <summary>The index of the first element in the storage.</summary>
    public int StorageOffset => Layout.Offset;

    /// <summary>The number of dimensions.</summary>
    public int Rank => Layout.Rank;

    /// <summary>The number of elements.</summary>
    public int Numel => Layout.Numel;

    /// <summary>The element type.</summary>
    public DType DType => _buffer.DType;

    /// <summary>Where the storage lives.</summary>
    public Device Device => _buffer.Device;

    /// <summary>True when the elements are in row-major order without gaps.</summary>
    public bool IsContiguous => Layout.IsContiguous;

    /// <summary>True once <see cref="Dispose"/> was called on this tensor.</summary>
    public bool IsDisposed => _disposed;

    /// <summary>The size of dim <paramref name="dim"/> (negative counts from the end).</summary>
    /// <param name="dim">The dim (negative counts from the end).</param>
    /// <exception cref="ArgumentOutOfRangeException">A dim is out of range for this tensor's rank.</exception>
    public int Size(int dim) => Layout.Shape[NormalizeDim("Size", dim)];

    /// <summary>True when both tensors view the same storage.</summary>
    /// <param name="other">The tensor to compare with.</param>
    public bool SharesStorageWith(Tensor other) => ReferenceEquals(_buffer, other._buffer);

    /// <summary>Releases this tensor's reference to its storage. Further use of this tensor throws.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        ReleaseView();
        DropPending();
        _buffer.Release();
    }

    /// <summary>Points this tensor at <paramref name="source"/>'s data (PyTorch's <c>param.data = source</c>), so that
    /// everything holding this tensor object, such as a module's fields and an optimizer, sees the new data.</summary>
    internal void SetData(Tensor source)
    {
        var storage = source.StorageFor("SetData");
        var old = StorageFor("SetData");
        storage.AddRef();
        _buffer = storage;
        Layout = source.Layout;
        old.Release();
    }

    /// <summary>The storage with its values computed, after checking that this tensor is still alive;
    /// <paramref name="op"/> names the caller in the error.</summary>
    internal Storage StorageFor(string op)
    {
        CheckAlive(op);
        return Storage;
    }

    /// <summary>Throws, naming <paramref name="op"/>, when this tensor was disposed.</summary>
    private void CheckAlive(string op)
    {
        if (_disposed)
            throw new ObjectDisposedException(nameof(Tensor),
                $"{op}: the tensor (shape {Layout.Format(Layout.Shape)}, {DType.Name()}, {Device}) was disposed; " +
                "keep it alive (outside the using scope) while it is in use.");
    }

    /// <summary>The storage's backend, through the wrapper that runs storage-only dtypes (float16, bfloat16, int8,
    /// int16) in their kernel dtype.</summary>
    internal WideningBackend Backend => new(_buffer.Backend);

    /// <summary>A new tensor object over the same storage and layout; for autograd, the identity.</summary>
    internal Tensor ViewAs(string op)
    {
        var view = MarkView(new Tensor(StorageFor(op), Layout));
        return Autograd.ShouldRecord(this) ? view.Record(new Graph.ViewBackward(op, this, null)) : view;
    }

    /// <summary>A view whose layout is <paramref name="transform"/> of this one. For autograd, the same transform
    /// replayed on a zero tensor of this shape carries the gradient back.</summary>
    internal Tensor ViewAs(string op, Func<Layout, Layout> transform)
    {
        var view = MarkView(new Tensor(StorageFor(op), transform(Layout)));
        return Autograd.ShouldRecord(this)
            ? view.Record(new Graph.ViewBackward(op, this, z => z.ViewAs(op, transform)))
            : view;
    }

    /// <summary>A new contiguous tensor whose contents are unspecified until written.</summary>
    internal static Tensor Allocate(ReadOnlySpan<int> shape, DType dtype, Device device)
    {
        var backend = BackendRegistry.For(device);
        return new Tensor(backend.Allocate(dtype, Layout.ShapeNumel(shape)), Layout.Contiguous(shape));
    }

    /// <summary>A 0-d tensor holding a C# number, for operators: int64, float64 or bool, marked so that type
    /// promotion gives it a Python number's low priority.</summary>
    internal static Tensor Wrap(Scalar value, Device device)
    {
        // One tensor object (a second one over the same storage kept a reference that nothing released).
        var t = new Tensor(BackendRegistry.For(device).Allocate(value.DType, 1), ScalarLayout) { IsWrappedNumber = true };
        t.Backend.Fill(t._buffer, t.Layout, value);
        return t;
    }

    // Layouts are immutable, so every 0-d tensor made here shares one.
    private static readonly Layout ScalarLayout = Layout.Contiguous([]);

    /// <summary>Turns a possibly negative dim into 0..Rank-1, or throws naming <paramref name="op"/>.</summary>
    internal int NormalizeDim(string op, int dim, int? rank = null)
    {
        int r = rank ?? Rank;
        int d = dim < 0 ? dim + r : dim;
        if (d < 0 || d >= r)
            throw new ArgumentOutOfRangeException(nameof(dim), dim,
                $"{op}: dim {dim} is out of range for a tensor of shape {Layout.Format(Layout.Shape)}; " +
                (r == 0 ? "a 0-d tensor has no dims." : $"valid dims are {-r}..{r - 1}."));
        return d;
    }

    /// <summary>Like <see cref="NormalizeDim"/>, but a 0-d tensor accepts dim 0 and -1 as PyTorch does (it wraps dims
    /// as if the tensor had one), and gets null back: the op has no dim to act on.</summary>
    internal int? NormalizeDimOrScalar(string op, int dim)
    {
        if (Rank > 0) return NormalizeDim(op, dim);
        if (dim is 0 or -1) return null;
        throw new ArgumentOutOfRangeException(nameof(dim), dim,
            $"{op}: dim {dim} is out of range for a 0-d tensor; a 0-d tensor accepts dim 0 or -1 (as if it had one dim).");
    }

    /// <summary>The device both operands are on, or a clear error when they differ.</summary>
    internal static Device SameDevice(string op, params ReadOnlySpan<Tensor> tensors)
    {
        var device = tensors[0].Device;
        foreach (var t in tensors)
            if (t.Device != device)
                throw new InvalidOperationException(
                    $"{op}: tensors are on different devices ({string.Join(" and ", tensors.ToArray().Select(x => x.Device).Distinct())}); " +
                    "move them to one device with To(device) first.");
        return device;
    }
}
