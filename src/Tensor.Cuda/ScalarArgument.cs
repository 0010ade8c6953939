using System.Numerics;
using Tensors.Ops;

namespace Tensors.Cuda;

/// <summary>A <see cref="Scalar"/> as the kernel parameter of a dtype, converted exactly as every backend's Fill
/// converts it (<see cref="Scalar.To{T}"/>, chosen through the shared dtype dispatch).</summary>
internal static class ScalarArgument
{
    public static void Append(KernelArgs args, Scalar value, DType dtype) =>
        NumericDispatch.RunStorage(dtype, new Appender(args, value, dtype == DType.Bool));

    private readonly struct Appender(KernelArgs args, Scalar value, bool toBool) : INumericRunner
    {
        public void Run<T>() where T : unmanaged, INumber<T> => args.Add(value.To<T>(toBool));
    }
}
