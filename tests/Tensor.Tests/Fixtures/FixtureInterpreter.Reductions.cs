namespace Tensors.Tests.Fixtures;

internal static partial class FixtureInterpreter
{
    // No Reductions fixture ops yet: fixtures_reductions.py does not exist.
    private static Tensor? ApplyReductions(string op, object[] a, Dictionary<string, object> kw) => null;
}
