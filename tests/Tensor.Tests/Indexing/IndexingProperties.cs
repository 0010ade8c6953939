using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Tensors.Tests.Indexing;

/// <summary>Properties of the index-tensor ops on random shapes, dims and indices.</summary>
public class IndexingProperties
{
    private static Gen<(int[] Shape, int Dim, int Seed)> Case() =>
        from shape in Shapes.Shape(4, 4).Where(s => s.Length > 0 && s.All(d => d > 0))
        from dim in Gen.Choose(0, shape.Length - 1)
        from seed in Gen.Choose(0, 100000)
        select (shape, dim, seed);

    private static Tensor Values(int[] shape, System.Random rng) =>
        Tensor.From(Enumerable.Range(0, shape.Aggregate(1, (a, b) => a * b)).Select(_ => (double)rng.Next(-50, 50)).ToArray(), shape);

    [Fact]
    public void ScatterOfAGatherByAPermutationRestoresTheTensor()
    {
        TestUtil.Check(Case(), c =>
        {
            var rng = new System.Random(c.Seed);
            using var x = Values(c.Shape, rng);
            // Along every line of dim, a permutation of 0..size-1.
            int size = c.Shape[c.Dim];
            var lines = x.Numel / size;
            var perms = new long[x.Numel];
            // Row-major positions, grouped by line: dim moved last.
            var perm = Enumerable.Range(0, c.Shape.Length).Where(d => d != c.Dim).Append(c.Dim).ToArray();
            using (var order = Tensor.Arange(x.Numel).View(c.Shape).Permute(perm))
            {
                var at = order.ToArray<long>();
                for (int l = 0; l < lines; l++)
                {
                    var p = Enumerable.Range(0, size).OrderBy(_ => rng.Next()).ToArray();
                    for (int j = 0; j < size; j++) perms[at[l * size + j]] = p[j];
                }
            }
            using var index = Tensor.From(perms, c.Shape);
            using var gathered = x.Gather(c.Dim, index);
            using var zeros = Tensor.Zeros(c.Shape, DType.Float64);
            using var back = zeros.Scatter(c.Dim, index, gathered);
            return back.ToArray<double>().SequenceEqual(x.ToArray<double>());
        });
    }

    [Fact]
    public void IndexAddEqualsALoopOverTheIndex()
    {
        TestUtil.Check(Case(), c =>
        {
            var rng = new System.Random(c.Seed);
            using var x = Values(c.Shape, rng);
            int size = c.Shape[c.Dim], n = rng.Next(0, 7);
            var idx = Enumerable.Range(0, n).Select(_ => (long)rng.Next(size)).ToArray();
            var srcShape = c.Shape.ToArray();
            srcShape[c.Dim] = n;
            using var src = Values(srcShape, rng);
            using var index = Tensor.From(idx);
            using var sum = x.IndexAdd(c.Dim, index, src);
            using var expected = x.Clone();
            for (int i = 0; i < n; i++)
            {
                using var row = expected.Select(c.Dim, (int)idx[i]);
                using var add = src.Select(c.Dim, i);
                row.Add_(add);
            }
            return sum.ToArray<double>().SequenceEqual(expected.ToArray<double>());
        });
    }

    [Fact]
    public void MaskedSelectNonzeroAndTheMaskIndexerAgree()
    {
        TestUtil.Check(Case(), c =>
        {
            var rng = new System.Random(c.Seed);
            using var x = Values(c.Shape, rng);
            using var mask = x.Gt(0);
            var flags = mask.ToArray<bool>();
            var expected = x.ToArray<double>().Where((_, i) => flags[i]).ToArray();
            using var selected = x.MaskedSelect(mask);
            using var indexed = x[mask];
            using var nz = mask.Nonzero();
            using var picked = x.Flatten().IndexSelect(0, FlatPositions(nz, c.Shape));
            return selected.ToArray<double>().SequenceEqual(expected) && indexed.ToArray<double>().SequenceEqual(expected)
                && nz.Shape.SequenceEqual(new[] { expected.Length, c.Shape.Length }) && picked.ToArray<double>().SequenceEqual(expected);
        });
    }

    // Row-major positions from Nonzero's coordinates.
    private static Tensor FlatPositions(Tensor nonzero, int[] shape)
    {
        var coords = nonzero.ToArray<long>();
        int r = shape.Length;
        var flat = new long[coords.Length / r];
        for (int i = 0; i < flat.Length; i++)
            for (int k = 0; k < r; k++) flat[i] = flat[i] * shape[k] + coords[i * r + k];
        return Tensor.From(flat);
    }
}
