namespace Tensors.Graph;

/// <summary>
/// One recorded op in the graph (PyTorch's <c>grad_fn</c>): where each input's gradient goes, the tensors the
/// backward formula needs (checked against in-place changes), and the formula itself.
/// </summary>
public abstract class Node
{
    private readonly List<(Tensor View, Tensor Original, int Version)> _saved = new();

    /// <summary>Creates a node whose gradients flow to <paramref name="inputs"/> (in order).</summary>
    /// <param name="inputs">The op's differentiable inputs, in the order <see cref="Backward"/> returns their
    /// gradients; those that do not require grad get none.</param>
    protected Node(params Tensor[] inputs)
    {
        Inputs = inputs.Select(t => t.RequiresGrad ? new Edge(t.GradFn, t.GradFn is null ? t : null) : default).ToArray();
    }

    /// <summary>The name PyTorch would print, e.g. <c>MulBackward</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Where the gradient of each input goes: the input's own node, or the leaf tensor itself.</summary>
    internal Edge[] Inputs { get; }

    /// <summary>True once the graph was freed by a <see cref="Tensor.Backward"/> without retainGraph.</summary>
    public bool IsReleased { get; private set; }

    /// <summary>Keeps <paramref name="t"/> for the backward pass: a view holding its own reference to the storage
    /// (so disposing the caller's tensor does no harm), and the storage version to detect in-place changes.</summary>
    /// <param name="t">A tensor the backward formula reads.</param>
    /// <returns>A view to use in <see cref="Backward"/>; reading it there throws if <paramref name="t"/> was changed in
    /// place meanwhile.</returns>
    protected Tensor Save(Tensor t)
    {
        var view = t.DetachedView();
        _saved.Add((view, t, t.StorageVersion));
        return view;
    }

    /// <summary>The gradients of the inputs (null where an input needs none) given the output's gradient.</summary>
    /// <param name="gradOutput">d(loss)/d(output), of the output's shape.</param>
    protected abstract Tensor?[] Backward(Tensor gradOutput);

    internal Tensor?[] Apply(Tensor gradOutput)
    {
        if (IsReleased)
            throw new InvalidOperationException(
                $"Backward: trying to backward through the graph a second time ({Name} was already freed); " +
                "pass retainGraph: true to the first Backward() if you need to call it again.");
        foreach (var (view, original, version) in _saved)
            if (view.StorageVersion != version)
                throw new InvalidOperationException(
                    $"Backward: a tensor saved by {Name} (shape {Layout.Format(original.Layout.Shape)}, {original.DType.Name()}) was " +
                    $"modified by an in-place operation: its version is {view.StorageVersion}, expected {version}. " +
                    "Use the out-of-place form of the op (e.g. Add instead of Add_), or Clone() the tensor first.");
        return Backward(gradOutput);
    }

    internal void Release()
    {
        IsReleased = true;
        foreach (var (view, _, _) in _saved) view.Dispose();
        _saved.Clear();
    }

    /// <summary>PyTorch's notation: <c>&lt;MulBackward&gt;</c>.</summary>
    public override string ToString() => $"<{Name}>";
}

/// <summary>An input's destination: its own node, or (for a leaf) the tensor whose Grad accumulates.</summary>
internal readonly record struct Edge(Node? Node, Tensor? Leaf);
