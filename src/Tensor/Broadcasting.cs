namespace Tensors;

/// <summary>NumPy's broadcasting rule, in one place for every op.</summary>
public static class Broadcasting
{
    /// <summary>
    /// The shape two operands broadcast to: shapes are aligned on the right, and each pair of sizes must be equal
    /// or contain a 1 (which stretches). Throws <see cref="ArgumentException"/> naming <paramref name="op"/> and
    /// both shapes otherwise.
    /// </summary>
    /// <param name="op">The op's name, for the error message.</param>
    /// <param name="a">The first operand's shape.</param>
    /// <param name="b">The second operand's shape.</param>
    /// <exception cref="ArgumentException">The shapes cannot be broadcast together.</exception>
    public static int[] Shape(string op, ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var result = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
            int db = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            if (da == db || db == 1) result[i] = da;
            else if (da == 1) result[i] = db;
            else
                throw new ArgumentException(
                    $"{op}: shapes {Layout.Format(a)} and {Layout.Format(b)} cannot be broadcast: " +
                    $"size {da} vs size {db} at dim {i - rank} (counted from the right); sizes must match or one must be 1.");
        }
        return result;
    }

    /// <summary>The broadcast shape of several operands, folded pairwise.</summary>
    /// <param name="op">The op's name, for the error message.</param>
    /// <param name="shapes">The operands' shapes; none gives the 0-d shape.</param>
    /// <exception cref="ArgumentException">The shapes cannot be broadcast together.</exception>
    public static int[] ShapeOfAll(string op, params int[][] shapes)
    {
        var result = Array.Empty<int>();
        foreach (var s in shapes) result = Shape(op, result, s);
        return result;
    }
}
