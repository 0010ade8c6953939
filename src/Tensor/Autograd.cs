namespace Tensors;

/// <summary>Switches for reverse-mode autograd.</summary>
public static partial class Autograd
{
    [ThreadStatic] private static int _noGradDepth;

    /// <summary>True when ops on this thread record a graph for <see cref="Tensor.Backward"/>.</summary>
    public static bool IsEnabled => _noGradDepth == 0;

    /// <summary>
    /// Stops recording for the current thread until the returned scope is disposed (PyTorch's
    /// <c>torch.no_grad()</c>): <c>using (Autograd.NoGrad()) { ... }</c>. Scopes nest.
    /// </summary>
    public static IDisposable NoGrad()
    {
        _noGradDepth++;
        return new Scope();
    }

    /// <summary>True when an op with these inputs must record a node.</summary>
    internal static bool ShouldRecord(Tensor a) => _noGradDepth == 0 && a.RequiresGrad;

    internal static bool ShouldRecord(Tensor a, Tensor b) => _noGradDepth == 0 && (a.RequiresGrad || b.RequiresGrad);

    private sealed class Scope : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            _noGradDepth--;
        }
    }
}
