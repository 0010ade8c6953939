using System.Runtime.Intrinsics.X86;
using Tensors.Ops;
using Xunit;

namespace Tensors.Tests.Reductions;

/// <summary>The float32 sum (accumulated in float64) has an AVX-512 form and an AVX2 form; a result must not depend on
/// which one the machine runs, so both give the same bits, at every length 0..300 and on values of wild magnitudes.</summary>
public class FloatSumFormsTests
{
    [SkippableFact]
    public void BothFormsGiveTheSameBits()
    {
        Skip.IfNot(Avx512F.IsSupported, "this CPU has no AVX-512: only the AVX2 form runs here");
        var rng = new System.Random(5);
        for (int n = 0; n <= 300; n++)
        {
            var x = Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() - 0.5) * MathF.Pow(10, rng.Next(-6, 9))).ToArray();
            double wide = FloatSumFn.Reduce(x, wide: true), narrow = FloatSumFn.Reduce(x, wide: false);
            Assert.Equal(BitConverter.DoubleToInt64Bits(narrow), BitConverter.DoubleToInt64Bits(wide));
            Assert.Equal(x.Sum(v => (double)v), wide, Math.Abs(wide) * 1e-12 + 1e-9);
        }
    }
}
