using System.Collections.Concurrent;
using Tensors.Data;
using Xunit;

namespace Tensors.Tests.Data;

public class PrefetchTests
{
    /// <summary>Items i -> (i, 10 i); records each GetBatch, may block until released, and may fail at a batch.</summary>
    private sealed class Probe(int count, int failAt = -1) : IDataset
    {
        public ConcurrentQueue<int> Calls { get; } = new();
        public ConcurrentBag<Tensor> Temporaries { get; } = new();
        public ConcurrentQueue<(Tensor Input, Tensor Target)> Batches { get; } = new();
        public SemaphoreSlim? Gate { get; init; }
        public int Count => count;
        public (Tensor Input, Tensor Target) this[int index] => GetBatch([index]);

        public (Tensor Input, Tensor Target) GetBatch(int[] indices)
        {
            Gate?.Wait();
            Calls.Enqueue(indices[0]);
            if (indices[0] == failAt) throw new InvalidOperationException($"Probe: batch at item {failAt} is broken.");
            var temp = Tensor.From(indices.Select(i => (float)i).ToArray(), indices.Length);
            Temporaries.Add(temp);
            var batch = (temp * 1, temp * 10);
            Batches.Enqueue(batch);
            return batch;
        }
    }

    // Generous: the worker runs on the thread pool, which tests running beside this one may keep busy for a while.
    private static bool Eventually(Func<bool> condition)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.ElapsedMilliseconds < 60_000)
        {
            if (condition()) return true;
            Thread.Sleep(5);
        }
        return condition();
    }

    [Fact]
    public void PrefetchGivesTheSameBatchesInTheSameOrder()
    {
        static float[][] Epochs(bool prefetch)
        {
            var dl = new DataLoader(new Probe(50), 7, shuffle: true, seed: 3, prefetch: prefetch);
            return [.. Enumerable.Range(0, 3).SelectMany(_ => dl.Select(b => b.Input.ToArray<float>().Concat(b.Target.ToArray<float>()).ToArray()))];
        }
        var plain = Epochs(false);
        var ahead = Epochs(true);
        Assert.Equal(3 * 8, ahead.Length);
        Assert.Equal(plain, ahead);
        Assert.True(new DataLoader(new Probe(1), 1, prefetch: true).Prefetch);
        Assert.Empty(new DataLoader(new Probe(0), 4, prefetch: true));
    }

    [Fact]
    public void TheNextBatchIsBuiltOnAWorkerOneBatchAhead()
    {
        var probe = new Probe(40);
        using var e = new DataLoader(probe, 4, prefetch: true).GetEnumerator();
        for (int taken = 1; taken <= 10; taken++)
        {
            Assert.True(e.MoveNext());
            Assert.Equal((taken - 1) * 4f, e.Current.Input.ToArray<float>()[0]);
            // While the consumer holds batch `taken`, the worker builds the next one, and no more.
            int expected = Math.Min(taken + 1, 10);
            Assert.True(Eventually(() => probe.Calls.Count == expected), $"{probe.Calls.Count} batches built after taking {taken}");
            Thread.Sleep(20);
            Assert.Equal(expected, probe.Calls.Count);
        }
        Assert.False(e.MoveNext());
        // The dataset's temporaries were disposed by the worker's own scope; the batches were not.
        Assert.All(probe.Temporaries, t => Assert.True(t.IsDisposed));
    }

    [Fact]
    public void TheDatasetsExceptionSurfacesOnTheConsumerAtItsBatch()
    {
        var dl = new DataLoader(new Probe(20, failAt: 8), 4, prefetch: true);
        using var e = dl.GetEnumerator();
        Assert.True(e.MoveNext());
        Assert.True(e.MoveNext());   // batch 1 is fine even though the worker has already failed on batch 2
        var ex = Assert.Throws<InvalidOperationException>(() => e.MoveNext());
        Assert.Contains("batch at item 8 is broken", ex.Message);
    }

    [Fact]
    public void DisposingTheEnumeratorStopsTheWorkerAndDisposesTheBatchInFlight()
    {
        var gate = new SemaphoreSlim(1);
        var probe = new Probe(40) { Gate = gate };
        var e = new DataLoader(probe, 4, prefetch: true).GetEnumerator();
        Assert.True(e.MoveNext());            // batch 0 passed the gate; batch 1 waits at it
        var disposer = new Thread(e.Dispose);
        disposer.Start();
        Assert.False(disposer.Join(50));      // Dispose waits for the batch in flight...
        gate.Release();
        Assert.True(disposer.Join(60_000));   // ...and returns once it is built
        gate.Release(100);
        Thread.Sleep(50);
        Assert.Equal(2, probe.Calls.Count);   // nothing was built after it
        Assert.Equal(2, probe.Batches.Count);
        var (taken, inFlight) = (probe.Batches.First(), probe.Batches.Last());
        Assert.False(taken.Input.IsDisposed);                               // the consumer's, to dispose
        Assert.True(inFlight.Input.IsDisposed && inFlight.Target.IsDisposed); // never handed out, so disposed
        Assert.False(e.MoveNext());
    }

    [Fact]
    public void BatchesBelongToTheConsumersScopeNotToOneLiveWhileTheWorkerBuiltThem()
    {
        var dl = new DataLoader(new Probe(12), 4, prefetch: true);
        using var e = dl.GetEnumerator();
        (Tensor Input, Tensor Target) first;
        using (DisposeScope.Enter())
        {
            Assert.True(e.MoveNext());
            first = e.Current;
            Assert.True(Eventually(() => ((Probe)dl.Dataset).Calls.Count == 2));  // batch 1 built while this scope lives
        }
        Assert.True(first.Input.IsDisposed && first.Target.IsDisposed);        // the consumer's scope owned batch 0
        Assert.True(e.MoveNext());
        Assert.Equal([4f, 5f, 6f, 7f], e.Current.Input.ToArray<float>());      // batch 1 was not owned by it
        Assert.False(e.Current.Input.IsDisposed);
        e.Current.Input.Dispose();
        e.Current.Target.Dispose();
    }

    [Fact]
    public void PrefetchedBatchesMoveToTheLoadersDevice()
    {
        var dl = new DataLoader(new Probe(8), 4, device: Device.Cpu, prefetch: true);
        Assert.Equal([Device.Cpu, Device.Cpu], dl.Select(b => b.Input.Device));
    }
}
