using System.Numerics;
using Tensors.Backends;

namespace Tensors.Ops;

/// <summary>
/// The fold each inclusive scan uses for a dtype, shared by every CPU-side backend: the reductions' own functions
/// (so a cumulative sum's last element is exactly what Sum gives on the reference path). Float32 sums accumulate
/// in float64 as PyTorch's CPU cumsum does; for Bool (bytes holding 0 or 1) a running sum is a logical or (the
/// maximum) and a running product a logical and.
/// </summary>
internal static class ScanDispatch
{
    public static void Run<TRunner>(ScanOp op, DType dtype, TRunner runner) where TRunner : struct, IReduceRunner =>
        NumericDispatch.Run(dtype, new ByType<TRunner>(op, dtype == DType.Bool, runner));

    private readonly struct ByType<TRunner>(ScanOp op, bool isBool, TRunner runner) : INumericRunner where TRunner : struct, IReduceRunner
    {
        public void Run<T>() where T : unmanaged, INumber<T>
        {
            switch (op)
            {
                case ScanOp.Sum when isBool: runner.Run<T, T, MaxFn<T>>(); break;
                case ScanOp.Sum when typeof(T) == typeof(float): runner.Run<float, double, FloatSumFn>(); break;
                case ScanOp.Sum: runner.Run<T, T, SumFn<T>>(); break;
                case ScanOp.Prod: runner.Run<T, T, ProdFn<T>>(); break;
                default: throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown scan.");
            }
        }
    }
}
