using Tensors.Backends;

namespace Tensors.Cuda;

// Reductions, matrix products and index gathers: primitives whose kernels see more than one shape.
public sealed partial class CudaBackend
{
    /// <inheritdoc />
    public void Reduce(ReduceOp op, Storage source, Layout sourceLayout, ReadOnlySpan<int> dims, Storage destination, Layout destinationLayout)
    {
        string name = op.ToString();
        var s = CudaStorage.Of(source, name);
        var d = CudaStorage.Of(destination, name);
        int rank = sourceLayout.Rank;
        var reduced = new bool[rank];
        foreach (var dim in dims) reduced[dim] = true;
        var kept = Enumerable.Range(0, rank).Where(i => !reduced[i]).ToArray();
        var gone = Enumerable.Range(0, rank).Where(i => reduced[i]).ToArray();
        // The source read as [kept..., reduced...]; the destination as its kept dims.
        var keptShape = kept.Select(i => sourceLayout.Shape[i]).ToArray();
        var keptSource = new Layout(keptShape, kept.Select(i => sourceLayout.Strides[i]).ToArray(), sourceLayout.Offset);
        var keptDestination = new Layout(keptShape, kept.Select(i => destinationLayout.Strides[i]).ToArray(), destinationLayout.Offset);
        var goneShape = gone.Select(i => sourceLayout.Shape[i]).ToArray();
        var goneSource = new Layout(goneShape, gone.Select(i => sourceLayout.Strides[i]).ToArray(), 0);
        long outer = keptSource.Numel, inner = goneSource.Numel;
        if (outer == 0) return;
        var outerLayouts = LayoutMerge.Merge(name, keptShape, keptSource, keptDestination);
        var innerLayout = LayoutMerge.Merge(name, goneShape, goneSource)[0];
        if (op is ReduceOp.Sum or ReduceOp.Prod or ReduceOp.Max or ReduceOp.Min && innerLayout.Rank == 1 && outer < Context.Info.Multiprocessors * 2L && inner >= 1 << 16)
        {
            SplitRows(op, source, keptSource, keptDestination, innerLayout, inner, destination);
            return;
        }
        var sourceKernel = Concat(name, outerLayouts[0], innerLayout);
        bool arg = op is ReduceOp.ArgMax or ReduceOp.ArgMin;
        string kernel = $"{(arg ? "arg" : "")}reduce_{name.ToLowerInvariant()}_{Suffix(source.DType)}";
        var args = new KernelArgs().Operand(s, sourceKernel).Operand(d, outerLayouts[1]).Add(outer).Add(inner);
        // Rows mode: one block per output row, threads striding along it. Columns mode: 32 neighbouring outputs per
        // block, for sources whose outputs are closer together in memory than the elements of a row (a reduction
        // over a leading dim), so that the warp's loads coalesce across outputs (native/README.md).
        long outputStep = outerLayouts[0].Rank == 0 ? long.MaxValue : Innermost(outerLayouts[0]);
        long rowStep = innerLayout.Rank == 0 ? 0 : Innermost(innerLayout);
        bool columns = sourceKernel.Contiguous == 0 && outputStep < rowStep;
        var shape = columns
            ? new LaunchShape((uint)Math.Min((outer + 31) / 32, 65535), 1, 1, 32, 8)
            : new LaunchShape((uint)Math.Min(outer, 65535), 1, 1, (uint)Math.Clamp((inner + 31) / 32 * 32, 32, Block), 1);
        Kernels.Launch(kernel, shape, args.Bytes);
    }

    private static unsafe long Innermost(KernelLayout l) => l.Strides[l.Rank - 1];

    /// <summary>
    /// Few long rows (a whole tensor to one value) would leave all but a few multiprocessors idle with one block per
    /// row, so each row is cut into pieces reduced in parallel, then the pieces' results are reduced: the kept dims
    /// gain a dim of pieces, a leftover tail shorter than the piece count is reduced into one more column.
    /// </summary>
    private unsafe void SplitRows(ReduceOp op, Storage source, Layout keptSource, Layout keptDestination, KernelLayout row, long inner, Storage destination)
    {
        long step = row.Strides[0];
        int pieces = (int)Math.Min(Context.Info.Multiprocessors * 8L, inner / 4096);
        long piece = inner / pieces, tail = inner - piece * pieces;
        int columns = pieces + (tail > 0 ? 1 : 0);
        var kept = keptSource.Shape.ToArray();
        var keptStrides = keptSource.Strides.ToArray();
        var partial = (CudaStorage)Allocate(source.DType, (int)(keptSource.Numel * columns));
        try
        {
            var partialFull = Layout.Contiguous([.. kept, columns]);
            Layout Column(int start, int count) => new([.. kept, count, 1], [.. partialFull.Strides, 1], start);
            var pieced = new Layout([.. kept, pieces, (int)piece], [.. keptStrides, (int)(step * piece), (int)step], keptSource.Offset);
            Reduce(op, source, pieced, [kept.Length + 1], partial, Column(0, pieces));
            if (tail > 0)
            {
                var rest = new Layout([.. kept, (int)tail], [.. keptStrides, (int)step], keptSource.Offset + (int)(step * piece * pieces));
                Reduce(op, source, rest, [kept.Length], partial, new Layout([.. kept, 1], partialFull.Strides, pieces));
            }
            var into = new Layout([.. kept, 1], [.. keptDestination.Strides, 1], keptDestination.Offset);
            Reduce(op, partial, partialFull, [kept.Length], destination, into);
        }
        finally { partial.FreeScratch(); }
    }

    // The permuted source: the kept dims (merged with the destination) then the reduced dims.
    private static unsafe KernelLayout Concat(string op, KernelLayout outer, KernelLayout inner)
    {
        int rank = outer.Rank + inner.Rank;
        var shape = new int[rank];
        var strides = new long[rank];
        for (int i = 0; i < outer.Rank; i++) { shape[i] = (int)outer.Shape[i]; strides[i] = outer.Strides[i]; }
        for (int i = 0; i < inner.Rank; i++) { shape[outer.Rank + i] = (int)inner.Shape[i]; strides[outer.Rank + i] = inner.Strides[i]; }
        return KernelLayout.From(shape, strides, outer.Offset, op);
    }
}
