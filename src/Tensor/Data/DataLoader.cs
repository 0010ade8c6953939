using System.Collections;

namespace Tensors.Data;

/// <summary>
/// Batches of a dataset (PyTorch's DataLoader, fastai's DataLoader): <paramref name="batchSize"/> items at a time,
/// in order or shuffled anew each epoch from a seeded generator, the last short batch kept unless
/// <paramref name="dropLast"/>, and moved to <paramref name="device"/> when one is given (fastai's <c>device</c>).
/// </summary>
public sealed class DataLoader(IDataset dataset, int batchSize, bool shuffle = false, ulong seed = 42, bool dropLast = false, Device? device = null)
    : IEnumerable<(Tensor Input, Tensor Target)>
{
    private readonly Generator _generator = new(seed);
    private readonly int _batchSize = batchSize > 0
        ? batchSize
        : throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "DataLoader: batchSize must be positive.");

    /// <summary>The dataset.</summary>
    public IDataset Dataset { get; } = dataset;

    /// <summary>Items per batch.</summary>
    public int BatchSize => _batchSize;

    /// <summary>The number of batches per epoch.</summary>
    public int Count => dropLast ? Dataset.Count / _batchSize : (Dataset.Count + _batchSize - 1) / _batchSize;

    /// <summary>The item order of the next epoch: 0..n-1, or a Fisher-Yates shuffle of it.</summary>
    private int[] Order()
    {
        var order = Enumerable.Range(0, Dataset.Count).ToArray();
        if (!shuffle) return order;
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = _generator.NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    /// <summary>One epoch of batches. Each batch is new tensors, which the consumer disposes (the Learner's dispose
    /// scope does).</summary>
    public IEnumerator<(Tensor Input, Tensor Target)> GetEnumerator()
    {
        var order = Order();
        for (int b = 0; b < Count; b++)
        {
            int start = b * _batchSize;
            var batch = Dataset.GetBatch(order[start..Math.Min(order.Length, start + _batchSize)]);
            yield return device is { } d ? MoveTo(batch, d) : batch;
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>A batch on <paramref name="device"/>; the tensors it replaces are disposed.</summary>
    internal static (Tensor Input, Tensor Target) MoveTo((Tensor Input, Tensor Target) batch, Device device)
    {
        if (batch.Input.Device == device && batch.Target.Device == device) return batch;
        var moved = (batch.Input.To(device), batch.Target.To(device));
        batch.Input.Dispose();
        batch.Target.Dispose();
        return moved;
    }
}

/// <summary>A training and a validation loader (fastai's DataLoaders).</summary>
/// <param name="Train">Batches to learn from (usually shuffled).</param>
/// <param name="Valid">Batches to measure on.</param>
public sealed record DataLoaders(DataLoader Train, DataLoader Valid);
