using Tensors.Backends;

namespace Tensors;

// In-place ops on tensors that take part in autograd: PyTorch's rebase_history, for whole tensors.
public sealed partial class Tensor
{
    // Views of this tensor taken while gradients are recorded and not disposed yet: such a view keeps this tensor's
    // history from before an in-place op (or none), so rebasing this tensor's history would leave it silently wrong.
    // Counted on the tensor that owns the memory (views of views too); _countedIn is where this view is counted.
    private int _liveViews;
    private Tensor? _viewRoot, _countedIn;

    /// <summary>True for a tensor made as a view of another one (its memory belongs to a base tensor).</summary>
    internal bool IsView { get; private set; }

    /// <summary>Flags <paramref name="view"/>, made over this tensor's memory, as a view (see <see cref="IsView"/>).</summary>
    internal Tensor MarkView(Tensor view)
    {
        view.IsView = true;
        view._viewRoot = _viewRoot ?? this;
        if (Autograd.IsEnabled)
        {
            view._countedIn = view._viewRoot;
            Interlocked.Increment(ref view._viewRoot._liveViews);
        }
        return view;
    }

    /// <summary>Called once by <see cref="Dispose"/>: a disposed view no longer holds back in-place ops on its base.</summary>
    private void ReleaseView()
    {
        if (_countedIn is { } root) Interlocked.Decrement(ref root._liveViews);
    }

    /// <summary>max(x, 0), in place. Returns this tensor.</summary>
    /// <exception cref="ArgumentException">The tensor is Bool.</exception>
    /// <exception cref="InvalidOperationException">This tensor cannot be written in place (its elements overlap, as
    /// after Expand, or autograd forbids it).</exception>
    public Tensor Relu_()
    {
        const string op = "Relu_";
        if (DType == DType.Bool)
            throw new ArgumentException($"{op}: not supported for bool tensors; convert with To(DType.Int64) or To(DType.Float32) first.");
        CheckWritable(op);
        if (RecordInPlace(op, null, x => x.Relu(), keepsOldValue: false)) return this;
        Backend.Unary(UnaryOp.Relu, Storage, Layout, Storage, Layout);
        Storage.BumpVersion();
        return this;
    }

    /// <summary>The refusals of an in-place op while gradients are recorded for this tensor or its source.</summary>
    private void CheckInPlaceAutograd(string op)
    {
        if (IsLeaf && RequiresGrad)
            throw new InvalidOperationException(
                $"{op}: a leaf tensor that requires grad (shape {Layout.Format(Layout.Shape)}) cannot be changed in place while gradients " +
                "are recorded; do parameter updates inside using (Autograd.NoGrad()) { ... }.");
        // PyTorch rebases the base tensor's history through the view (CopySlices); this library does not.
        if (IsView)
            throw new InvalidOperationException(
                $"{op}: in-place ops on a view (shape {Layout.Format(Layout.Shape)}) are not supported while gradients are recorded for it or " +
                "for the source, since the base tensor's history would not see the change; use the out-of-place form, or Clone() the view first.");
    }

    /// <summary>Whether an in-place op on this tensor with <paramref name="source"/> as its other operand is recorded
    /// (<see cref="RecordInPlace"/> does the work), so that callers build the out-of-place function only then.</summary>
    internal bool RecordsInPlace(Tensor? source) => (RequiresGrad || source?.RequiresGrad == true) && Autograd.IsEnabled;

    /// <summary>
    /// An in-place op on a tensor that takes part in autograd (PyTorch's rebase_history): computes the op out of place
    /// from this tensor's current history, writes the values into this tensor's memory, and makes the op's node this
    /// tensor's history. Returns false, doing nothing, when no gradient is recorded: the caller then writes in place.
    /// </summary>
    /// <param name="op">The in-place op's name, for errors.</param>
    /// <param name="source">The other operand, if any.</param>
    /// <param name="outOfPlace">The same op out of place, given this tensor (or a copy of it).</param>
    /// <param name="keepsOldValue">Whether the op's backward needs this tensor's value from before the write, which the
    /// write destroys: the op then reads a copy that carries the same history.</param>
    internal bool RecordInPlace(string op, Tensor? source, Func<Tensor, Tensor> outOfPlace, bool keepsOldValue)
    {
        if (!RecordsInPlace(source)) return false;
        if (Volatile.Read(ref _liveViews) is var views and > 0)
            throw new InvalidOperationException(
                $"{op}: this tensor (shape {Layout.Format(Layout.Shape)}, grad_fn {GradFn?.ToString() ?? "none"}) has {views} live view(s) taken " +
                "while gradients were recorded, which would keep its history from before the in-place change; dispose them or do the " +
                "in-place op before taking views, or use the out-of-place form.");
        using var copy = keepsOldValue ? Clone() : null;
        var result = outOfPlace(copy ?? this);
        try
        {
            // The write needs our dtype, and a result that is no view of our own memory (CopyFrom_ of an overlapping view).
            if (result.DType != DType || ReferenceEquals(result.Storage, Storage))
            {
                var own = result.DType != DType ? result.To(DType) : result.Clone();
                result.Dispose();
                result = own;
            }
            Backend.Copy(result.StorageFor(op), result.Layout, Storage, Layout);
            Storage.BumpVersion();
            GradFn = result.GradFn;
        }
        finally { result.Dispose(); }
        return true;
    }
}
