namespace Tensors.Tests.Fixtures;

internal static partial class FixtureInterpreter
{
    /// <summary>The ops of each area of the API, one file each (FixtureInterpreter.&lt;Area&gt;.cs, beside the
    /// fixtures_&lt;area&gt;.py module that writes their cases): null when the op is not one of that area's.</summary>
    private static Tensor? ApplyArea(string op, object[] a, Dictionary<string, object> kw) =>
        ApplyElementwise(op, a, kw) ?? ApplyIndexing(op, a, kw) ?? ApplyReductions(op, a, kw) ??
        ApplyShapes(op, a, kw) ?? ApplyNN(op, a, kw) ?? ApplyDTypes(op, a, kw) ?? ApplyConv(op, a, kw) ?? ApplyPools(op, a, kw);
}
