using Xunit;

namespace Tensors.Tests.DTypeTests;

// Conversions into and out of the 16-bit floats and the narrow integers; expected values are PyTorch 1.13's.
public class ConversionTests
{
    private static float P(int exponent) => MathF.ScaleB(1f, exponent);

    private static float[] RoundTrip(float[] values, DType dtype)
    {
        using var t = Tensor.From(values);
        using var narrow = t.To(dtype);
        using var back = narrow.To(DType.Float32);
        return back.ToArray<float>();
    }

    [Fact]
    public void FloatToHalfRoundsToNearestEvenWithSubnormalsAndOverflow()
    {
        float[] values = [1 + P(-11) + P(-10), 1 + P(-11), 1 + 3 * P(-11), 65504f, 65519.99f, 65520f, 1e-8f, P(-24), P(-25),
            P(-25) * 1.0001f, 3 * P(-26), float.NaN, float.PositiveInfinity, -0f, 6.1e-5f];
        float[] expected = [1.001953125f, 1f, 1.001953125f, 65504f, 65504f, float.PositiveInfinity, 0f, 5.960464477539063e-08f, 0f,
            5.960464477539063e-08f, 5.960464477539063e-08f, float.NaN, float.PositiveInfinity, -0f, 6.097555160522461e-05f];
        var actual = RoundTrip(values, DType.Half);
        for (int i = 0; i < values.Length; i++)
            Assert.True(expected[i].Equals(actual[i]) && float.IsNegative(expected[i]) == float.IsNegative(actual[i]),
                $"{values[i]}: expected {expected[i]}, got {actual[i]}");
    }

    [Fact]
    public void FloatToBFloat16RoundsToNearestEvenKeepsNaNAndOverflowsToInfinity()
    {
        float[] values = [1 + P(-8), 1 + 3 * P(-8), 1 + P(-8) + P(-20), 3.3895313892515355e38f, 3.4e38f, 1e-40f, float.NaN, -2.5f];
        float[] expected = [1f, 1.015625f, 1.0078125f, 3.3895313892515355e38f, float.PositiveInfinity, 9.183549615799121e-41f, float.NaN, -2.5f];
        Assert.Equal(expected, RoundTrip(values, DType.BFloat16));
        Assert.Equal(0x7FC0, ((BFloat16)float.NaN).Bits);
        Assert.Equal(0x3F80, ((BFloat16)1f).Bits);
    }

    [Fact]
    public void DoublesAndLargeIntegersRoundThroughFloat32AsInPyTorch()
    {
        // Two roundings: 1 + 2^-11 + 2^-40 is above the half tie, but its float32 is the tie itself, which rounds to even.
        using var d = Tensor.From([1 + Math.Pow(2, -11) + Math.Pow(2, -40)]);
        using var h = d.To(DType.Half);
        Assert.Equal((Half)1f, h.ToArray<Half>()[0]);
        using var l = Tensor.From([33554432L + 131072 + 1]);
        using var b = l.To(DType.BFloat16);
        Assert.Equal(33554432f, (float)b.ToArray<BFloat16>()[0]);
        using var f = Tensor.Full([2], 2.5, DType.BFloat16);
        Assert.Equal(2.5f, (float)f.ToArray<BFloat16>()[1]);
    }

    [Fact]
    public void NarrowIntegersWrapFromIntegersAndSaturateFromFloats()
    {
        using var l = Tensor.From([200L, -129, 70000, -1]);
        Assert.Equal(new sbyte[] { -56, 127, 112, -1 }, l.To(DType.Int8).ToArray<sbyte>());
        Assert.Equal(new short[] { 200, -129, 4464, -1 }, l.To(DType.Int16).ToArray<short>());
        using var f = Tensor.From([2.9f, -2.9f, float.NaN]);
        Assert.Equal(new sbyte[] { 2, -2, 0 }, f.To(DType.Int8).ToArray<sbyte>());
        using var i8 = Tensor.From(new sbyte[] { -1, 0, 5 });
        Assert.Equal(new byte[] { 255, 0, 5 }, i8.To(DType.UInt8).ToArray<byte>());
        Assert.Equal(new[] { true, false, true }, i8.To(DType.Bool).ToArray<bool>());
        Assert.Equal(new[] { -1.0, 0, 5 }, i8.To(DType.Float64).ToArray<double>());
    }

    [Fact]
    public void EveryDTypePairConvertsSmallIntegersExactly()
    {
        foreach (var from in Enum.GetValues<DType>())
            foreach (var to in Enum.GetValues<DType>())
            {
                using var src = Tensor.From([0L, 1, 1, 0, 1, 0], 2, 3).To(from);
                using var view = src.T;                         // a strided source
                using var converted = view.To(to);
                using var back = converted.To(DType.Int64);
                Assert.Equal(new long[] { 0, 0, 1, 1, 1, 0 }, back.ToArray<long>());
            }
    }

    [Fact]
    public void FromToArrayAndItemTakeTheNewElementTypes()
    {
        using var h = Tensor.From(new[] { (Half)1.5f, (Half)(-2f) });
        Assert.Equal(DType.Half, h.DType);
        Assert.Equal(-2.0, h[1].Item<double>());
        using var b = Tensor.From(new BFloat16[,] { { (BFloat16)1.5f }, { (BFloat16)3f } });
        Assert.Equal(DType.BFloat16, b.DType);
        Assert.Equal(new[] { 2, 1 }, b.Shape);
        Assert.Equal(3f, b[1, 0].Item<float>());
        using var s = Tensor.From(new short[] { -300 });
        Assert.Equal(-300, s.Item<int>());
        Assert.Equal(DType.Int8, DTypes.Of<sbyte>());
        Assert.Equal(typeof(BFloat16), DType.BFloat16.ClrType());
        Assert.Equal(["float16", "bfloat16", "int8", "int16"], new[] { DType.Half, DType.BFloat16, DType.Int8, DType.Int16 }.Select(d => d.Name()));
        Assert.Equal([2, 2, 1, 2], new[] { DType.Half, DType.BFloat16, DType.Int8, DType.Int16 }.Select(d => d.ElementSize()));
        var ex = Assert.Throws<InvalidOperationException>(() => h.ToArray<float>());
        Assert.Contains("float16", ex.Message);
    }

    [Fact]
    public void CreationFunctionsTakeTheNewDTypes()
    {
        using var z = Tensor.Zeros([2, 2], DType.BFloat16);
        Assert.All(z.ToArray<BFloat16>(), v => Assert.Equal(0f, (float)v));
        using var o = Tensor.Ones([3], DType.Int8);
        Assert.Equal(new sbyte[] { 1, 1, 1 }, o.ToArray<sbyte>());
        using var f = Tensor.Full([2], 1e-8, DType.Half);
        Assert.Equal(0f, (float)f.ToArray<Half>()[0]);
        using var r = Tensor.Rand([1000], new Generator(1), DType.Half);
        using var r32 = Tensor.Rand([1000], new Generator(1));
        // The same stream as float32, rounded: every value within half's precision and still in [0, 1].
        using var diff = (r.To(DType.Float32) - r32).Abs().Max();
        Assert.InRange(diff.Item<float>(), 0f, 1f / 2048);
        using var n = Tensor.Randn([4], new Generator(2), DType.BFloat16);
        Assert.Equal(DType.BFloat16, n.DType);
        using var e = Tensor.Eye(2, dtype: DType.Int16);
        Assert.Equal(new short[] { 1, 0, 0, 1 }, e.ToArray<short>());
    }
}
