namespace Tensors.Tests.Fixtures;

internal static partial class FixtureInterpreter
{
    // No Shapes fixture ops yet: fixtures_shapes.py does not exist.
    private static Tensor? ApplyShapes(string op, object[] a, Dictionary<string, object> kw) => null;
}
