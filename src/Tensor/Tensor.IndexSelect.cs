namespace Tensors;

public sealed partial class Tensor
{
    /// <summary>The entries at <paramref name="indices"/> along <paramref name="dim"/>, copied in that order
    /// (PyTorch's <c>index_select</c>; negative indices count from the end). Its gradient adds each entry back at its index.</summary>
    public Tensor IndexSelect(int dim, params int[] indices)
    {
        const string op = "IndexSelect";
        int? wrapped = NormalizeDimOrScalar(op, dim);
        // A 0-d tensor acts as one element along dim 0; PyTorch returns it as a 0-d copy.
        int size = wrapped is int w ? Layout.Shape[w] : 1;
        var idx = new int[indices.Length];
        for (int i = 0; i < idx.Length; i++)
        {
            idx[i] = indices[i] < 0 ? indices[i] + size : indices[i];
            if (idx[i] < 0 || idx[i] >= size)
                throw new IndexOutOfRangeException($"{op}: index {indices[i]} is out of range for dim {dim} of size {size} (shape {Layout.Format(Layout.Shape)}).");
        }
        if (wrapped is not int d) return Clone();
        var shape = Shape;
        shape[d] = idx.Length;
        var result = Allocate(shape, DType, Device);
        Backend.IndexSelect(StorageFor(op), Layout, d, idx, result._storage, result.Layout);
        return Autograd.ShouldRecord(this) ? result.Record(new Graph.IndexSelectBackward(this, d, idx)) : result;
    }
}
