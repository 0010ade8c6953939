using Tensors.Fusion;
using Xunit;

namespace Tensors.Tests.Fusion;

/// <summary>
/// A deferred result must hold the values its ops had when they were called: writes into its inputs afterwards (through
/// any in-place op or view), disposing its inputs, threads and the garbage collector must not change them.
/// </summary>
public class DeferredValueTests
{
    private static readonly float[] A = [1, -2, 3, -4, 5, -6];
    private static readonly float[] B = [0.5f, 0.25f, -1, 2, -3, 4];
    private static readonly float[] AMinusBAbs = A.Zip(B, (a, b) => Math.Abs(a - b)).ToArray();

    private static (Tensor A, Tensor B, Tensor Pending) Make()
    {
        var a = Tensor.From(A, [2, 3]);
        var b = Tensor.From(B, [2, 3]);
        Tensor d;
        // The scope disposes the intermediate a - b (pending too, until disposed it reads a and b as well).
        using (var scope = Tensor.NewDisposeScope())
        using (Deferral.DeferEverything()) d = scope.MoveToOuter((a - b).Abs());
        Assert.True(d.IsPending);
        return (a, b, d);
    }

    public static TheoryData<string> Writes => new()
    {
        "Add_", "Sub_", "Mul_", "Div_", "Relu_", "Fill_", "Zero_", "CopyFrom_", "MaskedFill_", "IndexPut_", "Scatter_",
        "ScatterAdd_", "IndexAdd_", "Uniform_", "Normal_", "Bernoulli_", "view Fill_", "indexer set",
    };

    [Theory]
    [MemberData(nameof(Writes))]
    public void WritingAnInputAfterwardsLeavesTheDeferredValuesAlone(string write)
    {
        var (a, b, d) = Make();
        using (a) using (b) using (d)
        {
            using var scope = Tensor.NewDisposeScope();
            using var mask = Tensor.From(new[] { true, false, true, false, true, false }, [2, 3]);
            using var index = Tensor.From(new long[] { 1, 0, 1 }, [1, 3]);
            _ = write switch
            {
                "Add_" => a.Add_(10), "Sub_" => a.Sub_(10), "Mul_" => a.Mul_(10), "Div_" => a.Div_(10), "Relu_" => a.Relu_(),
                "Fill_" => a.Fill_(7), "Zero_" => a.Zero_(), "CopyFrom_" => a.CopyFrom_(Tensor.Ones([2, 3])),
                "MaskedFill_" => a.MaskedFill_(mask, 9), "IndexPut_" => a.IndexPut_(mask, Tensor.From(new float[] { 8 })),
                "Scatter_" => a.Scatter_(0, index, Tensor.Ones([1, 3])), "ScatterAdd_" => a.ScatterAdd_(0, index, Tensor.Ones([1, 3])),
                "IndexAdd_" => a.IndexAdd_(0, Tensor.From(new long[] { 1 }), Tensor.Ones([1, 3])),
                "Uniform_" => a.Uniform_(), "Normal_" => a.Normal_(), "Bernoulli_" => a.Bernoulli_(0.5),
                "view Fill_" => a[1].Fill_(100),
                "indexer set" => a[0, 1..] = Tensor.From(new float[] { 40, 50 }),
                _ => throw new ArgumentException(write),
            };
            Assert.False(d.IsPending); // computed before the write
            Assert.Equal(AMinusBAbs, d.ToArray<float>());
        }
    }

    [Fact]
    public void WritingTheDeferredTensorItselfComputesItFirst()
    {
        var (a, b, d) = Make();
        using (a) using (b) using (d)
        {
            d.Add_(1);
            Assert.Equal(AMinusBAbs.Select(x => x + 1), d.ToArray<float>());
        }
    }

    [Fact]
    public void InputsDisposedBeforeTheValuesAreReadStayAliveForThem()
    {
        var (a, b, d) = Make();
        var storages = (a.Storage, b.Storage);
        a.Dispose();
        b.Dispose();
        Assert.False(storages.Item1.IsReleased);
        Assert.Equal(AMinusBAbs, d.ToArray<float>());
        Assert.True(storages.Item1.IsReleased); // released once computed
        Assert.True(storages.Item2.IsReleased);
        d.Dispose();
    }

    [Fact]
    public void DisposingAnUncomputedResultReleasesItsInputs()
    {
        var (a, b, d) = Make();
        var storage = a.Storage;
        d.Dispose();
        Assert.Equal(0, storage.ReaderCount);
        a.Dispose();
        b.Dispose();
        Assert.True(storage.IsReleased);
    }

    [Fact]
    public void ComputedResultsLeaveTheirInputsReaderLists()
    {
        var (a, b, d) = Make();
        using (a) using (b) using (d)
        {
            Assert.Equal(1, a.Storage.ReaderCount);
            d.Compute();
            Assert.False(d.IsPending);
            Assert.Equal(0, a.Storage.ReaderCount);
        }
    }

    [Fact]
    public void ResultsCollectedUncomputedDoNotPileUpOnTheirInputs()
    {
        using var a = Tensor.From(A, [2, 3]);
        void MakeGarbage()
        {
            using var everything = Deferral.DeferEverything();
            for (int i = 0; i < 100; i++) _ = a * 2; // never disposed, never read
        }
        MakeGarbage();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using (Deferral.DeferEverything()) using (var kept = a * 3)
        {
            Assert.Equal(1, a.Storage.ReaderCount); // the dead ones were dropped as this one came
            a.Add_(1); // and a write finds only the live one to compute
            Assert.Equal(A.Select(x => x * 3), kept.ToArray<float>());
        }
    }

    [Fact]
    public void ThreadsReadingOneDeferredResultSeeTheSameValues()
    {
        var (a, b, d) = Make();
        using (a) using (b) using (d)
        {
            var results = new float[8][];
            Parallel.For(0, 8, i => results[i] = i % 2 == 0 ? d.ToArray<float>() : d.Sum([1]).ToArray<float>());
            for (int i = 0; i < 8; i += 2) Assert.Equal(AMinusBAbs, results[i]);
            for (int i = 1; i < 8; i += 2) TestUtil.AllClose([AMinusBAbs[..3].Sum(), AMinusBAbs[3..].Sum()], results[i]);
        }
    }

    [Fact]
    public void ChainsPastTheLimitsAreComputedInParts()
    {
        using var scope = Tensor.NewDisposeScope();
        using var everything = Deferral.DeferEverything();
        var x = Tensor.From(A, [2, 3]);
        var v = x;
        double[] expected = A.Select(a => (double)a).ToArray();
        for (int i = 0; i < 3 * ElementwiseExpression.MaxSteps; i++)
        {
            // A new scalar leaf each step, so the leaf limit is passed too.
            v = i % 2 == 0 ? v + (i + 1) : v * 0.5;
            expected = expected.Select(e => i % 2 == 0 ? (double)(float)(e + (i + 1)) : (double)(float)(e * 0.5)).ToArray();
        }
        Assert.True(v.IsPending);
        Assert.Equal(expected.Select(e => (float)e), v.ToArray<float>());
    }

    [Fact]
    public void RecordedOpsWaitTooAndTheirGradientsAreThoseOfOneOpAtATime()
    {
        float[] Grad(bool fused)
        {
            using var scope = Tensor.NewDisposeScope();
            using IDisposable mode = fused ? Deferral.DeferEverything() : Deferral.Suspend();
            var w = Tensor.From(A, [2, 3]).RequiresGrad_();
            var c = (Tensor.From(B, [2, 3]) * 2).Abs(); // a deferred constant
            Assert.Equal(fused, c.IsPending);
            // Mul saves c for its backward (computing it), the sums save nothing: w * c + w - c waits as one chain.
            var y = w * c + w - c;
            Assert.Equal(fused, y.IsPending);
            Assert.NotNull(y.GradFn);
            var z = (y.Relu() - w.Sqrt()).Abs();
            z.Mean([1]).Sum().Backward();
            return w.Grad!.ToArray<float>();
        }
        Assert.Equal(Grad(false), Grad(true));
    }

    [Fact]
    public void TurnedOffInAScopeEveryResultIsComputedAtOnce()
    {
        using var a = Tensor.Rand([300, 300]);
        using (Deferral.Suspend()) using (var d = a * 2) Assert.False(d.IsPending);
        using (var d = a * 2) Assert.True(d.IsPending); // 90,000 elements: past the default threshold
    }

    [Fact]
    public void OperandsThatChangePositionEveryFewElementsAreComputedAtOnce()
    {
        // A batch norm's centring: the per-channel means over 7x7 planes change every 49 elements, as does a broadcast
        // 7x7 plane; a scalar (or a same-shape tensor) is one run of all 200,704 elements.
        using var x = Tensor.Rand([64, 64, 7, 7]);
        using var mean = Tensor.Rand([1, 64, 1, 1]);
        using var plane = Tensor.Rand([7, 7]);
        using (var centred = x - mean)
        {
            Assert.Equal(Deferral.MinInnerRun <= 49, centred.IsPending);
            using var expected = Deferral.Suspend();
            using var again = x - mean;
            Assert.Equal(again.ToArray<float>(), centred.ToArray<float>());
        }
        using (var shifted = x - plane) Assert.Equal(Deferral.MinInnerRun <= 49, shifted.IsPending);
        using (var twice = x * 2) Assert.True(twice.IsPending);
        using (var sum = x + x) Assert.True(sum.IsPending);
    }
}
