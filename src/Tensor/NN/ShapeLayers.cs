namespace Tensors.NN;

/// <summary>Returns its input (PyTorch's <c>nn.Identity</c>), as a new tensor object over the same data.</summary>
public sealed class Identity : Module
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input.ViewAs("Identity");
}

/// <summary>
/// Splits dim <paramref name="dim"/> of its input into <paramref name="sizes"/> (PyTorch's <c>nn.Unflatten</c>,
/// the inverse of <see cref="Flatten"/>): [N, 12] with dim 1 and sizes [3, 4] becomes [N, 3, 4]. One size may be
/// -1, inferred from the others.
/// </summary>
/// <param name="dim">The dim to split (negative counts from the end).</param>
/// <param name="sizes">The new sizes; their product must be that dim's size.</param>
public sealed class Unflatten(int dim, int[] sizes) : Module
{
    private readonly int[] _sizes = (sizes ?? throw new ArgumentNullException(nameof(sizes))).ToArray();

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        int rank = input.Rank;
        if (dim < -rank || dim >= rank || rank == 0)
            throw new ArgumentException($"Unflatten: dim {dim} is out of range for an input of shape {Layout.Format(input.Layout.Shape)}.");
        int d = dim < 0 ? dim + rank : dim, size = input.Layout.Shape[d];
        int inferred = _sizes.Count(s => s == -1);
        long known = _sizes.Where(s => s != -1).Aggregate(1L, (a, s) => a * s);
        bool ok = _sizes.Length > 0 && inferred <= 1 && _sizes.All(s => s >= -1) &&
                  (inferred == 0 ? known == size : known != 0 && size % known == 0);
        if (!ok)
            throw new ArgumentException(
                $"Unflatten: provided sizes {Layout.Format(_sizes)} don't multiply up to the size of dim {dim} ({size}) in the input tensor of shape {Layout.Format(input.Layout.Shape)}.");
        int[] shape = [.. input.Layout.Shape[..d], .. _sizes, .. input.Layout.Shape[(d + 1)..]];
        return input.Reshape(shape);
    }
}
