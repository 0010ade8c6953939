using System.Numerics;
using Tensors.Fusion;
using Tensors.Ops;

namespace Tensors.Backends.Cpu;

// Deferred elementwise chains (ExpressionProgram): computed in one pass, or folded into a reduction.
public sealed partial class CpuBackend : IExpressionBackend
{
    void IExpressionBackend.Evaluate(ElementwiseExpression expression, Storage destination, Layout destinationLayout)
    {
        if (!destinationLayout.IsContiguous || !destinationLayout.Shape.SequenceEqual(expression.Shape))
            throw new ArgumentException($"Evaluate: the destination ({destinationLayout}) is not a contiguous tensor of the expression's shape {Layout.Format(expression.Shape)}.");
        var steps = expression.Steps;
        var leaves = expression.Leaves;
        // One op waited for nothing to fuse with: its own kernel, as if it had never waited.
        if (steps is [{ IsBinary: false } u])
        {
            Unary(u.Unary, leaves[0].Storage, leaves[0].Layout, destination, destinationLayout);
            return;
        }
        if (steps is [{ IsBinary: true } b])
        {
            var (x, y) = (leaves[-b.A - 1], leaves[-b.B - 1]);
            Binary(b.Binary, x.Storage, x.Layout, y.Storage, y.Layout, destination, destinationLayout);
            return;
        }
        var d = CpuStorage.Of(destination, "Evaluate");
        if (expression.DType == DType.Float32) ExpressionProgram<float>.ForValues(expression).WriteTo(d.Array<float>(), destinationLayout.Offset);
        else ExpressionProgram<double>.ForValues(expression).WriteTo(d.Array<double>(), destinationLayout.Offset);
    }

    bool IExpressionBackend.TryReduce(ReduceOp op, ElementwiseExpression expression, ReadOnlySpan<int> dims, Storage destination, Layout destinationLayout)
    {
        // Only trailing dims fold block by block; and only where ReduceRunner, given the computed values (a
        // contiguous tensor), would reduce each block as one run on one core: not when it splits a block across
        // cores (fewer outputs than cores with 64K elements or more) or in pieces (a block past RunPlan's 16K piece).
        int rank = expression.Shape.Length, first = rank - dims.Length;
        for (int i = 0; i < dims.Length; i++)
            if (dims[i] != first + i) return false;
        long outputs = 1, block = 1;
        for (int d = 0; d < rank; d++)
            if (d < first) outputs *= expression.Shape[d]; else block *= expression.Shape[d];
        if (outputs == 0 || block == 0 || block > ExpressionProgram<float>.MaxReduceBlock || !destinationLayout.IsContiguous) return false;
        if (outputs < Environment.ProcessorCount && outputs * block >= 1 << 16) return false;
        var runner = new FoldRunner(expression, first, CpuStorage.Of(destination, "Reduce"), destinationLayout.Offset);
        ReduceDispatch.Run(op, expression.DType, runner);
        return true;
    }

    private readonly struct FoldRunner(ElementwiseExpression e, int firstReduced, CpuStorage d, int offset) : IReduceRunner
    {
        public void Run<T, TAcc, TFn>() where T : unmanaged, INumber<T> where TAcc : unmanaged, INumber<TAcc>
            where TFn : struct, IReduceFn<T, TAcc> =>
            ExpressionProgram<T>.ForReduction(e, firstReduced).ReduceTo<TAcc, TFn>(d.Array<T>(), offset);
    }
}
