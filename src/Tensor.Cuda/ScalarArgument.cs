using System.Numerics;

namespace Tensors.Cuda;

/// <summary>A <see cref="Scalar"/> as the kernel parameter of a dtype: integers converted exactly from 64 bits,
/// floats truncated toward zero, and "not zero" for Bool, the conversions of every backend's Fill.</summary>
internal static class ScalarArgument
{
    public static void Append(KernelArgs args, Scalar value, DType dtype)
    {
        switch (dtype)
        {
            case DType.Float32: args.Add(Convert<float>(value)); break;
            case DType.Float64: args.Add(Convert<double>(value)); break;
            case DType.Int32: args.Add(Convert<int>(value)); break;
            case DType.Int64: args.Add(Convert<long>(value)); break;
            case DType.UInt8: args.Add(Convert<byte>(value)); break;
            case DType.Bool: args.Add((byte)(value.ToDouble() != 0 ? 1 : 0)); break;
            default: throw new NotSupportedException($"Fill: dtype {dtype.Name()} has no CUDA kernels in this version.");
        }
    }

    private static T Convert<T>(Scalar v) where T : INumber<T> =>
        v.IsIntegral ? T.CreateTruncating(v.ToInt64()) : T.CreateTruncating(v.ToDouble());
}
