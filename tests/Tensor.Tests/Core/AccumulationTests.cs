using Xunit;

namespace Tensors.Tests.Core;

/// <summary>
/// Sums accumulate without drift on every CPU path: float32 adds into float64, so counts past 2^24 stay exact and
/// the small terms of a cancelling sum survive. Expected values are exact (every partial sum fits a float64, and
/// the totals are float32 numbers).
/// </summary>
public class AccumulationTests
{
    // 1e8, 1, -1e8 repeated: a float32 accumulator that holds 1e8 (ulp 8) drops the 1; the true sum is one per triple.
    private static float[] Cancelling(int triples)
    {
        var x = new float[3 * triples];
        for (int i = 0; i < triples; i++) { x[3 * i] = 1e8f; x[3 * i + 1] = 1; x[3 * i + 2] = -1e8f; }
        return x;
    }

    [Fact]
    public void CountsPast2To24StayExactAlongTheOuterDim()
    {
        using var ones = Tensor.Ones(20_000_000, 2);
        using var sum0 = ones.Sum(0);
        Assert.Equal([2e7f, 2e7f], sum0.ToArray<float>());
        using var all = ones.Sum();
        Assert.Equal(4e7f, all.Item<float>());
    }

    [Fact]
    public void MeanOfAMillionTenthsIsATenth()
    {
        using var x = Tensor.Full([1_000_000, 4], 0.1);
        using var mean0 = x.Mean(0);
        Assert.Equal([0.1f, 0.1f, 0.1f, 0.1f], mean0.ToArray<float>());
        using var mean = x.Mean();
        Assert.Equal(0.1f, mean.Item<float>());
    }

    [Theory]
    [InlineData(1_000)]      // one short run, serial
    [InlineData(100_000)]    // 300k elements: split across cores, and runs longer than one piece
    public void CancellingSumsKeepTheSmallTerms(int triples)
    {
        var data = Cancelling(triples);
        float expected = triples;

        // Inner: the whole tensor, contiguous.
        using var v = Tensor.From(data);
        using (var s = v.Sum()) Assert.Equal(expected, s.Item<float>());

        // Outer: the cancelling sequence down each column of a [3n, 4] tensor.
        var rows = new float[data.Length * 4];
        for (int i = 0; i < data.Length; i++) for (int j = 0; j < 4; j++) rows[4 * i + j] = data[i];
        using var m = Tensor.From(rows, data.Length, 4);
        using (var s = m.Sum(0)) Assert.Equal([expected, expected, expected, expected], s.ToArray<float>());

        // Strided: the columns as rows of the transpose (inner reduction over a stride-4 run) and one column alone.
        using var t = m.Transpose(0, 1);
        using (var s = t.Sum(1)) Assert.Equal([expected, expected, expected, expected], s.ToArray<float>());
        using var col = m.Select(1, 2);
        using (var s = col.Sum()) Assert.Equal(expected, s.Item<float>());

        // Every other element of an interleaved tensor: the sequence again, read with stride 2.
        using var wide = Tensor.From(data.SelectMany(x => new[] { x, 12345f }).ToArray());
        using var odd = wide.Slice(0, 0, wide.Shape[0], 2);
        using (var s = odd.Sum()) Assert.Equal(expected, s.Item<float>());
    }

    [Fact]
    public void ReducingSeveralDimsAtOnceIsExact()
    {
        // [n, 2, 3] over dims 0 and 2: runs of 3 fold into an accumulator that many runs share.
        var data = Cancelling(50_000);
        var x = new float[data.Length * 6];
        for (int i = 0; i < data.Length; i++) for (int j = 0; j < 6; j++) x[6 * i + j] = data[i];
        using var t = Tensor.From(x, data.Length, 2, 3);
        using var s = t.Sum([0, 2]);
        Assert.Equal([150_000f, 150_000f], s.ToArray<float>());
    }

    [Fact]
    public void IntegerSumsAccumulateInInt64()
    {
        var big = Enumerable.Repeat(int.MaxValue, 300_000).ToArray();
        using var x = Tensor.From(big, 100_000, 3);
        using var all = x.Sum();
        Assert.Equal(DType.Int64, all.DType);
        Assert.Equal(300_000L * int.MaxValue, all.Item<long>());
        using var dim0 = x.Sum(0);
        Assert.Equal([100_000L * int.MaxValue, 100_000L * int.MaxValue, 100_000L * int.MaxValue], dim0.ToArray<long>());
        using var neg = Tensor.From(Enumerable.Repeat(int.MinValue, 5).ToArray());
        using var negSum = neg.Sum();
        Assert.Equal(5L * int.MinValue, negSum.Item<long>());
    }

    [Fact]
    public void ParallelExtremaOfOneLongStridedRunSeeEveryElement()
    {
        // One output from a single strided run of 2^20: split across cores, each with its own accumulator.
        var data = Enumerable.Range(0, 1 << 21).Select(i => (float)(i % 1000)).ToArray();
        data[2 * 777_777] = 5000;
        data[2 * 123_456] = -5000;
        using var x = Tensor.From(data, 1, 1 << 21);
        using var every2 = x.Slice(1, 0, 1 << 21, 2);
        using var max = every2.Max(1);
        using var min = every2.Min(1);
        Assert.Equal([5000f], max.ToArray<float>());
        Assert.Equal([-5000f], min.ToArray<float>());
    }
}
