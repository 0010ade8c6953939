using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Tensors.Tests.ShapeOps;

/// <summary>
/// Properties of the shape ops on random shapes and arguments, each against a plain model: the element at each output
/// index is read from the input index the op's definition names (Flip, Roll, Repeat, Pad, Tril), pieces put back
/// together give the input (Split, Chunk), and Einsum agrees with a brute-force sum over every assignment of its letters.
/// </summary>
public class ShapeProperties
{
    private static Gen<int[]> Shape(int minRank, int maxRank, int maxSize = 4) =>
        Gen.Choose(minRank, maxRank).SelectMany(r => Gen.ArrayOf(Gen.Choose(0, maxSize), r));

    private static Tensor Values(int[] shape)
    {
        int n = shape.Aggregate(1, (a, b) => a * b);
        return Tensor.From(Enumerable.Range(0, n).Select(i => i * 1.5 - 7).ToArray(), shape);
    }

    /// <summary>Checks <paramref name="actual"/> has <paramref name="shape"/> and, at each index, the input's value at
    /// <paramref name="source"/>(index), or <paramref name="fill"/> where that is null.</summary>
    private static bool Model(Tensor input, Tensor actual, int[] shape, Func<int[], int[]?> source, double fill = 0)
    {
        if (!actual.Shape.SequenceEqual(shape)) return false;
        var x = input.ToArray<double>();
        var y = actual.ToArray<double>();
        var inStrides = Layout.ContiguousStrides(input.Shape);
        var index = new int[shape.Length];
        for (int e = 0; e < y.Length; e++)
        {
            var src = source(index);
            double expected = src is null ? fill : x[src.Select((v, i) => v * inStrides[i]).Sum()];
            if (y[e] != expected) return false;
            Backends.Indexing.Increment(index, shape);
        }
        return true;
    }

    [Fact]
    public void FlipReadsMirroredIndices() => TestUtil.Check(
        from shape in Shape(1, 4)
        from dims in Gen.SubListOf(Enumerable.Range(0, shape.Length).ToArray())
        select (shape, dims: dims.ToArray()),
        c =>
        {
            using var x = Values(c.shape);
            using var y = x.Flip(c.dims);
            return Model(x, y, c.shape, i => i.Select((v, d) => c.dims.Contains(d) ? c.shape[d] - 1 - v : v).ToArray());
        });

    [Fact]
    public void RollReadsShiftedIndices() => TestUtil.Check(
        from shape in Shape(1, 3)
        from dim in Gen.Choose(0, shape.Length - 1)
        from shift in Gen.Choose(-9, 9)
        from flat in Gen.Elements(false, true)
        select (shape, dim, shift, flat),
        c =>
        {
            using var x = Values(c.shape);
            if (c.flat)
            {
                using var y = x.Roll(c.shift);
                int n = x.Numel;
                var strides = Layout.ContiguousStrides(c.shape);
                return Model(x, y, c.shape, i =>
                {
                    int linear = ((i.Select((v, d) => v * strides[d]).Sum() - c.shift) % n + n) % n;
                    return c.shape.Select((_, d) => linear / strides[d] % c.shape[d]).ToArray();
                });
            }
            using var r = x.Roll(c.shift, c.dim);
            int size = c.shape[c.dim];
            return Model(x, r, c.shape, i => i.Select((v, d) => d == c.dim ? ((v - c.shift) % size + size) % size : v).ToArray());
        });

    [Fact]
    public void RepeatReadsIndicesModuloTheShape() => TestUtil.Check(
        from shape in Shape(0, 3, 3)
        from extra in Gen.Choose(0, 2)
        from reps in Gen.ArrayOf(Gen.Choose(0, 3), shape.Length + extra)
        select (shape, reps),
        c =>
        {
            using var x = Values(c.shape);
            using var y = x.Repeat(c.reps);
            int lead = c.reps.Length - c.shape.Length;
            var outShape = c.reps.Select((r, d) => r * (d < lead ? 1 : c.shape[d - lead])).ToArray();
            return Model(x, y, outShape, i => i[lead..].Select((v, d) => v % c.shape[d]).ToArray());
        });

    [Fact]
    public void PadReadsInsideAndFillsOutside() => TestUtil.Check(
        from shape in Shape(1, 4, 4)
        from mode in Gen.Elements("constant", "reflect", "replicate")
        from padded in Gen.Choose(1, Math.Min(3, mode == "constant" ? shape.Length : shape.Length - 1))
        from pads in Gen.ArrayOf(Gen.Choose(mode == "constant" ? -2 : 0, 3), 2 * padded)
        select (shape, mode, pads),
        c =>
        {
            int padded = c.pads.Length / 2;
            if (c.mode != "constant" && (padded == 0 || c.shape.Length < padded + 1 || c.shape.Length > padded + 2)) return true;
            int[] Before(int d) => d >= c.shape.Length - padded ? [c.pads[2 * (c.shape.Length - 1 - d)], c.pads[2 * (c.shape.Length - 1 - d) + 1]] : [0, 0];
            var outShape = c.shape.Select((s, d) => s + Before(d)[0] + Before(d)[1]).ToArray();
            // Negative (cropping) pads may not remove more than the dim holds, as in PyTorch, even when the other pad adds back.
            bool valid = c.shape.Select((s, d) => s + Math.Min(0, Before(d)[0]) + Math.Min(0, Before(d)[1])).All(s => s >= 0) && (c.mode == "constant" || (!c.shape[1..].Contains(0)
                && c.shape.Select((s, d) => (s, p: Before(d))).All(t => c.mode == "replicate" || t.p.All(p => p < t.s || p == 0))));
            using var x = Values(c.shape);
            if (!valid)
                return Record.Exception(() => x.Pad(c.pads, c.mode, 2.5)) is ArgumentException e && e.Message.StartsWith("Pad:");
            using var y = x.Pad(c.pads, c.mode, 2.5);
            return Model(x, y, outShape, i =>
            {
                var src = new int[i.Length];
                for (int d = 0; d < i.Length; d++)
                {
                    int j = i[d] - Before(d)[0], n = c.shape[d];
                    if (c.mode == "reflect") j = j < 0 ? -j : j >= n ? 2 * (n - 1) - j : j;
                    else if (c.mode == "replicate") j = Math.Clamp(j, 0, n - 1);
                    else if (j < 0 || j >= n) return null;
                    src[d] = j;
                }
                return src;
            }, 2.5);
        });

    [Fact]
    public void TrilAndTriuKeepTheirTriangles() => TestUtil.Check(
        from shape in Shape(2, 4)
        from k in Gen.Choose(-4, 4)
        from lower in Gen.Elements(true, false)
        select (shape, k, lower),
        c =>
        {
            using var x = Values(c.shape);
            using var y = c.lower ? x.Tril(c.k) : x.Triu(c.k);
            return Model(x, y, c.shape, i =>
            {
                int diff = i[^1] - i[^2];
                return (c.lower ? diff <= c.k : diff >= c.k) ? i : null;
            });
        });

    [Fact]
    public void SplitAndChunkPiecesCatBackToTheInput() => TestUtil.Check(
        from shape in Shape(1, 3, 6)
        from dim in Gen.Choose(0, shape.Length - 1)
        from size in Gen.Choose(1, 7)
        from chunk in Gen.Elements(false, true)
        select (shape, dim, size, chunk),
        c =>
        {
            using var x = Values(c.shape);
            var pieces = c.chunk ? x.Chunk(c.size, c.dim) : x.Split(c.size, c.dim);
            try
            {
                using var back = Tensor.Cat(pieces, c.dim);
                return back.ToArray<double>().SequenceEqual(x.ToArray<double>()) && pieces.All(p => p.SharesStorageWith(x))
                    && (c.chunk ? pieces.Length <= c.size : pieces.Take(pieces.Length - 1).All(p => p.Shape[c.dim] == c.size));
            }
            finally { foreach (var p in pieces) p.Dispose(); }
        });

    /// <summary>A random equation over letters of fixed sizes: 1 to 3 operands of 0 to 3 letters (repeats allowed),
    /// some dims of size 1 (broadcast), and an output of distinct letters drawn from them (or implicit).</summary>
    private static Gen<(string Equation, int[][] Shapes)> Equation()
    {
        var letters = "abcd";
        int[] sizes = [2, 3, 1, 2];
        return from count in Gen.Choose(1, 3)
               from terms in Gen.ArrayOf(Gen.Choose(0, 3).SelectMany(n => Gen.ArrayOf(Gen.Elements(letters.ToCharArray()), n)), count)
               let used = terms.SelectMany(t => t).Distinct().ToArray()
               from output in Gen.Shuffle(used).SelectMany(s => Gen.Choose(0, s.Length).Select(k => s.Take(k).ToArray()))
               from implicitOutput in Gen.Elements(false, false, true)
               from ones in Gen.ArrayOf(Gen.Elements(false, false, false, true), terms.Sum(t => t.Length))
               let lhs = string.Join(",", terms.Select(t => new string(t)))
               let shapes = terms.Select(t => t.Select(ch => sizes[letters.IndexOf(ch)]).ToArray()).ToArray()
               // Some dims of size 1, which broadcast against the letter's size elsewhere.
               let flat = shapes.SelectMany(x => x).Select((size, i) => ones[i] ? 1 : size).ToArray()
               select (implicitOutput ? lhs : lhs + "->" + new string(output),
                       shapes.Select((x, k) => flat.Skip(shapes.Take(k).Sum(y => y.Length)).Take(x.Length).ToArray()).ToArray());
    }

    [Fact]
    public void EinsumMatchesABruteForceSum() => TestUtil.Check(Equation(), c =>
    {
        var operands = c.Shapes.Select((s, k) => { using var v = Values(s); return v * (k + 1.0) / 10; }).ToArray();
        try
        {
            using var y = Tensor.Einsum(c.Equation, operands);
            var terms = c.Equation.Split("->")[0].Split(',');
            string output = c.Equation.Contains("->") ? c.Equation.Split("->")[1]
                : new string(terms.SelectMany(t => t).GroupBy(ch => ch).Where(g => g.Count() == 1).Select(g => g.Key).Order().ToArray());
            var letters = terms.SelectMany(t => t).Distinct().ToArray();
            var size = letters.ToDictionary(ch => ch, ch => terms.Select((t, k) => t.Select((x, i) => x == ch ? c.Shapes[k][i] : 1).DefaultIfEmpty(1).Max()).Max());
            var outShape = output.Select(ch => size[ch]).ToArray();
            var expected = new double[outShape.Aggregate(1, (p, s) => p * s)];
            var values = operands.Select(o => o.ToArray<double>()).ToArray();
            var assignment = new int[letters.Length];
            var all = letters.Select(ch => size[ch]).ToArray();
            for (long e = 0, total = all.Aggregate(1L, (p, s) => p * s); e < total; e++)
            {
                int At(string term, int[] shape) => term.Select((ch, i) => (shape[i] == 1 ? 0 : assignment[Array.IndexOf(letters, ch)]) * Layout.ContiguousStrides(shape)[i]).Sum();
                double product = 1;
                for (int k = 0; k < terms.Length; k++) product *= values[k][At(terms[k], c.Shapes[k])];
                expected[At(output, outShape)] += product;
                Backends.Indexing.Increment(assignment, all);
            }
            if (!y.Shape.SequenceEqual(outShape)) return false;
            TestUtil.AllClose(expected, y.ToArray<double>(), 1e-12, 1e-12);
            return true;
        }
        finally { foreach (var o in operands) o.Dispose(); }
    }, maxTest: 300);
}
