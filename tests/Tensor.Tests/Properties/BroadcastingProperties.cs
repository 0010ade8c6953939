using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Tensors.Tests.Properties;

public class BroadcastingProperties
{
    private static Tensor Values(int[] shape, int seed)
    {
        var rng = new System.Random(seed);
        int n = shape.Aggregate(1, (a, b) => a * b);
        return Tensor.From(Enumerable.Range(0, n).Select(_ => (float)Math.Round(rng.NextDouble() * 8 - 4, 2)).ToArray(), shape);
    }

    [Fact]
    public void ResultShapeMatchesThePlainRule()
    {
        var any = from a in Shapes.Shape() from b in Shapes.Shape() select (a, b);
        TestUtil.Check(Gen.OneOf(any, Shapes.Compatible()), p =>
        {
            var expected = Shapes.Reference(p.Item1, p.Item2);
            if (expected is null)
            {
                var ex = Assert.Throws<ArgumentException>(() => Broadcasting.Shape("Add", p.Item1, p.Item2));
                return ex.Message.Contains("Add") && ex.Message.Contains(Layout.Format(p.Item1)) && ex.Message.Contains(Layout.Format(p.Item2));
            }
            return Broadcasting.Shape("Add", p.Item1, p.Item2).SequenceEqual(expected);
        }, maxTest: 400);
    }

    [Fact]
    public void IncompatibleShapesThrowNamingOpAndShapes()
    {
        var gen = from s in Shapes.Shape(4, 4).Where(s => s.Length > 0)
                  from d in Gen.Choose(0, s.Length - 1)
                  from x in Gen.Choose(2, 5)
                  from y in Gen.Choose(2, 5).Where(y => y != x)
                  select (s.Select((v, i) => i == d ? x : v).ToArray(), s.Select((v, i) => i == d ? y : v).ToArray());
        TestUtil.Check(gen, p =>
        {
            using var a = Tensor.Zeros(p.Item1);
            using var b = Tensor.Zeros(p.Item2);
            var ex = Assert.Throws<ArgumentException>(() => a.Mul(b));
            return ex.Message.StartsWith("Mul:") && ex.Message.Contains(Layout.Format(p.Item1)) && ex.Message.Contains(Layout.Format(p.Item2));
        });
    }

    private static Gen<(int[] A, int[] B, int seed)> CompatibleWithSeed() =>
        from p in Shapes.Compatible(5, 4) from seed in Gen.Choose(0, 10000) select (p.A, p.B, seed);

    [Fact]
    public void BroadcastOpEqualsOpOnExpandedContiguousCopies()
    {
        var gen = CompatibleWithSeed();
        TestUtil.Check(gen, c =>
        {
            using var a = Values(c.A, c.seed);
            using var b = Values(c.B, c.seed + 1);
            var shape = Broadcasting.Shape("test", c.A, c.B);
            using var ea = a.Expand(shape).Contiguous();
            using var eb = b.Expand(shape).Contiguous();
            foreach (var op in new Func<Tensor, Tensor, Tensor>[] { (x, y) => x + y, (x, y) => x - y, (x, y) => x * y, (x, y) => x.Maximum(y) })
            {
                using var r1 = op(a, b);
                using var r2 = op(ea, eb);
                if (!r1.Shape.SequenceEqual(shape) || !r1.ToArray<float>().SequenceEqual(r2.ToArray<float>())) return false;
            }
            using var w1 = Tensor.Where(a.Gt(0), a, b);
            using var w2 = Tensor.Where(ea.Gt(0), ea, eb);
            return w1.ToArray<float>().SequenceEqual(w2.ToArray<float>());
        });
    }

    [Fact]
    public void CommutativeOpsCommute()
    {
        var gen = CompatibleWithSeed();
        TestUtil.Check(gen, c =>
        {
            using var a = Values(c.A, c.seed);
            using var b = Values(c.B, c.seed + 7);
            foreach (var op in new Func<Tensor, Tensor, Tensor>[] { (x, y) => x + y, (x, y) => x * y, (x, y) => x.Maximum(y), (x, y) => x.Minimum(y) })
            {
                using var ab = op(a, b);
                using var ba = op(b, a);
                if (!ab.ToArray<float>().SequenceEqual(ba.ToArray<float>())) return false;
            }
            using var e1 = a.Eq(b);
            using var e2 = b.Eq(a);
            return e1.ToArray<bool>().SequenceEqual(e2.ToArray<bool>());
        });
    }

    /// <summary>Random non-contiguous views of the same values: sliced with steps, transposed, expanded.</summary>
    private static Gen<(int[] Shape, int Seed, int Kind)> Views() =>
        from shape in Shapes.Shape(4, 5)
        from seed in Gen.Choose(0, 10000)
        from kind in Gen.Choose(0, 3)
        select (shape, seed, kind);

    private static Tensor MakeView(int[] shape, int seed, int kind)
    {
        switch (kind)
        {
            case 0: // a strided slice of a bigger tensor
            {
                using var big = Values(shape.Select(s => s * 2 + 1).ToArray(), seed);
                var v = big.Contiguous();
                for (int d = 0; d < shape.Length; d++) v = v.Slice(d, 1, 1 + 2 * shape[d], 2);
                return v;
            }
            case 1: // a permuted contiguous tensor
            {
                var perm = Enumerable.Range(0, shape.Length).Reverse().ToArray();
                using var t = Values(perm.Select(p => shape[p]).ToArray(), seed);
                return t.Permute(perm);
            }
            case 2: // an expanded tensor: the first dim is broadcast
            {
                if (shape.Length == 0) return Values(shape, seed);
                using var t = Values([1, .. shape[1..]], seed);
                return t.Expand(shape);
            }
            default:
                return Values(shape, seed);
        }
    }

    [Fact]
    public void NonContiguousInputsMatchContiguousCopies()
    {
        TestUtil.Check(Views(), c =>
        {
            using var v = MakeView(c.Shape, c.Seed, c.Kind);
            using var copy = v.Clone();
            Assert.True(copy.IsContiguous);
            var ops = new Func<Tensor, Tensor>[]
            {
                x => x.Exp(), x => x.Abs(), x => x.Relu(), x => x * 2.5 + x, x => x.Sum(), x => x.Mean(),
                x => x.Rank > 0 ? x.Sum(0) : x.Sum(), x => x.Rank > 1 ? x.Sum(-1, keepDim: true) : x.Neg(),
                x => x.Rank > 0 && x.Shape[0] > 0 ? x.Max(0) : x.Neg(), x => x.Gt(0).To(DType.Float32),
                x => x.Rank >= 2 ? x.MatMul(x.Transpose(-1, -2)) : x.Sigmoid(), x => x.Contiguous(),
            };
            foreach (var op in ops)
            {
                using var r1 = op(v);
                using var r2 = op(copy);
                if (!r1.Shape.SequenceEqual(r2.Shape)) return false;
                TestUtil.AllClose(r2.ToArray<float>(), r1.ToArray<float>(), 1e-5f, 1e-5f);
            }
            return true;
        });
    }

    [Fact]
    public void InPlaceWritesIntoExpandedViewsAreRefused()
    {
        var gen = from shape in Shapes.Shape(4, 4).Where(s => s.Length > 0 && s[0] > 1 && !s.Contains(0)) select shape;
        TestUtil.Check(gen, shape =>
        {
            using var t = Tensor.Zeros([1, .. shape[1..]]);
            using var e = t.Expand(shape);
            using var one = Tensor.Ones(shape[1..]);
            var errors = new Action[] { () => e.Add_(one), () => e.Mul_(2.0), () => e.Fill_(1), () => e.CopyFrom_(one) };
            return errors.All(a => Assert.Throws<InvalidOperationException>(a).Message.Contains("overlap"));
        });
    }
}
