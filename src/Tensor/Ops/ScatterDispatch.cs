using System.Numerics;
using Tensors.Backends;

namespace Tensors.Ops;

/// <summary>
/// How Scatter combines values for a mode and dtype: Assign takes the source value; Add is a sum, and for Bool
/// (bytes holding 0 or 1) a logical or, which is the maximum, as in PyTorch. Every backend dispatches through it
/// so they agree on every dtype.
/// </summary>
internal static class ScatterDispatch
{
    public static void Run<TRunner>(ScatterMode mode, DType dtype, TRunner runner) where TRunner : struct, IBinaryRunner
    {
        if (mode == ScatterMode.Assign)
        {
            NumericDispatch.Run(dtype, new AssignRunner<TRunner>(runner));
            return;
        }
        switch (dtype)
        {
            case DType.Float32: runner.Run<float, AddFn<float>>(); break;
            case DType.Float64: runner.Run<double, AddFn<double>>(); break;
            case DType.Int32: runner.Run<int, AddFn<int>>(); break;
            case DType.Int64: runner.Run<long, AddFn<long>>(); break;
            case DType.UInt8: runner.Run<byte, AddFn<byte>>(); break;
            case DType.Bool: runner.Run<byte, MaximumFn<byte>>(); break;
            default: throw new NotSupportedException($"Scatter (add): dtype {dtype.Name()} has no kernels in this version; convert with To(DType.Float32).");
        }
    }

    private readonly struct AssignRunner<TRunner>(TRunner runner) : INumericRunner where TRunner : struct, IBinaryRunner
    {
        public void Run<T>() where T : unmanaged, INumber<T> => runner.Run<T, AssignFn<T>>();
    }
}

/// <summary>The second operand: (a, b) → b, Scatter's Assign as a binary function.</summary>
internal struct AssignFn<T> : IBinaryFn<T> where T : unmanaged, INumber<T>
{
    public static T Apply(T a, T b) => b;
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => b.CopyTo(d);
    public static void Apply(ReadOnlySpan<T> a, T b, Span<T> d) => d.Fill(b);
    public static void Apply(T a, ReadOnlySpan<T> b, Span<T> d) => b.CopyTo(d);
}
