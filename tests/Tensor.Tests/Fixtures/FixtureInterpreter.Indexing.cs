namespace Tensors.Tests.Fixtures;

internal static partial class FixtureInterpreter
{
    // No Indexing fixture ops yet: fixtures_indexing.py does not exist.
    private static Tensor? ApplyIndexing(string op, object[] a, Dictionary<string, object> kw) => null;
}
