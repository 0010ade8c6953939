namespace Tensors;

/// <summary>
/// How a tensor's elements sit in its storage: element <c>[i0, i1, ...]</c> is at
/// <c>Offset + i0*Strides[0] + i1*Strides[1] + ...</c>. Every view is a new layout over the same storage,
/// which is why views never copy. Strides are in elements and never negative; a stride of 0 repeats an element
/// (broadcasting). Immutable.
/// </summary>
public sealed class Layout
{
    private readonly int[] _shape;
    private readonly int[] _strides;

    /// <summary>Creates a layout; the arrays are copied. Sizes, strides and the offset must not be negative.</summary>
    /// <param name="shape">The sizes, each 0 or more.</param>
    /// <param name="strides">The step in elements between neighbours along each dim, one per size, each 0 or
    /// more.</param>
    /// <param name="offset">The storage index of the first element, 0 or more.</param>
    /// <exception cref="ArgumentException">The lengths differ, or a size, stride or the offset is negative.</exception>
    public Layout(ReadOnlySpan<int> shape, ReadOnlySpan<int> strides, int offset)
    {
        if (shape.Length != strides.Length)
            throw new ArgumentException($"Layout: shape has {shape.Length} dims but strides has {strides.Length}.");
        ShapeNumel(shape);
        foreach (var s in strides)
            if (s < 0) throw new ArgumentException($"Layout: strides {Format(strides)} contain a negative stride; strides are never negative.");
        if (offset < 0) throw new ArgumentException($"Layout: the offset {offset} is negative.");
        _shape = shape.ToArray();
        _strides = strides.ToArray();
        Offset = offset;
    }

    private Layout(int[] shape, int[] strides, int offset, bool _)
    {
        _shape = shape;
        _strides = strides;
        Offset = offset;
    }

    /// <summary>A row-major (C-contiguous) layout of the given shape starting at <paramref name="offset"/>.</summary>
    /// <param name="shape">The sizes, each 0 or more.</param>
    /// <param name="offset">The storage index of the first element; default 0.</param>
    /// <exception cref="ArgumentException">A size is negative or the element count is too large.</exception>
    public static Layout Contiguous(ReadOnlySpan<int> shape, int offset = 0)
    {
        var s = shape.ToArray();
        return new Layout(s, ContiguousStrides(s), offset, true);
    }

    /// <summary>The row-major strides of a shape.</summary>
    /// <param name="shape">The sizes.</param>
    public static int[] ContiguousStrides(ReadOnlySpan<int> shape)
    {
        var strides = new int[shape.Length];
        long stride = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            strides[i] = (int)stride;
            stride *= Math.Max(shape[i], 1);
        }
        return strides;
    }

    /// <summary>The size of each dimension.</summary>
    public ReadOnlySpan<int> Shape => _shape;

    /// <summary>The step in elements along each dimension.</summary>
    public ReadOnlySpan<int> Strides => _strides;

    /// <summary>The index in the storage of the first element.</summary>
    public int Offset { get; }

    /// <summary>The number of dimensions.</summary>
    public int Rank => _shape.Length;

    /// <summary>The number of elements (1 for a 0-d tensor).</summary>
    public int Numel => ShapeNumel(_shape);

    /// <summary>The most elements one storage holds: <see cref="Array.MaxLength"/> (2,147,483,591), the largest .NET
    /// array. Every element count, extent and offset is computed in 64 bits and checked against it.</summary>
    public static int MaxElements => Array.MaxLength;

    /// <summary>The product of a shape's sizes, checked: sizes must not be negative and the product must not pass
    /// <see cref="MaxElements"/>.</summary>
    /// <param name="shape">The sizes; empty for a 0-d shape (1 element).</param>
    /// <exception cref="ArgumentException">A size is negative or the product passes <see
    /// cref="MaxElements"/>.</exception>
    public static int ShapeNumel(ReadOnlySpan<int> shape)
    {
        foreach (var d in shape)
            if (d < 0) throw new ArgumentException($"Shape {Format(shape)} has a negative size; sizes must be 0 or more.");
        if (!TryShapeNumel(shape, out var n))
            throw new ArgumentException(
                $"Shape {Format(shape)} has more elements than one tensor can hold ({MaxElements:N0}, the largest .NET array).");
        return n;
    }

    /// <summary>The product of non-negative sizes in 64 bits, or false when it passes <see cref="MaxElements"/>
    /// (a size-0 dim makes any shape empty, however large the others are).</summary>
    internal static bool TryShapeNumel(ReadOnlySpan<int> shape, out int numel)
    {
        numel = 0;
        if (shape.Contains(0)) return true;
        long n = 1;
        foreach (var d in shape)
        {
            n *= d;
            if (n > MaxElements) return false;
        }
        numel = (int)n;
        return true;
    }

    /// <summary>One past the largest storage index the layout reaches (its offset when it has no elements),
    /// computed in 64 bits.</summary>
    public long End
    {
        get
        {
            if (_shape.Contains(0)) return Offset;
            long last = Offset;
            for (int i = 0; i < _shape.Length; i++) last += (long)(_shape[i] - 1) * _strides[i];
            return last + 1;
        }
    }

    /// <summary>True when the elements are in row-major order with no gaps (size-1 dims may have any stride).</summary>
    public bool IsContiguous
    {
        get
        {
            long expected = 1;
            for (int i = _shape.Length - 1; i >= 0; i--)
            {
                if (_shape[i] == 1) continue;
                if (_shape[i] == 0) return true;
                if (_strides[i] != expected) return false;
                expected *= _shape[i];
            }
            return true;
        }
    }

    /// <summary>True when two indices reach the same element (a stride of 0 on a dim longer than 1):
    /// writing through such a view would be ambiguous. A layout with no elements never overlaps.</summary>
    public bool HasInternalOverlap
    {
        get
        {
            if (_shape.Contains(0)) return false;
            for (int i = 0; i < _shape.Length; i++)
                if (_strides[i] == 0 && _shape[i] > 1) return true;
            return false;
        }
    }

    /// <summary>Reorders the dimensions; <paramref name="dims"/> must be a permutation of 0..Rank-1.</summary>
    /// <param name="dims">A permutation of 0..Rank-1: result dim i is dim dims[i].</param>
    public Layout Permute(ReadOnlySpan<int> dims)
    {
        var shape = new int[Rank];
        var strides = new int[Rank];
        for (int i = 0; i < dims.Length; i++)
        {
            shape[i] = _shape[dims[i]];
            strides[i] = _strides[dims[i]];
        }
        return new Layout(shape, strides, Offset, true);
    }

    /// <summary>Keeps <paramref name="length"/> elements of dim <paramref name="dim"/> from <paramref name="start"/>,
    /// stepping by <paramref name="step"/>.</summary>
    /// <param name="dim">The dim, 0..Rank-1.</param>
    /// <param name="start">The first position kept, 0..size.</param>
    /// <param name="length">How many positions to keep.</param>
    /// <param name="step">The stride between kept positions; default 1.</param>
    public Layout Slice(int dim, int start, int length, int step = 1)
    {
        var shape = _shape.ToArray();
        var strides = _strides.ToArray();
        shape[dim] = length;
        strides[dim] = _strides[dim] * step;
        // A slice with no elements (this one empty, or another dim of size 0) stays at the offset: stepping would
        // leave the storage, which may be empty.
        int offset = length == 0 || _shape.Contains(0) ? Offset : Offset + start * _strides[dim];
        return new Layout(shape, strides, offset, true);
    }

    /// <summary>Fixes dim <paramref name="dim"/> at <paramref name="index"/> and removes it.</summary>
    /// <param name="dim">The dim to fix, 0..Rank-1.</param>
    /// <param name="index">The position, 0..size-1.</param>
    public Layout Select(int dim, int index)
    {
        var shape = new List<int>(_shape);
        var strides = new List<int>(_strides);
        shape.RemoveAt(dim);
        strides.RemoveAt(dim);
        int offset = _shape.Contains(0) ? Offset : Offset + index * _strides[dim];  // no elements: as in Slice
        return new Layout(shape.ToArray(), strides.ToArray(), offset, true);
    }

    /// <summary>Inserts a dim of size 1 at <paramref name="dim"/> (0..Rank).</summary>
    /// <param name="dim">Where the new dim goes, 0..Rank.</param>
    public Layout Unsqueeze(int dim)
    {
        var shape = new List<int>(_shape);
        var strides = new List<int>(_strides);
        // Any stride is right for a size-1 dim; this one keeps the layout contiguous when it was.
        int stride = dim < Rank ? (int)Math.Min((long)_strides[dim] * _shape[dim], int.MaxValue) : 1;
        shape.Insert(dim, 1);
        strides.Insert(dim, stride);
        return new Layout(shape.ToArray(), strides.ToArray(), Offset, true);
    }

    /// <summary>Removes the given dims, each of which must have size 1.</summary>
    /// <param name="remove">One flag per dim: true removes it.</param>
    public Layout RemoveDims(ReadOnlySpan<bool> remove)
    {
        var shape = new List<int>();
        var strides = new List<int>();
        for (int i = 0; i < Rank; i++)
        {
            if (remove[i]) continue;
            shape.Add(_shape[i]);
            strides.Add(_strides[i]);
        }
        return new Layout(shape.ToArray(), strides.ToArray(), Offset, true);
    }

    /// <summary>
    /// Views this layout as <paramref name="target"/> (the shape must already be checked broadcast-compatible):
    /// leading new dims and stretched size-1 dims get stride 0.
    /// </summary>
    /// <param name="target">The shape to view as.</param>
    /// <exception cref="ArgumentException">This layout's shape does not broadcast to <paramref
    /// name="target"/>.</exception>
    public Layout BroadcastTo(ReadOnlySpan<int> target)
    {
        if (target.SequenceEqual(_shape)) return this;
        var strides = new int[target.Length];
        int lead = target.Length - Rank;
        for (int i = 0; i < target.Length; i++)
        {
            int j = i - lead;
            if (j < 0) strides[i] = 0;
            else if (_shape[j] == target[i]) strides[i] = _strides[j];
            else if (_shape[j] == 1) strides[i] = 0;
            else
                throw new ArgumentException(
                    $"BroadcastTo: shape {Format(_shape)} cannot be expanded to {Format(target)}: dim {j} has size {_shape[j]}; only size-1 dims stretch.");
        }
        return new Layout(target.ToArray(), strides, Offset, true);
    }

    /// <summary>
    /// The strides that would let this layout be read as <paramref name="newShape"/> without copying, or null when
    /// no such strides exist (PyTorch's <c>computeStride</c>): each run of old dims that is merged or split must be
    /// contiguous within itself.
    /// </summary>
    /// <param name="newShape">The sizes to read the elements as, with this layout's element count.</param>
    public Layout? TryView(ReadOnlySpan<int> newShape)
    {
        if (ShapeNumel(newShape) != Numel) return null;
        var newStrides = new int[newShape.Length];
        if (Numel == 0 || Rank == 0)
        {
            return Contiguous(newShape, Offset);
        }
        int viewD = newShape.Length - 1;
        long chunkBase = _strides[Rank - 1];
        long tensorNumel = 1, viewNumel = 1;
        for (int d = Rank - 1; d >= 0; d--)
        {
            tensorNumel *= _shape[d];
            bool boundary = d == 0 || (_shape[d - 1] != 1 && _strides[d - 1] != tensorNumel * chunkBase);
            if (!boundary) continue;
            while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] == 1))
            {
                newStrides[viewD] = (int)(viewNumel * chunkBase);
                viewNumel *= newShape[viewD];
                viewD--;
            }
            if (viewNumel != tensorNumel) return null;
            if (d > 0)
            {
                chunkBase = _strides[d - 1];
                tensorNumel = 1;
                viewNumel = 1;
            }
        }
        if (viewD != -1) return null;
        return new Layout(newShape.ToArray(), newStrides, Offset, true);
    }

    /// <summary>The storage index of the element at a multi-index.</summary>
    /// <param name="index">One position per dim.</param>
    public int OffsetOf(ReadOnlySpan<int> index)
    {
        long o = Offset;
        for (int i = 0; i < index.Length; i++) o += (long)index[i] * _strides[i];
        return (int)o;
    }

    /// <summary>Formats a shape the way errors print it: <c>[2, 3]</c>.</summary>
    /// <param name="shape">The sizes.</param>
    public static string Format(ReadOnlySpan<int> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";

    /// <inheritdoc />
    public override string ToString() => $"shape {Format(_shape)}, strides {Format(_strides)}, offset {Offset}";
}
