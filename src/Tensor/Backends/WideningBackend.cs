namespace Tensors.Backends;

/// <summary>
/// The one place where ops meet the storage-only dtypes (float16, bfloat16, int8, int16: see
/// <see cref="DTypes.KernelType"/>). Tensors reach their backend through this wrapper (<c>Tensor.Backend</c>);
/// it forwards every primitive, and when an operand's dtype has no kernels it converts that operand into a
/// temporary of the kernel dtype with the backend's Copy, runs the primitive there, and converts the result back,
/// as PyTorch's CPU kernels do for half and bfloat16 (compute in float32, round once per op) and as int8/int16
/// arithmetic wraps (computed in int32, truncated back to the narrow type). So no op needs per-dtype code and a
/// backend implements only allocation, host transfers, Fill and Copy for these dtypes.
/// </summary>
internal readonly struct WideningBackend(IBackend inner) : IBackend
{
    public Device Device => inner.Device;

    public Storage Allocate(DType dtype, int length) => inner.Allocate(dtype, length);

    public void CopyFromHost(ReadOnlySpan<byte> source, Storage destination, int offset) => inner.CopyFromHost(source, destination, offset);

    public void CopyToHost(Storage source, int offset, Span<byte> destination) => inner.CopyToHost(source, offset, destination);

    public void Fill(Storage destination, Layout layout, Scalar value) => inner.Fill(destination, layout, value);

    public void Copy(Storage source, Layout sourceLayout, Storage destination, Layout destinationLayout) =>
        inner.Copy(source, sourceLayout, destination, destinationLayout);

    public void Unary(UnaryOp op, Storage source, Layout sourceLayout, Storage destination, Layout destinationLayout)
    {
        using var s = In(source, sourceLayout);
        using var d = Out(destination, destinationLayout, read: false);
        inner.Unary(op, s.Storage, s.Layout, d.Storage, d.Layout);
        d.Commit();
    }

    public void Binary(BinaryOp op, Storage a, Layout aLayout, Storage b, Layout bLayout, Storage destination, Layout destinationLayout)
    {
        using var x = In(a, aLayout);
        using var y = In(b, bLayout);
        using var d = Out(destination, destinationLayout, read: false);
        inner.Binary(op, x.Storage, x.Layout, y.Storage, y.Layout, d.Storage, d.Layout);
        d.Commit();
    }

    public void Compare(CompareOp op, Storage a, Layout aLayout, Storage b, Layout bLayout, Storage destination, Layout destinationLayout)
    {
        using var x = In(a, aLayout);
        using var y = In(b, bLayout);
        inner.Compare(op, x.Storage, x.Layout, y.Storage, y.Layout, destination, destinationLayout);
    }

    public void Where(Storage condition, Layout conditionLayout, Storage a, Layout aLayout, Storage b, Layout bLayout,
        Storage destination, Layout destinationLayout)
    {
        using var x = In(a, aLayout);
        using var y = In(b, bLayout);
        using var d = Out(destination, destinationLayout, read: false);
        inner.Where(condition, conditionLayout, x.Storage, x.Layout, y.Storage, y.Layout, d.Storage, d.Layout);
        d.Commit();
    }

    public void Reduce(ReduceOp op, Storage source, Layout sourceLayout, ReadOnlySpan<int> dims, Storage destination, Layout destinationLayout)
    {
        using var s = In(source, sourceLayout);
        using var d = Out(destination, destinationLayout, read: false);
        inner.Reduce(op, s.Storage, s.Layout, dims, d.Storage, d.Layout);
        d.Commit();
    }

    public void MatMul(Storage a, Layout aLayout, Storage b, Layout bLayout, Storage destination, Layout destinationLayout)
    {
        using var x = In(a, aLayout);
        using var y = In(b, bLayout);
        using var d = Out(destination, destinationLayout, read: false);
        inner.MatMul(x.Storage, x.Layout, y.Storage, y.Layout, d.Storage, d.Layout);
        d.Commit();
    }

    public void Gather(Storage source, Layout sourceLayout, int dim, Storage index, Layout indexLayout, Storage destination, Layout destinationLayout)
    {
        using var s = In(source, sourceLayout);
        using var d = Out(destination, destinationLayout, read: false);
        inner.Gather(s.Storage, s.Layout, dim, index, indexLayout, d.Storage, d.Layout);
        d.Commit();
    }

    // The destination is read: places the index does not name keep their values.
    public void Scatter(ScatterMode mode, Storage source, Layout sourceLayout, int dim, Storage index, Layout indexLayout,
        Storage destination, Layout destinationLayout)
    {
        using var s = In(source, sourceLayout);
        using var d = Out(destination, destinationLayout, read: true);
        inner.Scatter(mode, s.Storage, s.Layout, dim, index, indexLayout, d.Storage, d.Layout);
        d.Commit();
    }

    public void Scan(ScanOp op, Storage source, Layout sourceLayout, int dim, Storage destination, Layout destinationLayout)
    {
        using var s = In(source, sourceLayout);
        using var d = Out(destination, destinationLayout, read: false);
        inner.Scan(op, s.Storage, s.Layout, dim, d.Storage, d.Layout);
        d.Commit();
    }

    // Widening preserves order (every narrow value is exact in the kernel dtype), so the indices are the same.
    public void Sort(Storage source, Layout sourceLayout, int dim, bool descending, Storage values, Layout valuesLayout,
        Storage indices, Layout indicesLayout)
    {
        using var s = In(source, sourceLayout);
        using var v = Out(values, valuesLayout, read: false);
        inner.Sort(s.Storage, s.Layout, dim, descending, v.Storage, v.Layout, indices, indicesLayout);
        v.Commit();
    }

    public void FillRandom(RandomKind kind, ulong seed, ulong counter, Storage destination, Layout layout)
    {
        using var d = Out(destination, layout, read: false);
        inner.FillRandom(kind, seed, counter, d.Storage, d.Layout);
        d.Commit();
    }

    /// <summary>An input in its kernel dtype: itself, or a converted copy of the elements it reaches. Broadcast
    /// (stride-0) dims stay broadcast, so a 1-element operand expanded over a large shape converts one element.</summary>
    private Operand In(Storage storage, Layout layout)
    {
        var wide = storage.DType.KernelType();
        if (wide == storage.DType) return new(storage, layout, null, default);
        var compact = layout.Shape.ToArray();
        for (int d = 0; d < compact.Length; d++)
            if (layout.Strides[d] == 0) compact[d] = 1;
        var dense = Layout.Contiguous(compact);
        var temp = Temporary(wide, dense.Numel);
        inner.Copy(storage, new Layout(compact, layout.Strides.ToArray(), layout.Offset), temp, dense);
        var strides = dense.Strides.ToArray();
        for (int d = 0; d < strides.Length; d++)
            if (layout.Strides[d] == 0) strides[d] = 0;
        return new(temp, new Layout(layout.Shape.ToArray(), strides, 0), temp, default);
    }

    /// <summary>A destination in its kernel dtype: itself, or a dense temporary (holding a converted copy of the
    /// destination's values when the primitive reads them, as Scatter does) that <see cref="Operand.Commit"/>
    /// narrows into the destination.</summary>
    private Operand Out(Storage storage, Layout layout, bool read)
    {
        var wide = storage.DType.KernelType();
        if (wide == storage.DType) return new(storage, layout, null, default);
        var dense = Layout.Contiguous(layout.Shape.ToArray());
        var temp = Temporary(wide, dense.Numel);
        if (read) inner.Copy(storage, layout, temp, dense);
        return new(temp, dense, temp, new Narrowing(inner, storage, layout));
    }

    private Storage Temporary(DType dtype, int length)
    {
        var s = inner.Allocate(dtype, length);
        s.AddRef();
        return s;
    }

    private readonly record struct Narrowing(IBackend Backend, Storage Destination, Layout Layout);

    private readonly struct Operand(Storage storage, Layout layout, Storage? temporary, Narrowing narrowing) : IDisposable
    {
        public Storage Storage => storage;
        public Layout Layout => layout;

        /// <summary>Rounds (floats) or wraps (integers) the computed values into the real destination.</summary>
        public void Commit()
        {
            if (temporary is not null && narrowing.Backend is { } backend)
                backend.Copy(storage, layout, narrowing.Destination, narrowing.Layout);
        }

        public void Dispose() => temporary?.Release();
    }
}
