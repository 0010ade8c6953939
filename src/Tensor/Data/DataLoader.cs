using System.Collections;

namespace Tensors.Data;

/// <summary>
/// Batches of a dataset (PyTorch's DataLoader, fastai's DataLoader): <paramref name="batchSize"/> items at a time,
/// in order or shuffled anew each epoch from a seeded generator, the last short batch kept unless
/// <paramref name="dropLast"/>, and moved to <paramref name="device"/> when one is given (fastai's <c>device</c>).
/// With <paramref name="prefetch"/> the next batch is built on a background worker while the consumer uses this one
/// (fastai's worker): see <see cref="Prefetch"/>.
/// </summary>
/// <param name="dataset">The items.</param>
/// <param name="batchSize">Items per batch.</param>
/// <param name="shuffle">Shuffle the order anew each epoch; default <c>false</c>.</param>
/// <param name="seed">The seed of the shuffling generator; default 42.</param>
/// <param name="dropLast">Drop the last short batch (fastai's training loader does); default <c>false</c>.</param>
/// <param name="device">Where batches go, or null to leave them where the dataset makes them; default null.</param>
/// <param name="prefetch">Build the next batch on a background worker, one batch ahead; default <c>false</c>.</param>
public sealed partial class DataLoader(IDataset dataset, int batchSize, bool shuffle = false, ulong seed = 42, bool dropLast = false,
    Device? device = null, bool prefetch = false)
    : IEnumerable<(Tensor Input, Tensor Target)>
{
    private readonly Generator _generator = new(seed);
    private readonly int _batchSize = batchSize > 0
        ? batchSize
        : throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "DataLoader: batchSize must be positive.");

    /// <summary>The generator of the shuffles (its position is the data order's state, which checkpoints save).</summary>
    internal Generator ShuffleGenerator => _generator;

    /// <summary>The dataset.</summary>
    public IDataset Dataset { get; } = dataset;

    /// <summary>Where batches go, or null to leave them where the dataset makes them.</summary>
    public Device? Device { get; } = device;

    /// <summary>Items per batch.</summary>
    public int BatchSize => _batchSize;

    /// <summary>True when the next batch is built on a background worker while the consumer uses this one (fastai's
    /// worker): at most one batch ahead, in the same order; an exception of the dataset surfaces on the consumer's
    /// thread when it reaches that batch; leaving the loop early waits for the batch in flight and disposes it; the
    /// batches belong to the consumer's dispose scope as without prefetching. The dataset's <c>GetBatch</c> then runs
    /// on a thread-pool thread (never two at once), so prefetching suits datasets that build batches on the CPU; the
    /// move to <see cref="Device"/> stays on the consumer's thread.</summary>
    public bool Prefetch { get; } = prefetch;

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
    /// scope does); they belong to the consumer's dispose scope, if any, as if made where it asks for them.</summary>
    public IEnumerator<(Tensor Input, Tensor Target)> GetEnumerator() => Batches(0).GetEnumerator();

    /// <summary>One epoch of batches from batch <paramref name="first"/> on: the epoch's order is drawn whole, as
    /// for the full epoch, and the batches before <paramref name="first"/> are not built (a learner resuming in the
    /// middle of an epoch).</summary>
    internal IEnumerable<(Tensor Input, Tensor Target)> Batches(int first)
    {
        var order = Order();
        var batches = Prefetch ? Prefetched(order, first) : Enumerable.Range(first, Count - first).Select(b => Dataset.GetBatch(Indices(order, b)));
        foreach (var batch in batches) yield return Device is { } d ? MoveTo(batch, d) : batch;
    }

    /// <summary>The items of batch <paramref name="b"/>.</summary>
    private int[] Indices(int[] order, int b) => order[(b * _batchSize)..Math.Min(order.Length, (b + 1) * _batchSize)];

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
