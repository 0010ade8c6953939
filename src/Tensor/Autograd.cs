namespace Tensors;

/// <summary>Switches for reverse-mode autograd.</summary>
public static partial class Autograd
{
    // The user's NoGrad scopes flow with the logical (async) context, like TorchSharp's and PyTorch's thread-local
    // grad mode but surviving an await: the innermost scope of this context, linked to the ones it is nested in.
    private static readonly AsyncLocal<NoGradScope?> _innermost = new();

    // NoGrad scopes not yet disposed, process-wide. While it is 0 (the forward pass) IsEnabled needs no lookup.
    private static int _live;

    // The ops' own short pauses (converting operands, running backward): synchronous, never across an await, so a
    // thread-static counter is exact and far cheaper than writing the async context on every op.
    [ThreadStatic] private static int _suspended;

    /// <summary>True when ops in this (async) context record a graph for <see cref="Tensor.Backward"/>.</summary>
    public static bool IsEnabled => _suspended == 0 && (Volatile.Read(ref _live) == 0 || NoGradScope.Live(_innermost.Value) is null);

    /// <summary>
    /// Stops recording until the returned scope is disposed (PyTorch's <c>torch.no_grad()</c>):
    /// <c>using (Autograd.NoGrad()) { ... }</c>. Scopes nest, flow across <c>await</c> with the async context, and may
    /// be disposed in any order or on another thread: recording is off while any scope this context entered is live.
    /// </summary>
    public static IDisposable NoGrad() => new NoGradScope();

    /// <summary>Pauses recording on this thread for synchronous library code; dispose on the same thread.</summary>
    internal static Suspension Suspend()
    {
        _suspended++;
        return default;
    }

    /// <summary>True when an op with these inputs must record a node.</summary>
    internal static bool ShouldRecord(Tensor a) => a.RequiresGrad && IsEnabled;

    internal static bool ShouldRecord(Tensor a, Tensor b) => (a.RequiresGrad || b.RequiresGrad) && IsEnabled;

    /// <summary>Ends a <see cref="Suspend"/>; a struct, so pausing allocates nothing.</summary>
    internal readonly struct Suspension : IDisposable
    {
        public void Dispose() => _suspended--;
    }

    private sealed class NoGradScope : IDisposable
    {
        private readonly NoGradScope? _outer;
        private int _disposed;

        public NoGradScope()
        {
            _outer = Live(_innermost.Value);
            _innermost.Value = this;
            Interlocked.Increment(ref _live);
        }

        /// <summary>The innermost scope of a chain that is not disposed yet.</summary>
        public static NoGradScope? Live(NoGradScope? s)
        {
            while (s is not null && Volatile.Read(ref s._disposed) != 0) s = s._outer;
            return s;
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
            Interlocked.Decrement(ref _live);
            // Unlink where this context still points at us; a context elsewhere skips us by the flag.
            if (_innermost.Value == this) _innermost.Value = Live(_outer);
        }
    }
}
