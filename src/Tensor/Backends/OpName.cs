using System.Runtime.CompilerServices;

namespace Tensors.Backends;

/// <summary>The names of an op-kind enum's members, made once. Ops carry their name for error messages from the
/// start; <c>op.ToString()</c> boxed the value and looked the name up on every call of every small op.</summary>
internal static class OpName<TOp> where TOp : unmanaged, Enum
{
    private static readonly string[] Names = Build();

    private static string[] Build()
    {
        var values = Enum.GetValues<TOp>();
        var names = new string[values.Length == 0 ? 0 : values.Max(Index) + 1];
        foreach (var v in values) names[Index(v)] = v.ToString();
        return names;
    }

    private static int Index(TOp op) => Unsafe.SizeOf<TOp>() == 4 ? Unsafe.As<TOp, int>(ref op) : Convert.ToInt32(op);

    /// <summary>The member's name (an undefined value prints as its number, as ToString does).</summary>
    public static string Of(TOp op)
    {
        int i = Index(op);
        return (uint)i < (uint)Names.Length && Names[i] is { } name ? name : op.ToString();
    }
}
