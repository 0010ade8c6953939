using Xunit;

namespace Tensors.Tests.Edges;

/// <summary>Issue 8, classes 4 and 5: integer numbers keep integer tensors integer and exact; integer division,
/// remainders, powers, bool arithmetic and the bitwise and logical ops as PyTorch 1.13 computes them.</summary>
public class IntegerSemanticsTests
{
    private static Tensor L(params long[] v) => Tensor.From(v);
    private static Tensor B(params bool[] v) => Tensor.From(v);

    [Fact]
    public void IntegerNumbersStayIntegerAndExact()
    {
        using var big = L(16777217);
        Assert.Equal([false], big.Eq(16777216).ToArray<bool>());
        Assert.Equal([true], big.Eq(16777217L).ToArray<bool>());
        Assert.Equal([false], L(long.MaxValue).Eq(long.MaxValue - 1).ToArray<bool>());
        using var x = L(1, 2);
        x.Add_(1);
        Assert.Equal([2L, 3], x.ToArray<long>());
        x.Mul_(3);
        Assert.Equal([6L, 9], x.ToArray<long>());
        using var w = Tensor.Where(B(true, false), x, 0);
        Assert.Equal(DType.Int64, w.DType);
        Assert.Equal([6L, 0], w.ToArray<long>());
        using var u8 = Tensor.Where(B(true, false), Tensor.From(new byte[] { 3, 4 }), 0);
        Assert.Equal(DType.UInt8, u8.DType);
        Assert.Equal(DType.Int64, L(-3, 5).Clamp(min: 0).DType);
        Assert.Equal([0L, 5], L(-3, 5).Clamp(min: 0).ToArray<long>());
        Assert.Equal([0.5f, 5f], L(-3, 5).Clamp(min: 0.5).ToArray<float>());
        Assert.Equal(DType.UInt8, (Tensor.From(new byte[] { 1 }) * 2).DType);
        Assert.Equal([long.MaxValue], Tensor.Full([1], long.MaxValue, DType.Int64).ToArray<long>());
        Assert.Equal([(1L << 53) + 1], (L(1L << 53) + 1).ToArray<long>());
    }

    [Fact]
    public void UInt8WrapsAndAbsOfMinValueIsItself()
    {
        using var a = Tensor.From(new byte[] { 200, 5 });
        Assert.Equal(new byte[] { 44, 105 }, (a + Tensor.From(new byte[] { 100, 100 })).ToArray<byte>());
        Assert.Equal(new byte[] { 56, 251 }, (-a).ToArray<byte>());
        Assert.Equal(new byte[] { 144, 10 }, (a * 2).ToArray<byte>());
        Assert.Equal(new byte[] { 66, 1 }, a.Div(3, "trunc").ToArray<byte>());
        Assert.Equal([int.MinValue, 3], Tensor.From([int.MinValue, -3]).Abs().ToArray<int>());
        Assert.Equal([long.MinValue], L(long.MinValue).Abs().ToArray<long>());
    }

    [Fact]
    public void IntegerPowers()
    {
        Assert.Equal([0L, 1, -1, 1], L(2, 1, -1, -1).Pow(L(-1, -1, -3, -2)).ToArray<long>());
        var ex = Assert.Throws<ArgumentException>(() => L(2).Pow(-1));
        Assert.Contains("negative integer powers", ex.Message);
        Assert.Equal([8L, 1], L(2, 1).Pow(3).ToArray<long>());
        Assert.Equal([2L, 4, 8, 0], Tensor.Pow(2, L(1, 2, 3, -1)).ToArray<long>());
        Assert.Equal([2f, 4, 8], Tensor.Pow(2.0, L(1, 2, 3)).ToArray<float>());
        Assert.Equal([0.5f], Tensor.Pow(2, Tensor.From([-1f])).ToArray<float>());
    }

    [Fact]
    public void FloorAndTruncDivisionAndRemainder()
    {
        using var a = L(-7, 7, -7, 7, long.MinValue);
        using var b = L(2, -2, -2, 2, -1);
        Assert.Equal([-4L, -4, 3, 3, long.MinValue], a.Div(b, "floor").ToArray<long>());
        Assert.Equal([-4L, -4, 3, 3, long.MinValue], a.FloorDivide(b).ToArray<long>());
        Assert.Equal([-3L, -3, 3, 3, long.MinValue], a.Div(b, "trunc").ToArray<long>());
        Assert.Equal([1L, -1, -1, 1, 0], (a % b).ToArray<long>());
        Assert.Equal([1L, 1, 1, 1, 0], (a % 2).ToArray<long>());
        using var f = Tensor.From([-7.5f, 7.5f, -7.5f, 7.5f, 1f]);
        using var g = Tensor.From([2f, -2, -2, 2, 0.1f]);
        Assert.Equal([-4f, -4, 3, 3, 9], f.FloorDivide(g).ToArray<float>());   // 1 // 0.1 is 9, as in Python
        Assert.Equal([-3f, -3, 3, 3, 10], f.Div(g, "trunc").ToArray<float>());
        TestUtil.AllClose([0.5f, -0.5f, -1.5f, 1.5f, 0.1f], (f % g).ToArray<float>(), 1e-6f, 1e-6f);
        Assert.Equal([float.NegativeInfinity], Tensor.From([-1f]).FloorDivide(Tensor.From([0f])).ToArray<float>());
        Assert.Equal(DType.Float32, L(7).Div(2).DType);
        Assert.Throws<ArgumentException>(() => a.Div(b, "round"));
    }

    [Fact]
    public void IntegerDivisionByZeroThrows()
    {
        foreach (var f in new Func<Tensor>[] { () => L(3).FloorDivide(0), () => L(3) % 0, () => L(3).Div(L(0), "trunc"), () => L(3).Div(0, "floor") })
        {
            var ex = Assert.Throws<DivideByZeroException>(() => f());
            Assert.Contains("division by zero", ex.Message);
        }
    }

    [Fact]
    public void BoolArithmeticIsLogical()
    {
        using var p = B(true, true, false, false);
        using var q = B(true, false, true, false);
        Assert.Equal([true, true, true, false], (p + q).ToArray<bool>());
        Assert.Equal([true, false, false, false], (p * q).ToArray<bool>());
        Assert.Equal([true, true, true, false], p.Maximum(q).ToArray<bool>());
        Assert.Equal([true, false, false, false], p.Minimum(q).ToArray<bool>());
        Assert.Equal(DType.Bool, (p + q).DType);
        Assert.Contains("^", Assert.Throws<ArgumentException>(() => p - q).Message);
        Assert.Equal([1f, float.PositiveInfinity, 0, float.NaN], (p / q).ToArray<float>());
        Assert.Equal([2L, 2, 1, 1], (p + 1).ToArray<long>());
    }

    [Fact]
    public void BitwiseAndLogicalOps()
    {
        using var p = B(true, true, false, false);
        using var q = B(true, false, true, false);
        Assert.Equal([true, false, false, false], (p & q).ToArray<bool>());
        Assert.Equal([true, true, true, false], (p | q).ToArray<bool>());
        Assert.Equal([false, true, true, false], (p ^ q).ToArray<bool>());
        Assert.Equal([false, false, true, true], (~p).ToArray<bool>());
        using var i = L(12, -1, 5);
        using var j = L(10, 7, 3);
        Assert.Equal([8L, 7, 1], (i & j).ToArray<long>());
        Assert.Equal([14L, -1, 7], (i | j).ToArray<long>());
        Assert.Equal([6L, -8, 6], (i ^ j).ToArray<long>());
        Assert.Equal([-13L, 0, -6], (~i).ToArray<long>());
        Assert.Equal([4L, 5, 5], (i & 5).ToArray<long>());
        Assert.Equal(new byte[] { 0xF0 }, (~Tensor.From(new byte[] { 0x0F })).ToArray<byte>());
        Assert.Equal([1L], (L(3) & B(true)).ToArray<long>());
        Assert.Contains("integer or bool", Assert.Throws<ArgumentException>(() => Tensor.From([1f]) & Tensor.From([1f])).Message);
        Assert.Throws<ArgumentException>(() => ~Tensor.From([1f]));
        using var f = Tensor.From([3f, 0, -1, 0]);
        using var k = L(1, 1, 0, 0);
        Assert.Equal([true, false, false, false], f.LogicalAnd(k).ToArray<bool>());
        Assert.Equal([true, true, true, false], f.LogicalOr(k).ToArray<bool>());
        Assert.Equal([false, true, true, false], f.LogicalXor(k).ToArray<bool>());
        Assert.Equal([false, true, false, true], f.LogicalNot().ToArray<bool>());
        Assert.Equal([false, false, true, true], p.LogicalNot().ToArray<bool>());
    }

    [Fact]
    public void WhereWithTwoNumbers()
    {
        using var c = B(true, false);
        using var f = Tensor.Where(c, 1.0, 0);
        Assert.Equal(DType.Float32, f.DType);
        Assert.Equal([1f, 0], f.ToArray<float>());
        using var i = Tensor.Where(c, 1, 0);
        Assert.Equal(DType.Int64, i.DType);
        Assert.Equal([1L, 0], i.ToArray<long>());
    }
}
