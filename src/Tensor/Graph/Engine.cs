namespace Tensors.Graph;

/// <summary>Runs the backward pass: an iterative topological sort (deep graphs cannot overflow the stack), then
/// each node's formula in reverse order, summing the gradients that meet at a node or leaf.</summary>
internal static class Engine
{
    public static void Backward(Tensor root, Tensor gradient, bool retainGraph)
    {
        using var _ = Autograd.Suspend();
        if (root.GradFn is null)
        {
            root.AccumulateGrad(gradient);
            return;
        }
        var order = TopologicalOrder(root.GradFn);
        var pending = new Dictionary<Node, Tensor> { [root.GradFn] = gradient };
        // The gradients the pass made itself are freed as soon as nothing needs them any more (as PyTorch's refcounts
        // do), rather than all at the end of the caller's DisposeScope: otherwise every intermediate gradient of the
        // pass is alive at once. holders counts the pending entries that hold each one; the caller's gradient is
        // never freed here.
        var holders = new Dictionary<Tensor, int>(ReferenceEqualityComparer.Instance);
        var done = new List<Tensor>();
        for (int k = order.Count - 1; k >= 0; k--)
        {
            var node = order[k];
            if (!pending.Remove(node, out var g)) continue;
            Drop(holders, g);
            var grads = node.Apply(g);
            done.Add(g);
            for (int i = 0; i < node.Inputs.Length; i++)
            {
                var edge = node.Inputs[i];
                var gi = grads[i];
                if (gi is null) continue;
                done.Add(gi);
                if (edge.Node is not null)
                {
                    if (pending.TryGetValue(edge.Node, out var prev))
                    {
                        Drop(holders, prev);
                        done.Add(prev);
                        gi = prev + gi;
                    }
                    pending[edge.Node] = gi;
                    holders[gi] = holders.GetValueOrDefault(gi) + 1;
                }
                else if (edge.Leaf is not null)
                    edge.Leaf.AccumulateGrad(gi);   // copies: the leaf never holds gi itself
            }
            if (!retainGraph) node.Release();
            foreach (var t in done)
                if (!ReferenceEquals(t, gradient) && !holders.ContainsKey(t)) t.Dispose();
            done.Clear();
        }
    }

    private static void Drop(Dictionary<Tensor, int> holders, Tensor t)
    {
        if (holders.TryGetValue(t, out int n))
        {
            if (n > 1) holders[t] = n - 1;
            else holders.Remove(t);
        }
    }

    // Post-order (inputs before the nodes that use them), found with an explicit stack.
    private static List<Node> TopologicalOrder(Node root)
    {
        var order = new List<Node>();
        var visited = new HashSet<Node> { root };
        var stack = new Stack<(Node Node, int Next)>();
        stack.Push((root, 0));
        while (stack.Count > 0)
        {
            var (node, next) = stack.Pop();
            if (next < node.Inputs.Length)
            {
                stack.Push((node, next + 1));
                var child = node.Inputs[next].Node;
                if (child is not null && visited.Add(child)) stack.Push((child, 0));
            }
            else order.Add(node);
        }
        return order;
    }
}
