using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Tensors.Tests.DTypeTests;

// Properties of the narrow dtypes against independent definitions: rounding to the nearest representable value
// (ties to even) for the 16-bit floats, two's-complement wrap-around for the narrow integers.
public class DTypePropertyTests
{
    private static readonly Gen<float> AnyFloat =
        Gen.Choose(int.MinValue, int.MaxValue).Select(bits => BitConverter.Int32BitsToSingle(bits));

    // Random floats, half of them exactly halfway between two bfloat16 values or one unit beside halfway.
    private static readonly Gen<float> BFloat16Edges =
        from bits in Gen.Choose(int.MinValue, int.MaxValue)
        from low in Gen.Elements(-1, 0x8000, 0x7FFF, 0x8001)
        select BitConverter.Int32BitsToSingle(low < 0 ? bits : (int)((uint)bits & 0xFFFF0000u) | low);

    // The neighbours of a finite float among bfloat16 values: truncation toward zero and the next one away.
    [Fact]
    public void BFloat16IsTheNearestValueTiesToEven()
    {
        TestUtil.Check(BFloat16Edges, f =>
        {
            var r = (BFloat16)f;
            if (float.IsNaN(f)) return BFloat16.IsNaN(r);
            uint u = BitConverter.SingleToUInt32Bits(f);
            ushort down = (ushort)(u >> 16), up = (ushort)(down + 1);
            double x = f, lo = (float)BFloat16.FromBits(down), hi = (down & 0x7FFF) == 0x7F80 ? double.NaN : (float)BFloat16.FromBits(up);
            if ((u & 0xFFFF) == 0) return r.Bits == down;
            // Past the largest finite bfloat16 the next value up is infinity, the rounding goes by the spacing.
            if (double.IsInfinity(hi)) hi = Math.CopySign(Math.Pow(2, 128), x);
            double dl = Math.Abs(x - lo), dh = Math.Abs(hi - x);
            ushort expected = dl < dh ? down : dh < dl ? up : (down & 1) == 0 ? down : up;
            return r.Bits == expected;
        }, 2000);
    }

    [Fact]
    public void TensorConversionsToHalfMatchSystemHalfFromFloat32()
    {
        TestUtil.Check(Gen.ArrayOf(AnyFloat), values =>
        {
            using var t = Tensor.From(values);
            using var h = t.To(DType.Half);
            return h.ToArray<Half>().Select(BitConverter.HalfToUInt16Bits).SequenceEqual(values.Select(v => BitConverter.HalfToUInt16Bits((Half)v)));
        });
    }

    [Fact]
    public void Int8AndInt16ArithmeticWrapsLikeInt64ArithmeticTruncated()
    {
        var gen = from a in Gen.Choose(-32768, 32767) from b in Gen.Choose(-32768, 32767) from op in Gen.Elements("add", "sub", "mul") select (a, b, op);
        TestUtil.Check(gen, c =>
        {
            long exact = c.op switch { "add" => (long)c.a + c.b, "sub" => (long)c.a - c.b, _ => (long)c.a * c.b };
            using var a16 = Tensor.From(new[] { (short)c.a });
            using var b16 = Tensor.From(new[] { (short)c.b });
            using var a8 = a16.To(DType.Int8);
            using var b8 = b16.To(DType.Int8);
            using var r16 = c.op switch { "add" => a16 + b16, "sub" => a16 - b16, _ => a16 * b16 };
            long e8 = c.op switch { "add" => (sbyte)c.a + (long)(sbyte)c.b, "sub" => (sbyte)c.a - (long)(sbyte)c.b, _ => (sbyte)c.a * (long)(sbyte)c.b };
            using var r8 = c.op switch { "add" => a8 + b8, "sub" => a8 - b8, _ => a8 * b8 };
            return r16.ToArray<short>()[0] == unchecked((short)exact) && r8.ToArray<sbyte>()[0] == unchecked((sbyte)e8);
        });
    }
}
