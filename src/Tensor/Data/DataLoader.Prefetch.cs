namespace Tensors.Data;

public sealed partial class DataLoader
{
    /// <summary>
    /// The batches of one epoch from batch <paramref name="first"/> on, each built on a thread-pool worker while the consumer uses the one before (bounded:
    /// one batch ahead, so at most two batches live). The worker runs without the consumer's execution context, so
    /// its tensors belong to no <see cref="DisposeScope"/> of the consumer's and see no NoGrad of it; it builds under
    /// its own scope and NoGrad, keeping only the batch (the dataset's temporaries are disposed there). The consumer
    /// then adopts each batch into its current scope when it takes it, as a batch made on its own thread would be. An
    /// exception of the dataset is rethrown on the consumer's thread when it reaches that batch; disposing the
    /// enumerator (leaving the foreach) waits for the batch in flight and disposes it, so no worker outlives it.
    /// A batch that no worker has started when the consumer asks for it is built on the consumer's thread instead
    /// (the task is inlined), with the same ownership.
    /// </summary>
    private IEnumerable<(Tensor Input, Tensor Target)> Prefetched(int[] order, int first)
    {
        int count = Count;
        Task<(Tensor Input, Tensor Target)>? next = count > first ? Start(order, first) : null;
        try
        {
            for (int b = first; b < count; b++)
            {
                var batch = next!.GetAwaiter().GetResult();
                next = b + 1 < count ? Start(order, b + 1) : null;
                DisposeScope.Register(batch.Input);
                DisposeScope.Register(batch.Target);
                yield return batch;
            }
        }
        finally
        {
            if (next is not null)
                try
                {
                    var (input, target) = next.GetAwaiter().GetResult();
                    input.Dispose();
                    target.Dispose();
                }
                catch (Exception)
                {
                    // The consumer stopped before this batch; its failure is not the consumer's to see.
                }
        }
    }

    private Task<(Tensor Input, Tensor Target)> Start(int[] order, int b)
    {
        var indices = Indices(order, b);
        // A thread of its own (LongRunning), not a pool thread: the pool is what the training step's parallel GEMM
        // and reductions keep busy, and a queued batch could wait behind them for as long as the step takes.
        using (ExecutionContext.SuppressFlow())
            return Task.Factory.StartNew(() =>
            {
                using var scope = DisposeScope.Enter();
                using var _ = Autograd.NoGrad();
                var (input, target) = Dataset.GetBatch(indices);
                return (scope.MoveToOuter(input), scope.MoveToOuter(target));
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }
}
