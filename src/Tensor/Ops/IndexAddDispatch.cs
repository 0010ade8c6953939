namespace Tensors.Ops;

/// <summary>
/// The accumulation IndexAdd uses for a dtype: a sum, and for Bool (bytes holding 0 or 1) a logical or, which is
/// the maximum, as in PyTorch. Both backends dispatch through it so they agree on every dtype.
/// </summary>
internal static class IndexAddDispatch
{
    public static void Run<TRunner>(DType dtype, TRunner runner) where TRunner : struct, IBinaryRunner
    {
        switch (dtype)
        {
            case DType.Float32: runner.Run<float, AddFn<float>>(); break;
            case DType.Float64: runner.Run<double, AddFn<double>>(); break;
            case DType.Int32: runner.Run<int, AddFn<int>>(); break;
            case DType.Int64: runner.Run<long, AddFn<long>>(); break;
            case DType.UInt8: runner.Run<byte, AddFn<byte>>(); break;
            case DType.Bool: runner.Run<byte, MaximumFn<byte>>(); break;
            default: throw new NotSupportedException($"IndexAdd: dtype {dtype.Name()} has no kernels in this version; convert with To(DType.Float32).");
        }
    }
}
