using Tensors.Fusion;

namespace Tensors.Backends;

/// <summary>
/// What a backend implements, beside <see cref="IBackend"/>, to let elementwise ops wait: the tensor layer then hands
/// it whole chains of exactly rounded elementwise ops (<see cref="ElementwiseExpression"/>) to compute in one pass, or
/// to fold into a reduction without writing the chain's values out. Every result must equal, bit for bit, what the
/// same ops give one at a time through <see cref="IBackend"/>; a backend may decline a reduction it cannot fold so.
/// </summary>
internal interface IExpressionBackend
{
    /// <summary>Writes the expression's values into <paramref name="destination"/>.</summary>
    /// <param name="expression">The chain, over storages of this backend.</param>
    /// <param name="destination">The destination storage.</param>
    /// <param name="destinationLayout">A contiguous layout of the expression's shape.</param>
    void Evaluate(ElementwiseExpression expression, Storage destination, Layout destinationLayout);

    /// <summary>Reduces the expression's values over <paramref name="dims"/> as
    /// <see cref="IBackend.Reduce"/> would reduce them once computed, or returns false, doing nothing, when it cannot
    /// give that same result without computing them first.</summary>
    /// <param name="op">Sum, Max or Min.</param>
    /// <param name="expression">The chain.</param>
    /// <param name="dims">The reduced dims, sorted and distinct.</param>
    /// <param name="destination">The destination storage.</param>
    /// <param name="destinationLayout">The destination's layout with every reduced dim kept as size 1.</param>
    bool TryReduce(ReduceOp op, ElementwiseExpression expression, ReadOnlySpan<int> dims, Storage destination, Layout destinationLayout);
}
