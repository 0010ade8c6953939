using Tensors.Backends;

namespace Tensors.Cuda;

// Gather and Scatter (native/index.cu): the three operands as layouts of the index's shape, the indexed one with
// dim's stride 0, merged like any elementwise launch; the kernel adds index * step to the indexed operand's offset.
public sealed partial class CudaBackend
{
    /// <inheritdoc />
    public void Gather(Storage source, Layout sourceLayout, int dim, Storage index, Layout indexLayout, Storage destination, Layout destinationLayout) =>
        Indexed("Gather", $"gather_{Suffix(source.DType)}", (source, IndexedLayout.Base(sourceLayout, dim, indexLayout.Shape)),
            index, indexLayout, (destination, destinationLayout), sourceLayout.Strides[dim]);

    /// <inheritdoc />
    /// <remarks>Add uses atomics (float sums of repeated indices come in any order, as in PyTorch); Assign with
    /// repeated indices keeps whichever write lands last.</remarks>
    public void Scatter(ScatterMode mode, Storage source, Layout sourceLayout, int dim, Storage index, Layout indexLayout,
        Storage destination, Layout destinationLayout) =>
        Indexed("Scatter", $"scatter_{Snake(mode.ToString())}_{Suffix(destination.DType)}", (source, sourceLayout),
            index, indexLayout, (destination, IndexedLayout.Base(destinationLayout, dim, indexLayout.Shape)), destinationLayout.Strides[dim]);

    private void Indexed(string op, string kernel, (Storage Storage, Layout Layout) s, Storage index, Layout indexLayout,
        (Storage Storage, Layout Layout) d, long step)
    {
        long n = indexLayout.Numel;
        if (n == 0) return;
        var l = LayoutMerge.Merge(op, indexLayout.Shape, s.Layout, indexLayout, d.Layout);
        var args = new KernelArgs().Operand(CudaStorage.Of(s.Storage, op), l[0]).Operand(CudaStorage.Of(index, op), l[1])
            .Operand(CudaStorage.Of(d.Storage, op), l[2]).Add(step).Add(n);
        Linear(kernel, n, args);
    }
}
