namespace Tensors.Data;

/// <summary>Indexed (input, target) pairs.</summary>
public interface IDataset
{
    /// <summary>The number of items.</summary>
    int Count { get; }

    /// <summary>The item at <paramref name="index"/>.</summary>
    /// <param name="index">The position, 0..Count-1.</param>
    (Tensor Input, Tensor Target) this[int index] { get; }

    /// <summary>The items at <paramref name="indices"/>, stacked along a new first dim.</summary>
    /// <param name="indices">The positions of the items, each 0..Count-1, in batch order.</param>
    (Tensor Input, Tensor Target) GetBatch(int[] indices);
}

/// <summary>
/// Inputs and targets zipped along their first dim (fastai's <c>list(zip(x, y))</c>, PyTorch's TensorDataset).
/// Items are views; batches are gathered rows.
/// </summary>
public sealed class TensorDataset : IDataset
{
    /// <summary>Zips <paramref name="inputs"/> and <paramref name="targets"/>, which must have the same length.</summary>
    /// <param name="inputs">The inputs, one item per entry of the first dim.</param>
    /// <param name="targets">The targets, as many as <paramref name="inputs"/> along the first dim.</param>
    /// <exception cref="ArgumentException">Either tensor is 0-d, or their first dims differ.</exception>
    public TensorDataset(Tensor inputs, Tensor targets)
    {
        if (inputs.Rank == 0 || targets.Rank == 0 || inputs.Layout.Shape[0] != targets.Layout.Shape[0])
            throw new ArgumentException(
                $"TensorDataset: inputs {Layout.Format(inputs.Layout.Shape)} and targets {Layout.Format(targets.Layout.Shape)} must have the same first dim.");
        Inputs = inputs;
        Targets = targets;
    }

    /// <summary>All inputs.</summary>
    public Tensor Inputs { get; }

    /// <summary>All targets.</summary>
    public Tensor Targets { get; }

    /// <inheritdoc />
    public int Count => Inputs.Layout.Shape[0];

    /// <inheritdoc />
    public (Tensor Input, Tensor Target) this[int index] => (Inputs[index], Targets[index]);

    /// <inheritdoc />
    public (Tensor Input, Tensor Target) GetBatch(int[] indices)
    {
        using var _ = Autograd.NoGrad();
        return (Inputs.IndexSelect(0, indices), Targets.IndexSelect(0, indices));
    }
}
