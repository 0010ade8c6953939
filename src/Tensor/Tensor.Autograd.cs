using Tensors.Graph;

namespace Tensors;

// Reverse-mode autograd on the tensor: the flags, the graph link and Backward.
public sealed partial class Tensor
{
    private bool _requiresGrad;

    /// <summary>
    /// Whether gradients flow to this tensor. Set it on leaves (tensors you create); results of ops on such
    /// tensors require grad automatically. Only floating-point tensors can require grad.
    /// </summary>
    public bool RequiresGrad
    {
        get => _requiresGrad || GradFn is not null;
        set
        {
            if (GradFn is not null)
                throw new InvalidOperationException(
                    $"RequiresGrad: can only be changed on leaf tensors; this one is the result of {GradFn}. Use Detach() to get a leaf.");
            if (value && !DType.IsFloatingPoint())
                throw new InvalidOperationException($"RequiresGrad: only floating-point tensors can require gradients, this one is {DType.Name()}.");
            _requiresGrad = value;
        }
    }

    /// <summary>Sets <see cref="RequiresGrad"/> and returns this tensor (PyTorch's <c>requires_grad_()</c>).</summary>
    /// <param name="requiresGrad">Whether autograd records operations on this tensor; default <c>true</c>.</param>
    /// <returns>This tensor, for chaining.</returns>
    /// <exception cref="InvalidOperationException">This tensor is not a leaf (it has a <see cref="GradFn"/>), or
    /// <paramref name="requiresGrad"/> is true and the dtype is not floating point.</exception>
    public Tensor RequiresGrad_(bool requiresGrad = true)
    {
        RequiresGrad = requiresGrad;
        return this;
    }

    /// <summary>The node that made this tensor (null for leaves): its backward formula and inputs.</summary>
    public Node? GradFn { get; private set; }

    /// <summary>True for tensors not produced by a recorded op.</summary>
    public bool IsLeaf => GradFn is null;

    private Tensor? _grad;
    private Lock? _gradLock;

    /// <summary>
    /// The accumulated gradient of a leaf after <see cref="Backward"/>; null until then or after zeroing. An assigned
    /// gradient must have this tensor's shape, dtype and device (as in PyTorch), or null.
    /// </summary>
    public Tensor? Grad
    {
        get => _grad;
        set
        {
            if (value is not null && (!value.Layout.Shape.SequenceEqual(Layout.Shape) || value.DType != DType || value.Device != Device))
                throw new ArgumentException(
                    $"Grad: the assigned gradient (shape {Layout.Format(value.Layout.Shape)}, {value.DType.Name()}, {value.Device}) must match " +
                    $"the tensor (shape {Layout.Format(Layout.Shape)}, {DType.Name()}, {Device}); assign a tensor of that shape, dtype and device, or null.",
                    nameof(value));
            lock (GradLock) _grad = value;
        }
    }

    // Created on first use: most tensors never hold a gradient.
    private Lock GradLock => _gradLock ?? Interlocked.CompareExchange(ref _gradLock, new Lock(), null) ?? _gradLock;

    /// <summary>Adds <paramref name="g"/> (this leaf's shape) to <see cref="Grad"/>, creating it on first use. Backward
    /// calls on several threads can meet in one leaf, so the read-modify-write holds the leaf's lock.</summary>
    internal void AccumulateGrad(Tensor g)
    {
        if (!g.Layout.Shape.SequenceEqual(Layout.Shape))
            throw new InvalidOperationException($"Backward: gradient of shape {Layout.Format(g.Layout.Shape)} does not match the leaf's shape {Layout.Format(Layout.Shape)}.");
        lock (GradLock)
        {
            if (_grad is null || _grad.IsDisposed)
            {
                // Leaf gradients live outside any DisposeScope and accumulate across Backward calls, as in PyTorch.
                var own = g.To(DType).Clone();
                DisposeScope.Forget(own);
                _grad = own;
            }
            else _grad.Add_(g);
        }
    }

    internal int StorageVersion => _buffer.Version;

    /// <summary>A new tensor sharing this storage, outside the graph (PyTorch's <c>detach()</c>).</summary>
    public Tensor Detach() => new(StorageFor("Detach"), Layout);

    /// <summary>A view for the graph's own use: same storage, no gradient, not owned by any DisposeScope.</summary>
    internal Tensor DetachedView()
    {
        var view = new Tensor(StorageFor("Save"), Layout);
        DisposeScope.Forget(view);
        return view;
    }

    /// <summary>Links this result to the node that made it.</summary>
    internal Tensor Record(Node node)
    {
        GradFn = node;
        return this;
    }

    /// <summary>
    /// Computes gradients of this tensor with respect to every leaf that requires grad and adds them to the leaves'
    /// <see cref="Grad"/>. A scalar needs no <paramref name="gradient"/>; otherwise pass d(loss)/d(this).
    /// The graph is freed afterwards unless <paramref name="retainGraph"/>.
    /// </summary>
    /// <param name="gradient">d(loss)/d(this), of this tensor's shape (PyTorch's <c>gradient</c>); default null, which
    /// means 1 and is allowed only for a one-element tensor.</param>
    /// <param name="retainGraph">Keep the graph's saved tensors so that <see cref="Backward"/> can run through it again
    /// (PyTorch's <c>retain_graph</c>); default <c>false</c> frees them.</param>
    /// <exception cref="InvalidOperationException">This tensor does not require grad, or <paramref name="gradient"/> is
    /// null and this tensor has more than one element.</exception>
    /// <exception cref="ArgumentException"><paramref name="gradient"/> does not have this tensor's shape.</exception>
    public void Backward(Tensor? gradient = null, bool retainGraph = false)
    {
        StorageFor("Backward");
        if (!RequiresGrad)
            throw new InvalidOperationException("Backward: this tensor does not require grad and has no grad_fn; set RequiresGrad on the leaves first.");
        if (gradient is null)
        {
            if (Numel != 1)
                throw new InvalidOperationException(
                    $"Backward: the gradient can be implicitly created only for scalar outputs, but this tensor has shape {Layout.Format(Layout.Shape)}; pass a gradient of that shape.");
            gradient = OnesLike(this);
        }
        else if (!gradient.Layout.Shape.SequenceEqual(Layout.Shape))
            throw new ArgumentException($"Backward: the gradient's shape {Layout.Format(gradient.Layout.Shape)} does not match the tensor's shape {Layout.Format(Layout.Shape)}.");
        Engine.Backward(this, gradient, retainGraph);
    }
}
