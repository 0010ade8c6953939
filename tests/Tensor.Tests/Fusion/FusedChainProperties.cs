using FsCheck;
using FsCheck.Fluent;
using Tensors.Fusion;
using Xunit;

namespace Tensors.Tests.Fusion;

/// <summary>
/// Random chains of the fusing ops over broadcast, transposed and sliced inputs holding NaN, infinities and signed
/// zeros, some followed by a reduction: computed with every op deferred (fused) and with none (one kernel per op),
/// the results must be the same bits.
/// </summary>
public class FusedChainProperties
{
    private static readonly float[] Specials = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f, 1e-30f, -3.5f, 2f];

    private static readonly Func<Tensor, Tensor>[] Unary = [x => x.Neg(), x => x.Abs(), x => x.Relu(), x => x.Sqrt(), x => x.Trunc()];

    private static readonly Func<Tensor, Tensor, Tensor>[] Binary =
        [(a, b) => a + b, (a, b) => a - b, (a, b) => a * b, (a, b) => a / b, (a, b) => a.Maximum(b), (a, b) => a.Minimum(b)];

    /// <summary>One step: a unary op (Kind 0), a binary op with input Other (Kind 1, Other 0..2 or 3 = the chain
    /// itself, operand order flipped when Flip), or a scalar (Kind 2).</summary>
    public sealed record Step(int Kind, int Op, int Other, bool Flip, float Scalar);

    public sealed record Case(int[] Shape, int[][] InputShapes, bool[] Transposed, int Seed, Step[] Steps, int Reduction, int[] Dims, DType DType)
    {
        public override string ToString() =>
            $"shape {Layout.Format(Shape)}, inputs {string.Join(" ", InputShapes.Select(s => Layout.Format(s)))}, transposed " +
            $"{string.Join(",", Transposed)}, seed {Seed}, steps {string.Join("; ", Steps.Select(s => s.ToString()))}, reduction {Reduction} " +
            $"over {Layout.Format(Dims)}, {DType}";
    }

    private static Gen<Step> StepGen() =>
        from kind in Gen.Choose(0, 2)
        from op in Gen.Choose(0, 5)
        from other in Gen.Choose(0, 3)
        from flip in Gen.Elements(true, false)
        from scalar in Gen.Elements(2f, -0.5f, 0f, 3f)
        select new Step(kind, kind == 0 ? op % Unary.Length : op, other, flip, scalar);

    private static Gen<Case> CaseGen(int maxRank, int maxSize) =>
        from rank in Gen.Choose(1, maxRank)
        from shape in Gen.ArrayOf(Gen.Elements(1, 2, 3, 5, 6, maxSize, maxSize), rank)
        from ones in Gen.ArrayOf(Gen.ArrayOf(Gen.Elements(true, false, false), rank), 3)
        from drops in Gen.ArrayOf(Gen.Choose(0, rank - 1), 3)
        from transposed in Gen.ArrayOf(Gen.Elements(true, false), 3)
        from seed in Gen.Choose(0, 100000)
        from steps in Gen.Choose(1, 12).SelectMany(n => Gen.ArrayOf(StepGen(), n))
        from reduction in Gen.Choose(0, 4)
        from dimMask in Gen.ArrayOf(Gen.Elements(true, false), rank)
        from trailing in Gen.Choose(1, rank)
        from useTrailing in Gen.Elements(true, true, false)
        from dtype in Gen.Elements(DType.Float32, DType.Float32, DType.Float64)
        select new Case(shape,
            // Input 0 starts the chain with the full shape; the others broadcast against it.
            ones.Select((o, k) => k == 0 ? shape : shape[drops[k]..].Select((s, i) => o[drops[k] + i] ? 1 : s).ToArray()).ToArray(),
            transposed, seed, steps, reduction,
            useTrailing ? Enumerable.Range(rank - trailing, trailing).ToArray() : Enumerable.Range(0, rank).Where(d => dimMask[d]).ToArray(),
            dtype);

    // An input of the given shape: random values with specials mixed in, laid out transposed (a permuted contiguous
    // tensor seen through Transpose) when asked, so that leaves are read through non-contiguous strides.
    private static Tensor Input(int[] shape, bool transposed, int seed, DType dtype)
    {
        var rng = new System.Random(seed);
        int n = shape.Aggregate(1, (a, b) => a * b);
        var values = Enumerable.Range(0, n).Select(_ => rng.Next(6) == 0 ? Specials[rng.Next(Specials.Length)] : (float)Math.Round(rng.NextDouble() * 8 - 4, 3)).ToArray();
        if (!transposed || shape.Length < 2) return Tensor.From(values, shape).To(dtype);
        var swapped = (int[])shape.Clone();
        (swapped[0], swapped[^1]) = (swapped[^1], swapped[0]);
        using var t = Tensor.From(values, swapped).To(dtype);
        return t.Transpose(0, shape.Length - 1);
    }

    private static Tensor Run(Case c, Tensor[] inputs)
    {
        using var scope = Tensor.NewDisposeScope();
        var v = inputs[0];
        foreach (var s in c.Steps)
        {
            if (s.Kind == 0) v = Unary[s.Op](v);
            else if (s.Kind == 1)
            {
                var other = s.Other == 3 ? v : inputs[s.Other];
                v = s.Flip ? Binary[s.Op](other, v) : Binary[s.Op](v, other);
            }
            else v = s.Op % 2 == 0 ? v * s.Scalar : v + s.Scalar;
        }
        var result = c.Reduction switch
        {
            1 => v.Sum(c.Dims, keepDim: c.Seed % 2 == 0),
            2 => v.Mean(c.Dims, keepDim: c.Seed % 3 == 0),
            3 when !v.Shape.Contains(0) => v.Max(c.Dims),
            4 when !v.Shape.Contains(0) => v.Min(c.Dims, keepDim: c.Seed % 2 == 1),
            _ => v,
        };
        return scope.MoveToOuter(result.Contiguous());
    }

    private static long[] Bits(Tensor t) => t.DType == DType.Float64
        ? t.ToArray<double>().Select(x => double.IsNaN(x) ? long.MinValue : BitConverter.DoubleToInt64Bits(x)).ToArray()
        : t.ToArray<float>().Select(x => float.IsNaN(x) ? long.MinValue : BitConverter.SingleToInt32Bits(x)).ToArray();

    [Fact]
    public void FusedChainsGiveTheBitsOfOneOpAtATime() => Check(CaseGen(4, 7), 400);

    // Large enough for tiles, reduction blocks past the fusing limit, and work split across cores.
    [Fact]
    public void LargeFusedChainsGiveTheBitsOfOneOpAtATime() => Check(CaseGen(3, 130), 40);

    private static void Check(Gen<Case> cases, int count)
    {
        TestUtil.Check(cases, c =>
        {
            var inputs = c.InputShapes.Select((s, k) => Input(s, c.Transposed[k], c.Seed + k, c.DType)).ToArray();
            try
            {
                Tensor plain, fused;
                using (Deferral.Suspend()) plain = Run(c, inputs);
                using (Deferral.DeferEverything()) fused = Run(c, inputs);
                using (plain) using (fused)
                {
                    Assert.Equal(plain.Shape, fused.Shape);
                    Assert.Equal(Bits(plain), Bits(fused));
                }
                return true;
            }
            finally { foreach (var t in inputs) t.Dispose(); }
        }, maxTest: count);
    }

    [Fact]
    public void ResultsOfEveryFusingOpWaitAndReductionsDoNot()
    {
        using var scope = Tensor.NewDisposeScope();
        using var everything = Deferral.DeferEverything();
        var a = Tensor.Rand([5, 4, 3]);
        var b = Tensor.Rand([4, 3]);
        foreach (var f in Binary) Assert.True(f(a, b).IsPending);
        foreach (var f in Unary) Assert.True(f(a).IsPending);
        var chain = (a - b).Abs();
        Assert.True(chain.IsPending);
        var mean = chain.Mean([-1, -2]);
        Assert.False(mean.IsPending);
        Assert.True(chain.IsPending); // folded into the mean without being computed
        Assert.False(a.Exp().IsPending); // not exactly rounded: computed at once
        Assert.False(a.To(DType.Int32).Abs().IsPending); // integers are not deferred
    }
}
