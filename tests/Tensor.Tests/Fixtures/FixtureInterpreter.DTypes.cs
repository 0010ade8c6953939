namespace Tensors.Tests.Fixtures;

internal static partial class FixtureInterpreter
{
    // fixtures_dtypes.py: promote_types (an empty tensor of the promoted dtype), and "f32_<op>", PyTorch's float16
    // ops that 1.13 computes only through float32 explicitly, which are our plain ops.
    private static Tensor? ApplyDTypes(string op, object[] a, Dictionary<string, object> kw) => op switch
    {
        "promote_types" => Tensor.Zeros([0], DTypes.Promote(((Tensor)a[0]).DType, ((Tensor)a[1]).DType)),
        _ when op.StartsWith("f32_", StringComparison.Ordinal) => Apply(op[4..], a, kw),
        _ => null,
    };
}
