using System.Numerics;
using System.Runtime.InteropServices;
using Tensors.Backends;

namespace Tensors;

// Moving data between dtypes, devices and the host.
public sealed partial class Tensor
{
    /// <summary>This data as <paramref name="dtype"/>: a new view object when it already is, otherwise a converted
    /// copy (floats to integers truncate toward zero; to Bool is "not zero").</summary>
    /// <param name="dtype">The element type of the result, e.g. <see cref="DType.Float32"/>.</param>
    public Tensor To(DType dtype)
    {
        if (dtype == DType) return ViewAs("To");
        var result = Allocate(Layout.Shape, dtype, Device);
        Backend.Copy(StorageFor("To"), Layout, result.Storage, result.Layout);
        return Autograd.ShouldRecord(this) && dtype.IsFloatingPoint() ? result.Record(new Graph.ToBackward(this)) : result;
    }

    /// <summary>An operand in <paramref name="dtype"/> for a primitive: this tensor itself when it already is (no
    /// new tensor object: ops pay for each one they create), else a converted copy, released by Dispose.</summary>
    internal Converted As(DType dtype) => dtype == DType ? new(this, false) : new(To(dtype), true);

    internal readonly struct Converted(Tensor tensor, bool owned) : IDisposable
    {
        public Tensor Tensor => tensor;
        public void Dispose() { if (owned) tensor.Dispose(); }
    }

    /// <summary>This data on <paramref name="device"/>: a new view object when it already is there, otherwise a
    /// copy through host memory. Moving between devices is always explicit.</summary>
    /// <param name="device">Where the result lives: <see cref="Device.Cpu"/> or <c>Device.Cuda(n)</c>.</param>
    /// <exception cref="InvalidOperationException">No backend is registered for <paramref name="device"/> (for CUDA,
    /// reference Tensor.Cuda and check that a GPU is present).</exception>
    /// <exception cref="NotSupportedException">The device's backend cannot start it (for CUDA: no driver, or no GPU
    /// with that ordinal).</exception>
    public Tensor To(Device device)
    {
        if (device == Device) return ViewAs("To");
        bool record = Autograd.ShouldRecord(this);
        var bytes = new byte[Numel * DType.ElementSize()];
        using (Autograd.Suspend())
        using (var contiguous = Contiguous())
            Backend.CopyToHost(contiguous.StorageFor("To"), contiguous.Layout.Offset, bytes);
        var result = FromBytes(bytes, Shape, DType, device);
        return record ? result.Record(new Graph.ToBackward(this)) : result;
    }

    /// <summary>The elements in row-major order. <typeparamref name="T"/> must be the dtype's element type
    /// (float for Float32, long for Int64, bool for Bool...).</summary>
    /// <exception cref="InvalidOperationException"><typeparamref name="T"/> is not the dtype's element
    /// type.</exception>
    public T[] ToArray<T>() where T : unmanaged
    {
        var want = DTypes.Of<T>();
        if (want != DType)
            throw new InvalidOperationException(
                $"ToArray<{typeof(T).Name}>: the tensor's dtype is {DType.Name()}; call To(DType.{want}) first or use ToArray<{DType.ClrType().Name}>().");
        var result = new T[Numel];
        if (result.Length == 0) return result;
        using var _ = Autograd.Suspend();
        using var contiguous = Contiguous();
        Backend.CopyToHost(contiguous.StorageFor("ToArray"), contiguous.Layout.Offset, MemoryMarshal.AsBytes(result.AsSpan()));
        return result;
    }

    /// <summary>The value of a one-element tensor, converted to <typeparamref name="T"/> (PyTorch's <c>.item()</c>).</summary>
    /// <exception cref="InvalidOperationException">The tensor does not have exactly one element.</exception>
    public T Item<T>() where T : unmanaged, INumber<T>
    {
        if (Numel != 1)
            throw new InvalidOperationException($"Item: the tensor has {Numel} elements (shape {Layout.Format(Layout.Shape)}); only one-element tensors convert to a number.");
        return DType switch
        {
            DType.Float32 => T.CreateTruncating(ToArray<float>()[0]),
            DType.Float64 => T.CreateTruncating(ToArray<double>()[0]),
            DType.Int32 => T.CreateTruncating(ToArray<int>()[0]),
            DType.Int64 => T.CreateTruncating(ToArray<long>()[0]),
            DType.UInt8 => T.CreateTruncating(ToArray<byte>()[0]),
            DType.Int8 => T.CreateTruncating(ToArray<sbyte>()[0]),
            DType.Int16 => T.CreateTruncating(ToArray<short>()[0]),
            DType.Half => T.CreateTruncating(ToArray<Half>()[0]),
            DType.BFloat16 => T.CreateTruncating((float)ToArray<BFloat16>()[0]),
            DType.Bool => ToArray<bool>()[0] ? T.One : T.Zero,
            _ => throw new ArgumentOutOfRangeException(nameof(DType), DType, "Item: unknown dtype."),
        };
    }

    /// <summary>Copies <paramref name="source"/> (broadcast to this shape, converted to this dtype) into this tensor's
    /// elements, in place. Returns this tensor.</summary>
    /// <param name="source">The values to copy; broadcast to this tensor's shape and converted to its dtype (PyTorch's
    /// <c>copy_(src)</c>). It may overlap this tensor in memory.</param>
    /// <exception cref="ArgumentException"><paramref name="source"/> does not broadcast to this tensor's
    /// shape.</exception>
    /// <exception cref="InvalidOperationException">The tensors are on different devices, or this tensor cannot be
    /// written in place (its elements overlap, as after Expand, or autograd forbids it).</exception>
    public Tensor CopyFrom_(Tensor source)
    {
        CheckWritable("CopyFrom_", source);
        SameDevice("CopyFrom_", this, source);
        var shape = Broadcasting.Shape("CopyFrom_", Layout.Shape, source.Layout.Shape);
        if (!shape.AsSpan().SequenceEqual(Layout.Shape))
            throw new ArgumentException($"CopyFrom_: a source of shape {Layout.Format(source.Layout.Shape)} does not broadcast to the destination's shape {Layout.Format(Layout.Shape)}.");
        if (RecordInPlace("CopyFrom_", source, _ => source.BroadcastTo(Shape), keepsOldValue: false)) return this;
        source.StorageFor("CopyFrom_");
        using var noGrad = Autograd.Suspend();
        var src = MemoryOverlap.SafeInput("CopyFrom_", this, source, out bool copied);
        using var copy = copied ? src : null;
        Backend.Copy(src.StorageFor("CopyFrom_"), src.Layout.BroadcastTo(Layout.Shape), Storage, Layout);
        Storage.BumpVersion();
        return this;
    }

    /// <summary>Writes <paramref name="value"/> to every element, in place. Returns this tensor.</summary>
    /// <param name="value">The number to write, converted to this tensor's dtype.</param>
    /// <exception cref="InvalidOperationException">This tensor cannot be written in place (its elements overlap, as
    /// after Expand, or it is a leaf that requires grad).</exception>
    public Tensor Fill_(Scalar value)
    {
        CheckWritable("Fill_");
        if (RecordInPlace("Fill_", null, _ => Full(Shape, value, DType, Device), keepsOldValue: false)) return this;
        Backend.Fill(Storage, Layout, value);
        Storage.BumpVersion();
        return this;
    }

    /// <summary>Writes zero to every element, in place. Returns this tensor.</summary>
    public Tensor Zero_() => Fill_(0);

    /// <summary>In-place writes into a view whose elements alias each other (an expanded tensor) would be
    /// order-dependent, so they are refused, as in PyTorch.</summary>
    private void CheckWritable(string op, Tensor? source = null)
    {
        // Pending values that read this memory are computed from it as it is now, before the write.
        StorageFor(op).ComputeReaders();
        if ((RequiresGrad || source?.RequiresGrad == true) && Autograd.IsEnabled) CheckInPlaceAutograd(op);
        if (Layout.HasInternalOverlap)
            throw new InvalidOperationException(
                $"{op}: cannot write in place into a tensor whose elements overlap in memory ({Layout}), such as the result of Expand " +
                "or BroadcastTo; call Clone() or Contiguous() first to get a writable copy.");
    }
}
