using Xunit;

namespace Tensors.Tests.Overhead;

/// <summary>Where's vector path (condition bytes widened to 4- or 8-byte lanes) against the plain rule, at every
/// length around the vector widths so that the scalar tail is covered too, with NaN payloads passed bit for bit.</summary>
public class WhereKernelTests
{
    private static bool[] Conditions(int n, int seed)
    {
        var rng = new System.Random(seed);
        return Enumerable.Range(0, n).Select(_ => rng.Next(2) == 1).ToArray();
    }

    [Fact]
    public void FloatsSelectBitForBit()
    {
        for (int n = 0; n <= 70; n++)
        {
            var c = Conditions(n, n);
            var a = Enumerable.Range(0, n).Select(i => i % 7 == 0 ? BitConverter.Int32BitsToSingle(0x7fc00000 | i) : i + 0.5f).ToArray();
            var b = Enumerable.Range(0, n).Select(i => -i - 0.25f).ToArray();
            using var tc = Tensor.From(c, n);
            using var ta = Tensor.From(a, n);
            using var tb = Tensor.From(b, n);
            using var r = Tensor.Where(tc, ta, tb);
            var expected = Enumerable.Range(0, n).Select(i => BitConverter.SingleToInt32Bits(c[i] ? a[i] : b[i]));
            Assert.Equal(expected, r.ToArray<float>().Select(BitConverter.SingleToInt32Bits));
        }
    }

    [Fact]
    public void EightByteAndIntegerDTypesSelect()
    {
        foreach (int n in new[] { 1, 3, 4, 5, 8, 9, 31, 1000 })
        {
            var c = Conditions(n, 100 + n);
            using var tc = Tensor.From(c, n);
            var d = Enumerable.Range(0, n).Select(i => i * 1.5).ToArray();
            var e = Enumerable.Range(0, n).Select(i => -(double)i).ToArray();
            using var rd = Tensor.Where(tc, Tensor.From(d, n), Tensor.From(e, n));
            Assert.Equal(Enumerable.Range(0, n).Select(i => c[i] ? d[i] : e[i]), rd.ToArray<double>());
            var l = Enumerable.Range(0, n).Select(i => (long)i << 40).ToArray();
            var m = Enumerable.Range(0, n).Select(i => -(long)i).ToArray();
            using var rl = Tensor.Where(tc, Tensor.From(l, n), Tensor.From(m, n));
            Assert.Equal(Enumerable.Range(0, n).Select(i => c[i] ? l[i] : m[i]), rl.ToArray<long>());
            var x = Enumerable.Range(0, n).Select(i => i + 1).ToArray();
            using var ri = Tensor.Where(tc, Tensor.From(x, n), Tensor.From(new int[n], n));
            Assert.Equal(Enumerable.Range(0, n).Select(i => c[i] ? x[i] : 0), ri.ToArray<int>());
            var bytes = Enumerable.Range(0, n).Select(i => (byte)(i % 250 + 1)).ToArray();
            using var rb = Tensor.Where(tc, Tensor.From(bytes, n), Tensor.From(new byte[n], n));
            Assert.Equal(Enumerable.Range(0, n).Select(i => c[i] ? bytes[i] : (byte)0), rb.ToArray<byte>());
        }
    }

    [Fact]
    public void ReluBackwardThroughWhereMatchesTheRule()
    {
        using var x = Tensor.From(Enumerable.Range(0, 37).Select(i => (float)(i - 18) / 4).ToArray(), 37).RequiresGrad_();
        using var y = x.Relu();
        using var s = y.Sum();
        s.Backward();
        Assert.Equal(Enumerable.Range(0, 37).Select(i => i > 18 ? 1f : 0f), x.Grad!.ToArray<float>());
    }
}
