using Tensors.Backends;
using Tensors.Fusion;

namespace Tensors;

// Deferred elementwise results. An exactly rounded elementwise op (Deferral.Fuses) on a backend that computes
// expressions returns a tensor whose values wait as an ElementwiseExpression: a further elementwise op extends the
// chain, a reduction folds it without writing it out, and anything else computes it first, through Storage. The values
// equal, bit for bit, those of the ops run one at a time; the ops only run later. Two rules keep that true:
// the expression holds references on what it reads, and a write into a storage it reads (every in-place op passes
// CheckWritable) computes it first.
public sealed partial class Tensor
{
    private ElementwiseExpression? _pending;

    // This tensor as its input storages list it while it is pending: weakly, so that a pending result nobody holds
    // any more is collected instead of being computed for nothing when an input is written.
    private WeakReference<Tensor>? _asReader;

    /// <summary>The storage with its values computed (the values of a pending tensor are computed here, once).</summary>
    internal Storage Storage
    {
        get
        {
            if (Volatile.Read(ref _pending) is not null) ComputePending();
            return _buffer;
        }
    }

    /// <summary>True while this tensor's values wait to be computed (for tests and diagnostics).</summary>
    internal bool IsPending => Volatile.Read(ref _pending) is not null;

    /// <summary>
    /// Computes this tensor's values now if they are still waiting. Exactly rounded elementwise results (+, -, *, /,
    /// Maximum, Minimum, Neg, Abs, Relu, Sqrt, Trunc) of 64K elements or more may wait on the CPU, so that a chain of
    /// them runs as one pass, or folds into a following Sum/Mean/Max/Min without being written out; reading the values
    /// in any way computes them, so this is only needed to time an op by itself (as <c>torch.cuda.synchronize()</c>
    /// is for asynchronous GPU work). The values are the same bits either way. Does nothing for other tensors.
    /// </summary>
    /// <returns>This tensor, for chaining.</returns>
    /// <exception cref="ObjectDisposedException">The tensor was disposed.</exception>
    public Tensor Compute()
    {
        CheckAlive("Compute");
        ComputePending();
        return this;
    }

    /// <summary>Computes the pending values into this tensor's storage, once, whichever thread asks first.</summary>
    internal void ComputePending() => Settle(compute: true);

    /// <summary>Drops the pending values uncomputed (Dispose).</summary>
    private void DropPending() => Settle(compute: false);

    // Ends the wait, computing the values or not, exactly once whichever thread gets here first.
    private void Settle(bool compute)
    {
        var e = Volatile.Read(ref _pending);
        if (e is null) return;
        lock (e)
        {
            if (!ReferenceEquals(_pending, e)) return;
            if (compute) ((IExpressionBackend)_buffer.Backend).Evaluate(e, _buffer, Layout);
            Volatile.Write(ref _pending, null);
        }
        Forget(e);
    }

    private void Forget(ElementwiseExpression e)
    {
        foreach (var leaf in e.Leaves) leaf.Storage.RemoveReader(_asReader!);
        e.Release();
    }

    /// <summary>Makes this fresh result wait for <paramref name="e"/> (whose hold it takes over).</summary>
    private void Defer(ElementwiseExpression e)
    {
        _asReader ??= new WeakReference<Tensor>(this);
        foreach (var leaf in e.Leaves) leaf.Storage.AddReader(_asReader);
        Volatile.Write(ref _pending, e);
    }

    /// <summary>This tensor's values as an expression holding a hold for the caller to release: its pending chain, or
    /// itself as one leaf.</summary>
    private ElementwiseExpression HeldExpression() => HeldPending() ?? ElementwiseExpression.OfLeaf(Storage, Layout, DType);

    /// <summary>The pending chain with a hold for the caller, or null when the values are computed.</summary>
    private ElementwiseExpression? HeldPending()
    {
        var e = Volatile.Read(ref _pending);
        return e is not null && e.TryRetain() ? e : null;
    }

    /// <summary>Reduces pending values without computing them, when the backend can (see
    /// <see cref="IExpressionBackend.TryReduce"/>); false when the caller should reduce the computed values.</summary>
    private bool FoldPending(ReduceOp op, int[] dims, Tensor result, Layout into)
    {
        if (op is not (ReduceOp.Sum or ReduceOp.Max or ReduceOp.Min) || HeldPending() is not { } e) return false;
        try { return ((IExpressionBackend)_buffer.Backend).TryReduce(op, e, dims, result._buffer, into); }
        finally { e.Release(); }
    }

    /// <summary>A pending result for op(this), or null when the op is computed now.</summary>
    private Tensor? DeferUnary(UnaryOp op)
    {
        if (!Deferral.Fuses(op) || !Deferral.Allows(_buffer, DType, Numel)) return null;
        var x = HeldExpression();
        var e = ElementwiseExpression.Unary(op, x);
        x.Release();
        if (e is null)
        {
            // The chain is long enough: compute it, and start a new one from its values.
            ComputePending();
            x = HeldExpression();
            e = ElementwiseExpression.Unary(op, x)!;
            x.Release();
        }
        if (!Deferral.Pays(e))
        {
            e.Release();
            return null;
        }
        var result = Allocate(Layout.Shape, DType, Device);
        result.Defer(e);
        return result;
    }

    /// <summary>Makes <paramref name="result"/> (fresh, of <paramref name="shape"/>) wait for op(a, b), a and b
    /// already in the result's dtype; false (nothing done) when the expression would not pay (Deferral.Pays).</summary>
    private static bool TryDeferBinary(BinaryOp op, Tensor a, Tensor b, int[] shape, Tensor result)
    {
        while (true)
        {
            var ea = a.HeldExpression();
            var eb = b.HeldExpression();
            var e = ElementwiseExpression.Binary(op, ea, eb, shape);
            ea.Release();
            eb.Release();
            if (e is not null)
            {
                bool pays = Deferral.Pays(e);
                if (pays) result.Defer(e);
                else e.Release();
                return pays;
            }
            // Too many leaves or steps: compute an operand's chain and retry (with both computed, it fits).
            if (a.IsPending) a.ComputePending(); else b.ComputePending();
        }
    }
}
