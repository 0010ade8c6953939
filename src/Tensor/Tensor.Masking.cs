using Tensors.Backends;

namespace Tensors;

// Boolean masks: MaskedFill (a Where), and the ops whose result size depends on the data (MaskedSelect, Nonzero),
// which read the mask on the host: a device-to-host copy, so on CUDA a synchronisation, as in PyTorch.
public sealed partial class Tensor
{
    /// <summary>PyTorch's <c>masked_fill</c>: this tensor with <paramref name="value"/> where <paramref name="mask"/>
    /// is true (broadcast together, as in PyTorch). Its gradient is zero at the filled places.</summary>
    /// <param name="mask">A Bool tensor on this tensor's device, broadcastable with it.</param>
    /// <param name="value">The value written, converted to this tensor's dtype.</param>
    public Tensor MaskedFill(Tensor mask, Scalar value)
    {
        CheckMask("MaskedFill", mask);
        using var fill = Full([], value, DType, Device);
        return Where(mask, fill, this);
    }

    /// <summary><see cref="MaskedFill(Tensor, Scalar)"/> with a 0-d tensor value, whose gradient is the sum of the
    /// output's gradient over the filled places.</summary>
    /// <param name="mask">A Bool tensor on this tensor's device, broadcastable with it.</param>
    /// <param name="value">A 0-d tensor on this tensor's device; converted to this tensor's dtype.</param>
    /// <exception cref="ArgumentException"><paramref name="value"/> is not 0-d, <paramref name="mask"/> is not Bool, or
    /// the mask does not broadcast to this tensor's shape.</exception>
    public Tensor MaskedFill(Tensor mask, Tensor value)
    {
        CheckMask("MaskedFill", mask);
        SameDevice("MaskedFill", this, value);
        if (value.Rank != 0)
            throw new ArgumentException($"MaskedFill: the value must be a 0-d tensor, but its shape is {Layout.Format(value.Layout.Shape)}; use Where(mask, values, x) for tensors.");
        using var converted = value.DType == DType ? null : value.To(DType);
        return Where(mask, converted ?? value, this);
    }

    /// <summary><see cref="MaskedFill(Tensor, Scalar)"/> in place (PyTorch's <c>masked_fill_</c>); the mask must
    /// broadcast to this tensor's shape. Returns this tensor.</summary>
    /// <param name="mask">A Bool tensor on this tensor's device that broadcasts to this tensor's shape.</param>
    /// <param name="value">The value written, converted to this tensor's dtype.</param>
    /// <exception cref="ArgumentException"><paramref name="mask"/> is not Bool or does not broadcast to this tensor's
    /// shape.</exception>
    public Tensor MaskedFill_(Tensor mask, Scalar value)
    {
        const string op = "MaskedFill_";
        CheckMask(op, mask);
        var shape = Broadcasting.Shape(op, Layout.Shape, mask.Layout.Shape);
        if (!shape.AsSpan().SequenceEqual(Layout.Shape))
            throw new ArgumentException($"{op}: the mask's shape {Layout.Format(mask.Layout.Shape)} does not broadcast to the tensor's shape {Layout.Format(Layout.Shape)}.");
        CheckWritable(op);
        if (RecordInPlace(op, null, x => x.MaskedFill(mask, value), keepsOldValue: false)) return this;
        using var fill = Full([], value, DType, Device);
        var m = MemoryOverlap.SafeInput(op, this, mask, out bool copied);
        using var copy = copied ? m : null;
        Backend.Where(m.StorageFor(op), m.Layout.BroadcastTo(Layout.Shape), fill.StorageFor(op), fill.Layout.BroadcastTo(Layout.Shape),
            Storage, Layout, Storage, Layout);
        Storage.BumpVersion();
        return this;
    }

    /// <summary>PyTorch's <c>masked_select</c>: the elements where <paramref name="mask"/> is true (broadcast
    /// together), as a 1-d tensor in row-major order. Its gradient goes back to the selected places. The result's
    /// size depends on the mask, which is read on the host (on CUDA, one synchronisation).</summary>
    /// <param name="mask">A Bool tensor on this tensor's device, broadcastable with it.</param>
    public Tensor MaskedSelect(Tensor mask)
    {
        const string op = "MaskedSelect";
        CheckMask(op, mask);
        var shape = Broadcasting.Shape(op, Layout.Shape, mask.Layout.Shape);
        using var positions = MaskPositions(mask, shape);
        using var expanded = BroadcastTo(shape);
        using var flat = expanded.Reshape(-1);
        return flat.IndexSelect(0, positions);
    }

    /// <summary>PyTorch's <c>nonzero</c>: the indices of the non-zero elements, an Int64 tensor [n, Rank] in
    /// row-major order. The result's size depends on the data, which is read on the host (on CUDA, one
    /// synchronisation).</summary>
    public Tensor Nonzero()
    {
        var (coords, n) = NonzeroOnHost(Shape);
        using var host = From(coords, n, Rank);
        return OnDevice(host);
    }

    /// <summary>PyTorch's <c>nonzero(as_tuple=True)</c>: one Int64 tensor [n] per dim (one for a 0-d tensor), the
    /// indices of the non-zero elements along that dim, e.g. to index with.</summary>
    public Tensor[] NonzeroAsTuple()
    {
        var shape = Rank == 0 ? [1] : Shape;
        var (coords, n) = NonzeroOnHost(shape);
        var result = new Tensor[shape.Length];
        for (int k = 0; k < shape.Length; k++)
        {
            var column = new long[n];
            for (int i = 0; i < n; i++) column[i] = coords[i * shape.Length + k];
            using var host = From(column);
            result[k] = OnDevice(host);
        }
        return result;
    }

    // The coordinates (row-major, n rows of shape.Length) of the non-zero elements.
    private (long[] Coords, int Count) NonzeroOnHost(int[] shape)
    {
        using var noGrad = Autograd.Suspend();
        using var nonzero = DType == DType.Bool ? Detach() : Ne(0);
        var flags = nonzero.ToArray<bool>();
        int n = flags.Count(f => f), r = shape.Length, row = 0;
        var coords = new long[n * r];
        var index = new int[r];
        for (int i = 0; i < flags.Length; i++)
        {
            if (flags[i])
            {
                for (int k = 0; k < r; k++) coords[row * r + k] = index[k];
                row++;
            }
            Indexing.Increment(index, shape);
        }
        return (coords, n);
    }

    /// <summary>The row-major positions where <paramref name="mask"/>, broadcast to <paramref name="shape"/>, is
    /// true: an Int64 tensor on this device, computed on the host.</summary>
    private Tensor MaskPositions(Tensor mask, int[] shape)
    {
        using var expanded = mask.BroadcastTo(shape);
        var flags = expanded.ToArray<bool>();
        var positions = new List<long>();
        for (int i = 0; i < flags.Length; i++)
            if (flags[i]) positions.Add(i);
        using var host = From(positions.ToArray());
        return OnDevice(host);
    }

    private Tensor OnDevice(Tensor host) => Device == Device.Cpu ? host.Detach() : host.To(Device);

    private void CheckMask(string op, Tensor mask)
    {
        mask.StorageFor(op);
        if (mask.DType != DType.Bool)
            throw new ArgumentException($"{op}: the mask must be a Bool tensor, but it is {mask.DType.Name()}; make one with a comparison (x.Gt(0)) or To(DType.Bool).");
        if (mask.Device != Device)
            throw new InvalidOperationException($"{op}: the mask is on {mask.Device} but the tensor is on {Device}; move it with To(device).");
    }
}
