using Tensors.Backends;

namespace Tensors.Fusion;

/// <summary>
/// Which elementwise results wait to be computed. Only exactly rounded ops (the IEEE operations, whose value does not
/// depend on how a kernel groups or vectorises them) fuse, so a fused chain gives the same bits as the ops one at a
/// time; in float32 and float64, on a backend that computes expressions, for results large enough that a pass over
/// memory costs more than the bookkeeping. <c>TENSOR_FUSION=0</c> in the environment turns deferral off.
/// </summary>
internal static class Deferral
{
    /// <summary>Results smaller than this are computed at once: the deferral bookkeeping costs about half a
    /// microsecond, which at 16K elements was a third of a lone add's time, and at 64K (a pass of 10 us or more) is
    /// small beside what a fused pass saves. <c>TENSOR_FUSION_MIN_ELEMENTS</c> overrides it (CI runs the test
    /// suite once more with 1, so that every eligible op of every test waits).</summary>
    public static readonly int MinElements =
        int.TryParse(Environment.GetEnvironmentVariable("TENSOR_FUSION_MIN_ELEMENTS"), out int min) && min > 0 ? min : 1 << 16;

    /// <summary>Chains whose leaves change position more often than this (a batch norm's per-channel statistics over
    /// 7x7 planes: every 49 elements) are computed op by op: the expression's per-block bookkeeping then costs more
    /// than the passes it saves (a training-mode batch norm at 64x64x7x7 took twice as long deferred). The
    /// <c>TENSOR_FUSION_MIN_ELEMENTS</c> override lowers it too, so that CI's every-result-deferred run still
    /// sends short blocks through the expressions.</summary>
    public static readonly int MinInnerRun = Math.Min(256, MinElements);

    private static readonly bool Enabled = Environment.GetEnvironmentVariable("TENSOR_FUSION") != "0";

    [ThreadStatic] private static int _suspended;
    [ThreadStatic] private static bool _everything;

    /// <summary>Lets results of every size wait on this thread until disposed (tests use small tensors).</summary>
    public static Everything DeferEverything()
    {
        _everything = true;
        return default;
    }

    /// <summary>Ends a <see cref="DeferEverything"/>.</summary>
    public readonly struct Everything : IDisposable
    {
        public void Dispose() => _everything = false;
    }

    /// <summary>True when an op's result may wait; false on this thread inside <see cref="Suspend"/>.</summary>
    public static bool IsOn => Enabled && _suspended == 0;

    /// <summary>Computes every elementwise result on this thread at once until disposed (tests compare the two).</summary>
    public static Suspension Suspend()
    {
        _suspended++;
        return default;
    }

    /// <summary>Ends a <see cref="Suspend"/>.</summary>
    public readonly struct Suspension : IDisposable
    {
        public void Dispose() => _suspended--;
    }

    /// <summary>Whether a result of <paramref name="numel"/> elements of <paramref name="dtype"/>, on the backend
    /// that owns <paramref name="storage"/>, may wait.</summary>
    public static bool Allows(Storage storage, DType dtype, int numel) =>
        IsOn && (numel >= MinElements || _everything) && dtype is DType.Float32 or DType.Float64 && storage.Backend is IExpressionBackend;

    /// <summary>Whether <paramref name="e"/>, whose leaves and steps fit, is worth computing as one expression.</summary>
    public static bool Pays(ElementwiseExpression e) => _everything || e.InnerRun() >= MinInnerRun;

    /// <summary>The unary ops that fuse: exactly rounded, so fused and one at a time give the same bits.</summary>
    public static bool Fuses(UnaryOp op) => op is UnaryOp.Neg or UnaryOp.Abs or UnaryOp.Relu or UnaryOp.Sqrt or UnaryOp.Trunc;

    /// <summary>The binary ops that fuse.</summary>
    public static bool Fuses(BinaryOp op) =>
        op is BinaryOp.Add or BinaryOp.Sub or BinaryOp.Mul or BinaryOp.Div or BinaryOp.Maximum or BinaryOp.Minimum;
}
