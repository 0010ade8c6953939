namespace Tensors.Tests.Fixtures;

internal static partial class FixtureInterpreter
{
    // No DTypes fixture ops yet: fixtures_dtypes.py does not exist.
    private static Tensor? ApplyDTypes(string op, object[] a, Dictionary<string, object> kw) => null;
}
