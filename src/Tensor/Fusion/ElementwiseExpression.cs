using Tensors.Backends;

namespace Tensors.Fusion;

/// <summary>One input of an expression: a storage and its layout, broadcast to the expression's shape.</summary>
internal readonly record struct ExpressionLeaf(Storage Storage, Layout Layout);

/// <summary>
/// One op of an expression. An operand is a leaf when negative (leaf <c>-operand - 1</c>) and otherwise the result
/// of an earlier step; <see cref="B"/> is unused by unary steps.
/// </summary>
internal readonly record struct ExpressionStep(bool IsBinary, UnaryOp Unary, BinaryOp Binary, int A, int B)
{
    public static int Leaf(int index) => -index - 1;
}

/// <summary>
/// A chain of elementwise ops not yet computed: a few leaves (storages read through broadcast layouts) and steps
/// over them, every value of one dtype and one shape. A pending tensor holds one; a backend that implements
/// <see cref="IExpressionBackend"/> computes it in one pass, or folds it straight into a reduction, so that
/// <c>(a - b).Abs().Mean(dims)</c> never writes <c>a - b</c> or its absolute value to memory.
/// Immutable. Counted like a storage: it holds a reference on each leaf's storage until the last of its holders (the
/// pending tensor, and whoever is computing from it at the moment) releases it.
/// </summary>
internal sealed class ElementwiseExpression
{
    /// <summary>The CPU backend runs the destination and up to three inputs through one run plan.</summary>
    public const int MaxLeaves = 3;

    /// <summary>Longer chains are computed in parts: each step keeps a tile buffer.</summary>
    public const int MaxSteps = 8;

    private int _holds = 1;

    private ElementwiseExpression(DType dtype, int[] shape, ExpressionLeaf[] leaves, ExpressionStep[] steps)
    {
        DType = dtype;
        Shape = shape;
        Leaves = leaves;
        Steps = steps;
        foreach (var leaf in leaves) leaf.Storage.AddRef();
    }

    /// <summary>The dtype of every leaf, step and the result.</summary>
    public DType DType { get; }

    /// <summary>The result's shape; every leaf layout has it.</summary>
    public int[] Shape { get; }

    /// <summary>The inputs, each once.</summary>
    public ExpressionLeaf[] Leaves { get; }

    /// <summary>The ops in order; the last one's value is the result (none: the result is leaf 0).</summary>
    public ExpressionStep[] Steps { get; }

    /// <summary>A tensor's values as an expression of one leaf.</summary>
    /// <param name="storage">The tensor's storage (already computed).</param>
    /// <param name="layout">Its layout.</param>
    /// <param name="dtype">Its dtype.</param>
    public static ElementwiseExpression OfLeaf(Storage storage, Layout layout, DType dtype) =>
        new(dtype, layout.Shape.ToArray(), [new ExpressionLeaf(storage, layout)], []);

    /// <summary>op(x), or null when the chain would grow past <see cref="MaxSteps"/>.</summary>
    /// <param name="op">The unary op.</param>
    /// <param name="x">Its operand.</param>
    public static ElementwiseExpression? Unary(UnaryOp op, ElementwiseExpression x)
    {
        if (x.Steps.Length >= MaxSteps) return null;
        int last = x.Steps.Length == 0 ? ExpressionStep.Leaf(0) : x.Steps.Length - 1;
        return new(x.DType, x.Shape, x.Leaves, [.. x.Steps, new ExpressionStep(false, op, default, last, 0)]);
    }

    /// <summary>op(a, b) broadcast to <paramref name="shape"/>, or null when the leaves or steps would exceed the
    /// limits (the caller then computes an operand first).</summary>
    /// <param name="op">The binary op.</param>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand.</param>
    /// <param name="shape">The broadcast shape of the two.</param>
    public static ElementwiseExpression? Binary(BinaryOp op, ElementwiseExpression a, ElementwiseExpression b, int[] shape)
    {
        if (a.Steps.Length + b.Steps.Length + 1 > MaxSteps) return null;
        var leaves = new List<ExpressionLeaf>(MaxLeaves);
        foreach (var leaf in a.Leaves) leaves.Add(leaf with { Layout = leaf.Layout.BroadcastTo(shape) });
        var map = new int[b.Leaves.Length];
        for (int i = 0; i < b.Leaves.Length; i++)
        {
            var leaf = b.Leaves[i] with { Layout = b.Leaves[i].Layout.BroadcastTo(shape) };
            int same = leaves.FindIndex(l => ReferenceEquals(l.Storage, leaf.Storage) && SameLayout(l.Layout, leaf.Layout));
            if (same < 0) { same = leaves.Count; leaves.Add(leaf); }
            map[i] = same;
        }
        if (leaves.Count > MaxLeaves) return null;
        var steps = new ExpressionStep[a.Steps.Length + b.Steps.Length + 1];
        a.Steps.CopyTo(steps, 0);
        int shift = a.Steps.Length;
        int Moved(int operand) => operand < 0 ? ExpressionStep.Leaf(map[-operand - 1]) : operand + shift;
        for (int i = 0; i < b.Steps.Length; i++)
        {
            var s = b.Steps[i];
            steps[shift + i] = s with { A = Moved(s.A), B = s.IsBinary ? Moved(s.B) : 0 };
        }
        int resultA = a.Steps.Length == 0 ? ExpressionStep.Leaf(0) : a.Steps.Length - 1;
        int resultB = b.Steps.Length == 0 ? ExpressionStep.Leaf(map[0]) : shift + b.Steps.Length - 1;
        steps[^1] = new ExpressionStep(true, default, op, resultA, resultB);
        return new(a.DType, shape, [.. leaves], steps);
    }

    /// <summary>The number of elements in the innermost stretch of the shape that every leaf reads as one run
    /// (contiguous, or one broadcast value throughout): the longest block a backend can compute between changes of
    /// position (size-1 dims do not count).</summary>
    public long InnerRun()
    {
        long run = 0;
        Span<int> step = Leaves.Length <= 8 ? stackalloc int[Leaves.Length] : new int[Leaves.Length];
        for (int d = Shape.Length - 1; d >= 0; d--)
        {
            int size = Shape[d];
            if (size == 1) continue;
            if (run == 0)
            {
                for (int k = 0; k < Leaves.Length; k++) step[k] = Leaves[k].Layout.Strides[d];
                run = size;
                continue;
            }
            for (int k = 0; k < Leaves.Length; k++)
                if (step[k] * run != Leaves[k].Layout.Strides[d]) return run;
            run *= size;
        }
        return Math.Max(run, 1);
    }

    private static bool SameLayout(Layout x, Layout y) =>
        x.Offset == y.Offset && x.Shape.SequenceEqual(y.Shape) && x.Strides.SequenceEqual(y.Strides);

    /// <summary>True when the expression reads <paramref name="storage"/>.</summary>
    /// <param name="storage">The storage to look for.</param>
    public bool Reads(Storage storage)
    {
        foreach (var leaf in Leaves)
            if (ReferenceEquals(leaf.Storage, storage)) return true;
        return false;
    }

    /// <summary>Takes one more hold, unless the last was already released (the values then live in the tensor that
    /// held it); so a reader on one thread keeps the leaves alive while another thread computes and drops it.</summary>
    public bool TryRetain()
    {
        for (int holds = Volatile.Read(ref _holds); holds > 0; holds = Volatile.Read(ref _holds))
            if (Interlocked.CompareExchange(ref _holds, holds + 1, holds) == holds) return true;
        return false;
    }

    /// <summary>Drops one hold; the last releases the leaves' storages.</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref _holds) == 0)
            foreach (var leaf in Leaves) leaf.Storage.Release();
    }
}
