namespace Tensors.Tests.Fixtures;

internal static partial class FixtureInterpreter
{
    /// <summary>The shape ops of fixtures_shapes.py. Ops that return several tensors (split, chunk, unbind, meshgrid)
    /// take the piece's index last; einsum takes its equation as a keyword.</summary>
    private static Tensor? ApplyShapes(string op, object[] a, Dictionary<string, object> kw)
    {
        int I(int i) => (int)(long)a[i];
        int[] Ints(object o) => o is long l ? [(int)l] : (int[])o;
        Tensor X() => (Tensor)a[0];
        int? Dim() => kw.GetValueOrDefault("dim") is long d ? (int)d : null;
        return op switch
        {
            "split" => a[1] is long size ? X().Split((int)size, I(2))[I(3)] : X().Split((int[])a[1], I(2))[I(3)],
            "chunk" => X().Chunk(I(1), I(2))[I(3)],
            "unbind" => X().Unbind(I(1))[I(2)],
            "movedim" => a[1] is long s ? X().Movedim((int)s, I(2)) : X().Movedim((int[])a[1], (int[])a[2]),
            "flip" => X().Flip(Ints(a[1])),
            "roll" => a.Length == 2 ? X().Roll(I(1)) : X().Roll(Ints(a[1]), Ints(a[2])),
            "repeat" => X().Repeat(Ints(a[1])),
            "tile" => X().Tile(Ints(a[1])),
            "repeat_interleave" => a[1] is Tensor r ? X().RepeatInterleave(r, Dim()) : X().RepeatInterleave(I(1), Dim()),
            "tril" => X().Tril(I(1)),
            "triu" => X().Triu(I(1)),
            "diag" => X().Diag(I(1)),
            "diagonal" => X().Diagonal(I(1), I(2), I(3)),
            "meshgrid" => Tensor.Meshgrid(a[..^1].Cast<Tensor>().ToArray(), (string)kw["indexing"])[(int)(long)a[^1]],
            "pad" => X().Pad(Ints(a[1]), kw.GetValueOrDefault("mode") as string ?? "constant", Number(kw.GetValueOrDefault("value"))),
            "einsum" => Tensor.Einsum((string)kw["equation"], a.Cast<Tensor>().ToArray()),
            _ => null,
        };
    }

    private static double Number(object? o) => o switch { null => 0, long l => l, double d => d, _ => throw NotMapped($"a number of type {o.GetType().Name}") };
}
