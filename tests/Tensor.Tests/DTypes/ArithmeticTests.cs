using Xunit;

namespace Tensors.Tests.DTypeTests;

// Ops on the storage-only dtypes compute in float32 / int32 and narrow back; expected values are PyTorch 1.13's.
public class ArithmeticTests
{
    [Fact]
    public void Int8ArithmeticWrapsAsPyTorch()
    {
        using var a = Tensor.From(new sbyte[] { 100, -128 });
        using var sum = a + a;
        Assert.Equal(DType.Int8, sum.DType);
        Assert.Equal(new sbyte[] { -56, 0 }, sum.ToArray<sbyte>());
        Assert.Equal(new sbyte[] { 44, -128 }, (a * 3).ToArray<sbyte>());
        Assert.Equal(new sbyte[] { -100, -128 }, (-a).ToArray<sbyte>());
        Assert.Equal(new sbyte[] { 100, -128 }, a.Abs().ToArray<sbyte>());
        using var d = Tensor.From(new sbyte[] { 3, -1 });
        Assert.Equal(new sbyte[] { 33, -128 }, a.FloorDivide(d).ToArray<sbyte>());
        using var s = a.Sum();
        Assert.Equal(DType.Int64, s.DType);
        Assert.Equal(-28L, s.Item<long>());
        using var m = a.Max();
        Assert.Equal(DType.Int8, m.DType);
        Assert.Equal(100, m.Item<int>());
        Assert.Equal(0L, a.ArgMax().Item<long>());
    }

    [Fact]
    public void MixedIntegerPromotionFollowsPyTorch()
    {
        using var i8 = Tensor.From(new sbyte[] { -1, 2 });
        using var u8 = Tensor.From(new byte[] { 255, 3 });
        using var r = i8 + u8;
        Assert.Equal(DType.Int16, r.DType);
        Assert.Equal(new short[] { 254, 5 }, r.ToArray<short>());
        using var i16 = Tensor.From(new short[] { 30000, 1 });
        using var w = i16 * 2;
        Assert.Equal(new short[] { -5536, 2 }, w.ToArray<short>());
        using var f = i8 * 1.5;
        Assert.Equal(DType.Float32, f.DType);
        using var div = i16 / 2;
        Assert.Equal(DType.Float32, div.DType);
    }

    [Fact]
    public void HalfAndBFloat16RoundOncePerOp()
    {
        using var h = Tensor.From(new[] { (Half)1f, (Half)2048f });
        using var sum = h + 1;
        Assert.Equal(DType.Half, sum.DType);
        // 2048 + 1 is a tie in half (spacing 2 above 2048): it rounds to even.
        Assert.Equal(new[] { (Half)2f, (Half)2048f }, sum.ToArray<Half>());
        using var b = Tensor.From(new[] { (BFloat16)1f, (BFloat16)3f });
        using var q = b / 3;
        Assert.Equal(DType.BFloat16, q.DType);
        Assert.Equal(new[] { 0.333984375f, 1f }, q.ToArray<BFloat16>().Select(v => (float)v));
        using var mixed = h + b;
        Assert.Equal(DType.Float32, mixed.DType);
        using var with32 = h * Tensor.From([0.5f, 0.5f]);
        Assert.Equal(DType.Float32, with32.DType);
        using var e = b.Exp();
        Assert.Equal(DType.BFloat16, e.DType);
        Assert.Equal((float)(BFloat16)MathF.E, (float)e.ToArray<BFloat16>()[0]);
        using var i8 = Tensor.From(new sbyte[] { 1 });
        using var ex = i8.Exp();
        Assert.Equal(DType.Float32, ex.DType);
    }

    [Fact]
    public void HalfSumAccumulatesInFloat32AndRoundsOnce()
    {
        // 4096 ones: a half accumulator would stall at 2048; PyTorch (and this) sum in float32.
        using var ones = Tensor.Ones([4096], DType.Half);
        using var s = ones.Sum();
        Assert.Equal(DType.Half, s.DType);
        Assert.Equal(4096.0, s.Item<double>());
        using var mean = ones.Mean();
        Assert.Equal(1.0, mean.Item<double>());
    }

    [Fact]
    public void ComparisonsWhereAndMatMulOnNarrowDTypes()
    {
        using var h = Tensor.From(new[] { (Half)1f, (Half)(-2f), (Half)3f });
        using var gt = h.Gt(0);
        Assert.Equal(new[] { true, false, true }, gt.ToArray<bool>());
        using var w = Tensor.Where(gt, h, 0);
        Assert.Equal(DType.Half, w.DType);
        Assert.Equal(new[] { 1f, 0f, 3f }, w.ToArray<Half>().Select(v => (float)v));
        using var a = Tensor.From([1f, 2f, 3f, 4f], 2, 2).To(DType.Half);
        using var p = a.MatMul(a);
        Assert.Equal(DType.Half, p.DType);
        Assert.Equal(new[] { 7f, 10f, 15f, 22f }, p.ToArray<Half>().Select(v => (float)v));
        using var i = Tensor.From(new sbyte[] { 1, 2, 3, 4 }, 2, 2);
        using var ip = i.MatMul(i);
        Assert.Equal(new sbyte[] { 7, 10, 15, 22 }, ip.ToArray<sbyte>());
        using var sel = a.IndexSelect(0, 1, 0);
        Assert.Equal(new[] { 3f, 4f, 1f, 2f }, sel.ToArray<Half>().Select(v => (float)v));
        using var inplace = h.Clone();
        inplace.Mul_(2).Relu_();
        Assert.Equal(new[] { 2f, 0f, 6f }, inplace.ToArray<Half>().Select(v => (float)v));
        using var slice = inplace[1..];
        slice.Add_(0.5);
        Assert.Equal(new[] { 2f, 0.5f, 6.5f }, inplace.ToArray<Half>().Select(v => (float)v));
    }

    [Fact]
    public void GradientsOfHalfTensorsAreHalf()
    {
        using var x = Tensor.From(new[] { (Half)1f, (Half)2f }).RequiresGrad_();
        using var y = (x * x).Sum();
        y.Backward();
        Assert.Equal(DType.Half, x.Grad!.DType);
        Assert.Equal(new[] { 2f, 4f }, x.Grad.ToArray<Half>().Select(v => (float)v));
        using var b = Tensor.From(new[] { (BFloat16)1f, (BFloat16)2f, (BFloat16)3f }, 3, 1).RequiresGrad_();
        using var m = b.MatMul(Tensor.Ones([1, 2], DType.BFloat16)).Sigmoid().Mean();
        m.Backward();
        Assert.Equal(DType.BFloat16, b.Grad!.DType);
        using var sel = b.IndexSelect(0, 2, 2).Sum();
        sel.Backward();
        Assert.Equal(DType.BFloat16, b.Grad.DType);
    }

    [Fact]
    public void PrintsAsPyTorch()
    {
        Assert.Equal("tensor([1.5000e+00, 2.2500e+00, 1.0014e-05], dtype=float16)",
            Tensor.From([1.5f, 2.25f, 1e-5f]).To(DType.Half).ToString());
        Assert.Equal("tensor([1.5000, 2.2500], dtype=bfloat16)", Tensor.From([1.5f, 2.25f]).To(DType.BFloat16).ToString());
        Assert.Equal("tensor([ 1, -2], dtype=int8)", Tensor.From(new sbyte[] { 1, -2 }).ToString());
        Assert.Equal("tensor([ 1, -2], dtype=int16)", Tensor.From(new short[] { 1, -2 }).ToString());
        Assert.Equal("1.5", ((BFloat16)1.5f).ToString());
    }
}
