namespace Tensors.Tests.Fixtures;

internal static partial class FixtureInterpreter
{
    // No NN fixture ops yet: fixtures_nn.py does not exist.
    private static Tensor? ApplyNN(string op, object[] a, Dictionary<string, object> kw) => null;
}
