using System.Numerics;

namespace Tensors.Ops;

/// <summary>The sort order every backend shares: NaN above every number; ties broken by position, so a sort by
/// this order is stable.</summary>
internal static class SortRule<T> where T : unmanaged, INumber<T>
{
    /// <summary>True when <paramref name="a"/> comes strictly before <paramref name="b"/> (ascending: a is smaller;
    /// descending: a is larger).</summary>
    public static bool Before(T a, T b, bool descending) => descending ? Above(a, b) : Above(b, a);

    // a > b, with NaN the largest value of all (and equal to itself).
    private static bool Above(T a, T b) => !T.IsNaN(b) && (T.IsNaN(a) || a > b);
}

/// <summary>A value and its position in its row, ordered by <see cref="SortRule{T}"/> then by position: a total
/// order, so any sort (an unstable one included) gives the one stable answer.</summary>
internal readonly record struct SortEntry<T>(T Value, int Index) where T : unmanaged, INumber<T>;

internal readonly struct SortEntryOrder<T>(bool descending) : IComparer<SortEntry<T>> where T : unmanaged, INumber<T>
{
    public int Compare(SortEntry<T> x, SortEntry<T> y) =>
        SortRule<T>.Before(x.Value, y.Value, descending) ? -1 :
        SortRule<T>.Before(y.Value, x.Value, descending) ? 1 :
        x.Index.CompareTo(y.Index);
}
