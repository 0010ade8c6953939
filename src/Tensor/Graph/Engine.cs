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
        for (int k = order.Count - 1; k >= 0; k--)
        {
            var node = order[k];
            if (!pending.Remove(node, out var g)) continue;
            var grads = node.Apply(g);
            for (int i = 0; i < node.Inputs.Length; i++)
            {
                var edge = node.Inputs[i];
                var gi = grads[i];
                if (gi is null) continue;
                if (edge.Node is not null)
                    pending[edge.Node] = pending.TryGetValue(edge.Node, out var prev) ? prev + gi : gi;
                else if (edge.Leaf is not null)
                    edge.Leaf.AccumulateGrad(gi);
            }
            if (!retainGraph) node.Release();
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
