using System.Runtime.InteropServices;
using Tensors.Backends;

namespace Tensors;

// Factories. Data from the host is copied in once, through the backend's byte transfer.
public sealed partial class Tensor
{
    /// <summary>A 1-D tensor holding a copy of <paramref name="data"/>. <typeparamref name="T"/> picks the dtype:
    /// float, double, Half, BFloat16, long, int, short, sbyte, byte or bool.</summary>
    /// <param name="data">The values, copied (later changes to the array do not reach the tensor); not null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is not the element type of any dtype.</exception>
    public static Tensor From<T>(T[] data) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(data);
        return From(data, [data.Length]);
    }

    /// <summary>A tensor of <paramref name="shape"/> (empty for 0-d) holding a copy of <paramref name="data"/> in
    /// row-major order.</summary>
    /// <param name="data">The values in row-major order, copied.</param>
    /// <param name="shape">The sizes of the result, whose product is the length of <paramref name="data"/>; none for a
    /// 0-d tensor.</param>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentException">The length of <paramref name="data"/> does not match the shape's element
    /// count.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is not the element type of any dtype.</exception>
    public static Tensor From<T>(T[] data, params int[] shape) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(data);
        if (Layout.ShapeNumel(shape) != data.Length)
            throw new ArgumentException($"From: {data.Length} values cannot fill shape {Layout.Format(shape)} ({Layout.ShapeNumel(shape)} elements).");
        return FromBytes(MemoryMarshal.AsBytes(data.AsSpan()), shape, DTypes.Of<T>(), Device.Cpu);
    }

    /// <summary>A tensor with the shape and values of a (possibly multi-dimensional) C# array such as
    /// <c>float[,]</c> or <c>int[,,]</c>.</summary>
    /// <param name="array">A C# array of any rank (<c>float[,]</c>, <c>long[,,]</c>, ...) whose element type picks the
    /// dtype; copied. A <c>double</c> array gives Float64, where PyTorch's <c>torch.tensor</c> of Python floats gives
    /// Float32.</param>
    /// <exception cref="ArgumentNullException"><paramref name="array"/> is null.</exception>
    /// <exception cref="NotSupportedException">The element type has no dtype (see <see cref="From{T}(T[])"/> for the
    /// supported ones).</exception>
    public static Tensor From(Array array)
    {
        ArgumentNullException.ThrowIfNull(array);
        var type = array.GetType().GetElementType()!;
        var dtype = DTypes.OfClrType(type) ?? throw new NotSupportedException(
            $"From: arrays of {type.Name} are not supported; use float, double, Half, BFloat16, long, int, short, sbyte, byte or bool.");
        var shape = Enumerable.Range(0, array.Rank).Select(array.GetLength).ToArray();
        var bytes = MemoryMarshal.CreateSpan(ref MemoryMarshal.GetArrayDataReference(array), array.Length * dtype.ElementSize());
        return FromBytes(bytes, shape, dtype, Device.Cpu);
    }

    /// <summary>A 0-d tensor holding <paramref name="value"/>.</summary>
    /// <param name="value">The value, converted to <paramref name="dtype"/>.</param>
    /// <param name="dtype">The element type; default <see cref="DType.Float32"/>.</param>
    /// <param name="device">Where the result lives; default null, the CPU.</param>
    /// <exception cref="InvalidOperationException">No backend is registered for <paramref name="device"/>.</exception>
    public static Tensor Scalar(Scalar value, DType dtype = DType.Float32, Device? device = null) => Full([], value, dtype, device);

    /// <summary>A contiguous tensor over a storage made elsewhere (a lazily mapped one).</summary>
    internal static Tensor FromStorage(Storage storage, int[] shape) => new(storage, Layout.Contiguous(shape));

    /// <summary>True while this tensor's elements are still only in a memory-mapped file (for tests).</summary>
    internal bool IsPendingFromMap() => Storage is Backends.Cpu.CpuStorage { IsPending: true };

    internal static Tensor FromBytes(ReadOnlySpan<byte> bytes, int[] shape, DType dtype, Device device)
    {
        var t = Allocate(shape, dtype, device);
        t.Backend.CopyFromHost(bytes, t.Storage, 0);
        return t;
    }

    /// <summary>Zeros of <paramref name="shape"/>, float32 on the CPU.</summary>
    /// <param name="shape">The sizes of the result, each 0 or more; none for a 0-d tensor.</param>
    /// <exception cref="ArgumentException">A size is negative, or the element count exceeds what a tensor can
    /// hold.</exception>
    public static Tensor Zeros(params int[] shape) => Full(shape, 0);

    /// <summary>Zeros of <paramref name="shape"/>.</summary>
    /// <param name="shape">The sizes of the result, each 0 or more; none for a 0-d tensor.</param>
    /// <param name="dtype">The element type.</param>
    /// <param name="device">Where the result lives; default null, the CPU.</param>
    /// <exception cref="ArgumentException">A size is negative, or the element count exceeds what a tensor can
    /// hold.</exception>
    /// <exception cref="InvalidOperationException">No backend is registered for <paramref name="device"/>.</exception>
    public static Tensor Zeros(int[] shape, DType dtype, Device? device = null) => Full(shape, 0, dtype, device);

    /// <summary>Ones of <paramref name="shape"/>, float32 on the CPU.</summary>
    /// <param name="shape">The sizes of the result, each 0 or more; none for a 0-d tensor.</param>
    /// <exception cref="ArgumentException">A size is negative, or the element count exceeds what a tensor can
    /// hold.</exception>
    public static Tensor Ones(params int[] shape) => Full(shape, 1);

    /// <summary>Ones of <paramref name="shape"/>.</summary>
    /// <param name="shape">The sizes of the result, each 0 or more; none for a 0-d tensor.</param>
    /// <param name="dtype">The element type.</param>
    /// <param name="device">Where the result lives; default null, the CPU.</param>
    /// <exception cref="ArgumentException">A size is negative, or the element count exceeds what a tensor can
    /// hold.</exception>
    /// <exception cref="InvalidOperationException">No backend is registered for <paramref name="device"/>.</exception>
    public static Tensor Ones(int[] shape, DType dtype, Device? device = null) => Full(shape, 1, dtype, device);

    /// <summary><paramref name="value"/> everywhere in <paramref name="shape"/>.</summary>
    /// <param name="shape">The sizes of the result, each 0 or more; none for a 0-d tensor.</param>
    /// <param name="value">The fill value (PyTorch's <c>fill_value</c>), converted to <paramref name="dtype"/>.</param>
    /// <param name="dtype">The element type; default <see cref="DType.Float32"/>.</param>
    /// <param name="device">Where the result lives; default null, the CPU.</param>
    /// <exception cref="ArgumentException">A size is negative, or the element count exceeds what a tensor can
    /// hold.</exception>
    /// <exception cref="InvalidOperationException">No backend is registered for <paramref name="device"/>.</exception>
    public static Tensor Full(int[] shape, Scalar value, DType dtype = DType.Float32, Device? device = null)
    {
        var t = Allocate(shape, dtype, device ?? Device.Cpu);
        t.Backend.Fill(t.Storage, t.Layout, value);
        return t;
    }

    /// <summary>Zeros with the shape, dtype and device of <paramref name="like"/>.</summary>
    /// <param name="like">The tensor whose shape, dtype and device the result takes (PyTorch's <c>input</c>).</param>
    public static Tensor ZerosLike(Tensor like) => Full(like.Shape, 0, like.DType, like.Device);

    /// <summary>Ones with the shape, dtype and device of <paramref name="like"/>.</summary>
    /// <param name="like">The tensor whose shape, dtype and device the result takes (PyTorch's <c>input</c>).</param>
    public static Tensor OnesLike(Tensor like) => Full(like.Shape, 1, like.DType, like.Device);

    /// <summary>0, 1, ..., <paramref name="end"/>-1 as int64 (PyTorch's <c>arange(end)</c>).</summary>
    /// <param name="end">The bound, excluded; 0 or more.</param>
    /// <exception cref="ArgumentException"><paramref name="end"/> is negative.</exception>
    public static Tensor Arange(long end) => Arange(0, end, 1);

    /// <summary>start, start+step, ... below end, as int64 unless <paramref name="dtype"/> says otherwise.</summary>
    /// <param name="start">The first value.</param>
    /// <param name="end">The bound, excluded.</param>
    /// <param name="step">The difference between neighbours; default 1, may be negative, not zero.</param>
    /// <param name="dtype">The element type; default <see cref="DType.Int64"/>.</param>
    /// <param name="device">Where the result lives; default null, the CPU.</param>
    /// <exception cref="ArgumentException"><paramref name="step"/> is zero, <paramref name="end"/> cannot be reached
    /// from <paramref name="start"/> in that direction, or there would be too many elements.</exception>
    /// <exception cref="InvalidOperationException">No backend is registered for <paramref name="device"/>.</exception>
    public static Tensor Arange(long start, long end, long step = 1, DType dtype = DType.Int64, Device? device = null) =>
        ArangeCore(start, end, step, dtype, device);

    /// <summary>start, start+step, ... below end, as float32 unless <paramref name="dtype"/> says otherwise.</summary>
    /// <param name="start">The first value.</param>
    /// <param name="end">The bound, excluded.</param>
    /// <param name="step">The difference between neighbours; default 1, may be negative, not zero.</param>
    /// <param name="dtype">The element type; default <see cref="DType.Float32"/>.</param>
    /// <param name="device">Where the result lives; default null, the CPU.</param>
    /// <exception cref="ArgumentException"><paramref name="step"/> is zero, <paramref name="end"/> cannot be reached
    /// from <paramref name="start"/> in that direction, or there would be too many elements.</exception>
    /// <exception cref="InvalidOperationException">No backend is registered for <paramref name="device"/>.</exception>
    public static Tensor Arange(double start, double end, double step = 1, DType dtype = DType.Float32, Device? device = null) =>
        ArangeCore(start, end, step, dtype, device);

    private static Tensor ArangeCore(double start, double end, double step, DType dtype, Device? device)
    {
        if (step == 0 || double.IsNaN(step)) throw new ArgumentException("Arange: step must be non-zero.");
        if ((end - start) / step < 0) throw new ArgumentException($"Arange: end {end} cannot be reached from start {start} with step {step}.");
        double count = Math.Ceiling((end - start) / step);
        if (!(count <= Layout.MaxElements))
            throw new ArgumentException($"Arange: from {start} to {end} by {step} is {count} elements; a tensor holds at most {Layout.MaxElements:N0}.");
        int n = (int)count;
        var values = new double[n];
        for (int i = 0; i < n; i++) values[i] = start + i * step;
        return FromDoubles(values, [n], dtype, device ?? Device.Cpu);
    }

    /// <summary><paramref name="steps"/> evenly spaced values from <paramref name="start"/> to <paramref name="end"/> inclusive.</summary>
    /// <param name="start">The first value.</param>
    /// <param name="end">The last value, included (exactly).</param>
    /// <param name="steps">How many values, 0 or more.</param>
    /// <param name="dtype">The element type; default <see cref="DType.Float32"/>.</param>
    /// <param name="device">Where the result lives; default null, the CPU.</param>
    /// <exception cref="ArgumentException"><paramref name="steps"/> is negative.</exception>
    /// <exception cref="InvalidOperationException">No backend is registered for <paramref name="device"/>.</exception>
    public static Tensor Linspace(double start, double end, int steps, DType dtype = DType.Float32, Device? device = null)
    {
        if (steps < 0) throw new ArgumentException($"Linspace: steps must be non-negative, got {steps}.");
        var values = new double[steps];
        double step = steps > 1 ? (end - start) / (steps - 1) : 0;
        // Fill from both ends, like PyTorch, so the last value is exactly `end`.
        for (int i = 0; i < steps; i++) values[i] = i < steps / 2 ? start + i * step : end - (steps - 1 - i) * step;
        return FromDoubles(values, [steps], dtype, device ?? Device.Cpu);
    }

    private static Tensor FromDoubles(double[] values, int[] shape, DType dtype, Device device)
    {
        using var host = From(values, shape);
        var t = host.To(dtype);
        if (device == Device.Cpu) return t;
        using (t) return t.To(device);
    }

    /// <summary>The <paramref name="n"/> x <paramref name="m"/> identity matrix (square by default).</summary>
    /// <param name="n">The number of rows.</param>
    /// <param name="m">The number of columns; default null, <paramref name="n"/>.</param>
    /// <param name="dtype">The element type; default <see cref="DType.Float32"/>.</param>
    /// <param name="device">Where the result lives; default null, the CPU.</param>
    /// <exception cref="ArgumentException"><paramref name="n"/> or <paramref name="m"/> is negative.</exception>
    /// <exception cref="InvalidOperationException">No backend is registered for <paramref name="device"/>.</exception>
    public static Tensor Eye(int n, int? m = null, DType dtype = DType.Float32, Device? device = null)
    {
        int cols = m ?? n;
        var t = Full([n, cols], 0, dtype, device);
        // The diagonal is itself a strided view: step cols+1 through the storage.
        var diagonal = new Layout([Math.Min(n, cols)], [cols + 1], 0);
        t.Backend.Fill(t.Storage, diagonal, 1);
        return t;
    }

    /// <summary>Uniform values on [0, 1).</summary>
    /// <param name="shape">The sizes of the result, each 0 or more; none for a 0-d tensor.</param>
    /// <exception cref="ArgumentException">A size is negative, or the element count exceeds what a tensor can
    /// hold.</exception>
    public static Tensor Rand(params int[] shape) => Random(RandomKind.Uniform, shape, null, DType.Float32, null);

    /// <summary>Uniform values on [0, 1) from <paramref name="generator"/> (default: <see cref="Generator.Default"/>).</summary>
    /// <param name="shape">The sizes of the result, each 0 or more; none for a 0-d tensor.</param>
    /// <param name="generator">The random stream to draw from (PyTorch's <c>generator</c>); null draws from <see
    /// cref="Generator.Default"/>. The values differ from PyTorch's for the same seed.</param>
    /// <param name="dtype">A floating-point element type; default <see cref="DType.Float32"/>.</param>
    /// <param name="device">Where the result lives; default null, the CPU.</param>
    /// <exception cref="ArgumentException"><paramref name="dtype"/> is not floating point, or a size is
    /// negative.</exception>
    /// <exception cref="InvalidOperationException">No backend is registered for <paramref name="device"/>.</exception>
    public static Tensor Rand(int[] shape, Generator? generator, DType dtype = DType.Float32, Device? device = null) =>
        Random(RandomKind.Uniform, shape, generator, dtype, device);

    /// <summary>Standard normal values.</summary>
    /// <param name="shape">The sizes of the result, each 0 or more; none for a 0-d tensor.</param>
    /// <exception cref="ArgumentException">A size is negative, or the element count exceeds what a tensor can
    /// hold.</exception>
    public static Tensor Randn(params int[] shape) => Random(RandomKind.Normal, shape, null, DType.Float32, null);

    /// <summary>Standard normal values from <paramref name="generator"/> (default: <see cref="Generator.Default"/>).</summary>
    /// <param name="shape">The sizes of the result, each 0 or more; none for a 0-d tensor.</param>
    /// <param name="generator">The random stream to draw from (PyTorch's <c>generator</c>); null draws from <see
    /// cref="Generator.Default"/>. The values differ from PyTorch's for the same seed.</param>
    /// <param name="dtype">A floating-point element type; default <see cref="DType.Float32"/>.</param>
    /// <param name="device">Where the result lives; default null, the CPU.</param>
    /// <exception cref="ArgumentException"><paramref name="dtype"/> is not floating point, or a size is
    /// negative.</exception>
    /// <exception cref="InvalidOperationException">No backend is registered for <paramref name="device"/>.</exception>
    public static Tensor Randn(int[] shape, Generator? generator, DType dtype = DType.Float32, Device? device = null) =>
        Random(RandomKind.Normal, shape, generator, dtype, device);

    private static Tensor Random(RandomKind kind, int[] shape, Generator? generator, DType dtype, Device? device)
    {
        if (!dtype.IsFloatingPoint())
            throw new ArgumentException($"{(kind == RandomKind.Uniform ? "Rand" : "Randn")}: dtype {dtype.Name()} is not floating point; use Float32 or Float64.");
        var g = generator ?? Generator.Default;
        var t = Allocate(shape, dtype, device ?? Device.Cpu);
        t.Backend.FillRandom(kind, g.Seed, g.Take(t.Numel), t.Storage, t.Layout);
        return t;
    }

    /// <summary>Reseeds <see cref="Generator.Default"/> (PyTorch's <c>torch.manual_seed</c>).</summary>
    /// <param name="seed">The seed of the new default generator; the same seed gives the same sequence of random
    /// tensors (not PyTorch's sequence).</param>
    public static void ManualSeed(ulong seed) => Generator.Default = new Generator(seed);

    /// <summary>Joins tensors of one shape along a new dim <paramref name="dim"/>.</summary>
    /// <param name="tensors">The tensors to join, at least one, all of one shape and on one device; their dtypes are
    /// promoted to a common one.</param>
    /// <param name="dim">Where the new dim goes in the result, -Rank-1..Rank of the inputs; default 0.</param>
    /// <exception cref="ArgumentException">The list is empty or the shapes differ.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dim"/> is out of range.</exception>
    /// <exception cref="InvalidOperationException">The tensors are on different devices.</exception>
    public static Tensor Stack(IReadOnlyList<Tensor> tensors, int dim = 0)
    {
        if (tensors.Count == 0) throw new ArgumentException("Stack: expects a non-empty list of tensors.");
        var shape = tensors[0].Layout.Shape;
        for (int i = 1; i < tensors.Count; i++)
            if (!tensors[i].Layout.Shape.SequenceEqual(shape))
                throw new ArgumentException($"Stack: every tensor must have the same shape, but tensor 0 is {Layout.Format(shape)} and tensor {i} is {Layout.Format(tensors[i].Layout.Shape)}.");
        int d = tensors[0].NormalizeDim("Stack", dim, tensors[0].Rank + 1);
        var views = tensors.Select(t => t.Unsqueeze(d)).ToList();
        try { return Cat(views, d); }
        finally { views.ForEach(v => v.Dispose()); }
    }

    /// <summary>Joins tensors along an existing dim <paramref name="dim"/>; other sizes must match.</summary>
    /// <param name="tensors">The tensors to join, at least one, of one rank and on one device, with equal sizes except
    /// along <paramref name="dim"/>; their dtypes are promoted to a common one.</param>
    /// <param name="dim">The dim to join along (negative counts from the end); default 0.</param>
    /// <exception cref="ArgumentException">The list is empty, the ranks differ, or a size other than along <paramref
    /// name="dim"/> differs.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dim"/> is out of range.</exception>
    /// <exception cref="InvalidOperationException">The tensors are on different devices.</exception>
    public static Tensor Cat(IReadOnlyList<Tensor> tensors, int dim = 0)
    {
        if (tensors.Count == 0) throw new ArgumentException("Cat: expects a non-empty list of tensors.");
        var first = tensors[0];
        int d = first.NormalizeDim("Cat", dim);
        var device = SameDevice("Cat", [.. tensors]);
        var dtype = TypePromotion.ResultType([.. tensors]);
        var shape = first.Shape;
        long total = 0;
        for (int i = 0; i < tensors.Count; i++)
        {
            var s = tensors[i].Layout.Shape;
            bool ok = s.Length == shape.Length;
            for (int k = 0; ok && k < s.Length; k++) ok = k == d || s[k] == shape[k];
            if (!ok)
                throw new ArgumentException($"Cat: tensor {i} has shape {Layout.Format(s)} but tensor 0 has {Layout.Format(shape)}; all sizes except dim {dim} must match.");
            total += s[d];
        }
        if (total > Layout.MaxElements)
            throw new ArgumentException($"Cat: the result would have {total} entries along dim {dim}; a tensor holds at most {Layout.MaxElements:N0} elements.");
        shape[d] = (int)total;
        var result = Allocate(shape, dtype, device);
        bool record = Autograd.IsEnabled && tensors.Any(t => t.RequiresGrad);
        using var noGrad = Autograd.Suspend();
        int at = 0;
        foreach (var t in tensors)
        {
            int size = t.Layout.Shape[d];
            result.Backend.Copy(t.StorageFor("Cat"), t.Layout, result.Storage, result.Layout.Slice(d, at, size));
            at += size;
        }
        return record ? result.Record(new Graph.CatBackward(tensors, d)) : result;
    }
}
