namespace Tensors.Tests.Fixtures;

internal static partial class FixtureInterpreter
{
    // No Elementwise fixture ops yet: fixtures_elementwise.py does not exist.
    private static Tensor? ApplyElementwise(string op, object[] a, Dictionary<string, object> kw) => null;
}
