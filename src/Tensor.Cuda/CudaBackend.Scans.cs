using Tensors.Backends;

namespace Tensors.Cuda;

// Scans and sorts (native/scan.cu, native/sort.cu): one block per row along a dim, the operands permuted so that
// the dim is last.
public sealed partial class CudaBackend
{
    // Rows longer than this are sorted through global scratch instead of shared memory (SORT_SHARED of sort.cu).
    private const int SortShared = 1024;

    // The most scratch one sort launch may take for long rows: blocks beyond what fits wait for the next row.
    private const long SortScratchBudget = 256L << 20;

    /// <inheritdoc />
    public void Scan(ScanOp op, Storage source, Layout sourceLayout, int dim, Storage destination, Layout destinationLayout)
    {
        string name = op == ScanOp.Sum ? "CumSum" : "CumProd";
        var (rows, outer, length) = RowLayouts(name, dim, sourceLayout, destinationLayout);
        if (outer == 0 || length == 0) return;
        var args = new KernelArgs().Operand(CudaStorage.Of(source, name), rows[0]).Operand(CudaStorage.Of(destination, name), rows[1])
            .Add(outer).Add(length);
        uint block = (uint)Math.Clamp((length + 31) / 32 * 32, 32, Block);
        Kernels.Launch($"scan_{Snake(op.ToString())}_{Suffix(source.DType)}", new LaunchShape((uint)Math.Min(outer, 65535), 1, 1, block, 1), args.Bytes);
    }

    /// <inheritdoc />
    public void Sort(Storage source, Layout sourceLayout, int dim, bool descending, Storage values, Layout valuesLayout,
        Storage indices, Layout indicesLayout)
    {
        var (rows, outer, length) = RowLayouts("Sort", dim, sourceLayout, valuesLayout, indicesLayout);
        if (outer == 0 || length == 0) return;
        long grid = Math.Min(outer, 65535);
        long entry = source.DType.ElementSize() + sizeof(long);
        bool global = length > SortShared;
        if (global) grid = Math.Clamp(SortScratchBudget / (2 * length * entry), 1, Math.Min(grid, MaxBlocks));
        using DeviceBuffer? scratchValues = global ? new DeviceBuffer(Context.Allocator, grid * 2 * length * source.DType.ElementSize()) : null;
        using DeviceBuffer? scratchIndices = global ? new DeviceBuffer(Context.Allocator, grid * 2 * length * sizeof(long)) : null;
        var args = new KernelArgs().Operand(CudaStorage.Of(source, "Sort"), rows[0]).Operand(CudaStorage.Of(values, "Sort"), rows[1])
            .Operand(CudaStorage.Of(indices, "Sort"), rows[2]).Add(outer).Add(length).Add(descending ? 1 : 0)
            .Pointer(scratchValues?.Pointer ?? 0).Pointer(scratchIndices?.Pointer ?? 0);
        Kernels.Launch($"sort_{Suffix(source.DType)}", new LaunchShape((uint)grid, 1, 1, Block, 1), args.Bytes);
    }

    /// <summary>Operands of one shape read as [rows, length]: the dims other than <paramref name="dim"/> merged
    /// (kept in row-major order), then <paramref name="dim"/> itself, for each operand.</summary>
    private static (KernelLayout[] Rows, long Outer, long Length) RowLayouts(string op, int dim, params Layout[] layouts)
    {
        var shape = layouts[0].Shape.ToArray();
        int rank = shape.Length;
        var others = Enumerable.Range(0, rank).Where(i => i != dim).ToArray();
        var keptShape = others.Select(i => shape[i]).ToArray();
        var kept = layouts.Select(l => new Layout(keptShape, others.Select(i => l.Strides[i]).ToArray(), l.Offset)).ToArray();
        var merged = LayoutMerge.Merge(op, keptShape, kept);
        var rows = new KernelLayout[layouts.Length];
        for (int k = 0; k < layouts.Length; k++)
            rows[k] = Concat(op, merged[k], KernelLayout.From([shape[dim]], [layouts[k].Strides[dim]], 0, op));
        return (rows, Layout.ShapeNumel(keptShape), shape[dim]);
    }
}
