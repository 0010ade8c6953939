using Xunit;
using static Tensors.Tests.TestUtil;

namespace Tensors.Tests.Core;

public class OpTests
{
    [Fact]
    public void ArithmeticWithTensorsAndNumbersOnEitherSide()
    {
        using var a = Tensor.From([1f, 2, 3]);
        using var b = Tensor.From([4f, 5, 6]);
        Assert.Equal([5f, 7, 9], (a + b).ToArray<float>());
        Assert.Equal([-3f, -3, -3], (a - b).ToArray<float>());
        Assert.Equal([4f, 10, 18], (a * b).ToArray<float>());
        Assert.Equal([0.25f, 0.4f, 0.5f], (a / b).ToArray<float>());
        Assert.Equal([9f, 8, 7], (10 - a).ToArray<float>());
        Assert.Equal([2f, 1, 2 / 3f], (2 / a).ToArray<float>());
        Assert.Equal([1.5f, 3, 4.5f], (a * 1.5).ToArray<float>());
        Assert.Equal([-1f, -2, -3], (-a).ToArray<float>());
    }

    [Fact]
    public void TypePromotionFollowsPyTorch()
    {
        using var i = Tensor.From([1, 2, 3]);             // int32
        Assert.Equal(DType.Float32, (i * 1.5).DType);      // int tensor * float number
        Assert.Equal(DType.Int32, (i * 2).DType);          // int tensor * int number stays int32
        Assert.Equal([2, 4, 6], (i * 2).ToArray<int>());
        Assert.Equal(DType.Float32, (i / 2).DType);        // true division
        Assert.Equal([0.5f, 1, 1.5f], (i / 2).ToArray<float>());
        using var l = Tensor.From([1L, 2, 3]);
        Assert.Equal(DType.Int64, (i + l).DType);
        using var d = Tensor.From([1.0, 2, 3]);
        using var f = Tensor.From([1f, 2, 3]);
        Assert.Equal(DType.Float64, (f + d).DType);
        using var d0 = Tensor.Scalar(2, DType.Float64);    // a 0-d tensor does not widen a dimensioned one
        Assert.Equal(DType.Float32, (f * d0).DType);
        Assert.Equal(DType.Float64, (i * d0).DType);        // ... but lifts its category
        using var bools = Tensor.From([true, false]);
        Assert.Equal(DType.Int64, (bools + 1).DType);
        Assert.Equal(DType.Float32, bools.To(DType.UInt8).Sqrt().DType);
        Assert.Equal(DType.Int64, i.Sum().DType);
    }

    [Fact]
    public void UnaryFunctionsMatchMath()
    {
        using var x = Tensor.From([0.5f, 1f, 4f]);
        AllClose([MathF.Sqrt(0.5f), 1, 2], x.Sqrt().ToArray<float>());
        AllClose([MathF.Exp(0.5f), MathF.E, MathF.Exp(4)], x.Exp().ToArray<float>());
        AllClose([MathF.Log(0.5f), 0, MathF.Log(4)], x.Log().ToArray<float>());
        AllClose([1 / (1 + MathF.Exp(-0.5f)), 1 / (1 + MathF.Exp(-1)), 1 / (1 + MathF.Exp(-4))], x.Sigmoid().ToArray<float>());
        AllClose([MathF.Tanh(0.5f), MathF.Tanh(1), MathF.Tanh(4)], x.Tanh().ToArray<float>());
        using var y = Tensor.From([-2f, 0f, 3f, float.NaN]);
        AllClose([0f, 0, 3, float.NaN], y.Relu().ToArray<float>());
        AllClose([2f, 0, 3, float.NaN], y.Abs().ToArray<float>());
        AllClose([-1f, 0, 1, float.NaN], y.Clamp(-1, 1).ToArray<float>());
        AllClose([4f, 0, 9, float.NaN], y.Pow(2).ToArray<float>());
        Assert.Equal([1, 8, 27], Tensor.From([1, 2, 3]).Pow(3).ToArray<int>());
        using var m = Tensor.From([1f, 5f]);
        Assert.Equal([1f, 3f], m.Minimum(Tensor.From([3f])).ToArray<float>());
        Assert.Equal([3f, 5f], m.Maximum(Tensor.From([3f])).ToArray<float>());
    }

    [Fact]
    public void ComparisonsGiveBoolAndWhereSelects()
    {
        using var a = Tensor.From([1f, 2, 3, float.NaN]);
        Assert.Equal([false, true, false, false], a.Eq(2).ToArray<bool>());
        Assert.Equal([true, false, true, true], a.Ne(2).ToArray<bool>());
        Assert.Equal([true, false, false, false], a.Lt(2).ToArray<bool>());
        Assert.Equal([true, true, false, false], a.Le(2).ToArray<bool>());
        Assert.Equal([false, false, true, false], a.Gt(2).ToArray<bool>());
        Assert.Equal([false, true, true, false], a.Ge(2).ToArray<bool>());
        using var cond = a.Gt(1.5);
        Assert.Equal(DType.Bool, cond.DType);
        // The chapter's mnist_loss: where(target == 1, 1 - p, p)
        using var p = Tensor.From([0.9f, 0.4f, 0.2f]);
        using var target = Tensor.From([1f, 0, 1]);
        using var loss = Tensor.Where(target.Eq(1), 1 - p, p).Mean();
        Assert.Equal((0.1f + 0.4f + 0.8f) / 3, loss.Item<float>(), 6);
        Assert.Equal([0.9f, 0, 0.2f], Tensor.Where(target.Eq(1), p, 0.0).ToArray<float>());
    }

    [Fact]
    public void ReductionsOverAllAndOverDims()
    {
        using var t = Seq(2, 3, 4);
        Assert.Equal(276f, t.Sum().Item<float>());
        Assert.Equal(11.5f, t.Mean().Item<float>());
        Assert.Equal([12f, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32, 34], t.Sum(0).ToArray<float>());
        Assert.Equal(new[] { 2, 1, 4 }, t.Sum(1, keepDim: true).Shape);
        Assert.Equal([6f, 22, 38, 54, 70, 86], t.Sum(-1).ToArray<float>());
        Assert.Equal([60f, 66, 72, 78], t.Sum([0, 1]).ToArray<float>());
        Assert.Equal([5.5f, 17.5f], t.Mean([1, 2]).ToArray<float>());
        Assert.Equal([20f, 21, 22, 23], t.Max([0, 1]).ToArray<float>());
        Assert.Equal([0f, 12], t.Min([-1, -2]).ToArray<float>());
        Assert.Equal(23L, t.ArgMax().Item<long>());
        using var v = Tensor.From(new float[,] { { 1, 9, 3 }, { 7, 2, 7 } });
        Assert.Equal([1L, 0], v.ArgMax(1).ToArray<long>());
        Assert.Equal([1L, 0, 1], v.ArgMax(0).ToArray<long>());
        Assert.Equal([0L, 1], v.ArgMin(1).ToArray<long>());
        Assert.Equal(new[] { 2, 1 }, v.ArgMax(1, keepDim: true).Shape);
        using var nan = Tensor.From([1f, float.NaN, 3f]);
        Assert.True(float.IsNaN(nan.Max().Item<float>()));
        Assert.Equal(1L, nan.ArgMax().Item<long>());
        Assert.Equal(0f, Tensor.Zeros(0).Sum().Item<float>());
        Assert.Equal(6L, Tensor.From([1, 2, 3]).Sum().Item<long>());
    }

    [Fact]
    public void MatMulCoversVectorsMatricesAndBroadcastBatches()
    {
        using var a = Tensor.From(new float[,] { { 1, 2 }, { 3, 4 } });
        using var b = Tensor.From(new float[,] { { 5, 6 }, { 7, 8 } });
        Assert.Equal([19f, 22, 43, 50], a.MatMul(b).ToArray<float>());
        Assert.Equal([26f, 30, 38, 44], a.T.MatMul(b).ToArray<float>());
        using var v = Tensor.From([1f, 1]);
        Assert.Equal([3f, 7], a.MatMul(v).ToArray<float>());
        Assert.Equal([4f, 6], v.MatMul(a).ToArray<float>());
        Assert.Equal(0, v.MatMul(v).Rank);
        Assert.Equal(2f, v.MatMul(v).Item<float>());
        using var batch = Tensor.Stack([a, b]);             // [2, 2, 2]
        using var r = batch.MatMul(a);                      // a broadcast over the batch
        Assert.Equal(new[] { 2, 2, 2 }, r.Shape);
        Assert.Equal([7f, 10, 15, 22, 23, 34, 31, 46], r.ToArray<float>());
        using var big = Tensor.Ones(3, 1, 4, 5).MatMul(Tensor.Ones(2, 5, 6));
        Assert.Equal(new[] { 3, 2, 4, 6 }, big.Shape);
        Assert.All(big.ToArray<float>(), x => Assert.Equal(5f, x));
        Assert.Equal([7L, 10, 15, 22], Tensor.From(new long[,] { { 1, 2 }, { 3, 4 } }).MatMul(Tensor.From(new long[,] { { 1, 2 }, { 3, 4 } })).ToArray<long>());
    }

    [Fact]
    public void LargeMatMulMatchesANaiveProduct()
    {
        using var a = Tensor.Randn([130, 257], new Generator(1), DType.Float64);
        using var b = Tensor.Randn([257, 75], new Generator(2), DType.Float64);
        var av = a.ToArray<double>(); var bv = b.ToArray<double>();
        var expected = new double[130 * 75];
        for (int i = 0; i < 130; i++)
            for (int j = 0; j < 75; j++)
                for (int k = 0; k < 257; k++) expected[i * 75 + j] += av[i * 257 + k] * bv[k * 75 + j];
        AllClose(expected, a.MatMul(b).ToArray<double>(), 1e-12, 1e-11);
        using var af = a.To(DType.Float32); using var bf = b.To(DType.Float32);
        AllClose(expected.Select(x => (float)x).ToArray(), af.MatMul(bf).ToArray<float>(), 1e-4f, 1e-4f);
    }

    [Fact]
    public void InPlaceOpsWriteIntoTheTensorAndKeepItsDtype()
    {
        using var w = Tensor.From([1f, 2, 3]);
        using var g = Tensor.From([0.5f, 0.5f, 0.5f]);
        using var step = g * 2.0;
        w.Sub_(step);
        Assert.Equal([0f, 1, 2], w.ToArray<float>());
        w.Add_(1.0).Mul_(3.0).Div_(2.0);
        Assert.Equal([1.5f, 3, 4.5f], w.ToArray<float>());
        using var i = Tensor.From([1, 2]);
        var ex = Assert.Throws<ArgumentException>(() => i.Add_(0.5));
        Assert.Contains("int32", ex.Message);
        using var m = Tensor.Zeros(2, 3);
        m.Add_(Tensor.From([1f, 2, 3]));                    // the other operand broadcasts
        Assert.Equal([1f, 2, 3, 1, 2, 3], m.ToArray<float>());
        Assert.Throws<ArgumentException>(() => Tensor.Zeros(3).Add_(m));
    }
}
