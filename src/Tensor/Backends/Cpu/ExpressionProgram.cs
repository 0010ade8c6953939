using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using Tensors.Fusion;
using Tensors.Ops;

namespace Tensors.Backends.Cpu;

/// <summary>
/// An <see cref="ElementwiseExpression"/> laid out for the CPU: its shape cut into outer dims and a block of inner
/// dims (dims that are contiguous for every leaf merged first), each block computed tile by tile through every step
/// while it sits in L1, then written to the destination or reduced. Leaves whose block is contiguous are read in
/// place, broadcast ones as a scalar, any other gathered into a scratch tile.
/// </summary>
internal sealed class ExpressionProgram<T> where T : unmanaged, INumber<T>
{
    /// <summary>Elements per tile when computing values (a tile of every step stays in L1).</summary>
    public const int Tile = 1024;

    /// <summary>The longest block a reduction folds at once (it keeps the whole block of every step).</summary>
    public const int MaxReduceBlock = 8192;

    private const long ParallelThreshold = 1 << 16;

    private readonly ExpressionStep[] _ops;
    private readonly TileStep<T>[] _steps;
    private readonly T[][] _leaves;
    private readonly int[] _leafOffsets;
    private readonly int[] _outerShape;
    private readonly int[][] _outerStrides;  // [leaf][outer dim]
    private readonly int[] _blockShape;
    private readonly int[][] _blockStrides;  // [leaf][block dim]
    private readonly LeafAccess[] _access;

    private enum LeafAccess { InPlace, Scalar, Gather }

    private ExpressionProgram(ElementwiseExpression e, int[] outerShape, int[][] outerStrides, int[] blockShape, int[][] blockStrides)
    {
        _ops = e.Steps;
        _steps = TileStep<T>.Compile(e.Steps, e.DType);
        _leaves = e.Leaves.Select(l => CpuStorage.Of(l.Storage, "Evaluate").Array<T>()).ToArray();
        _leafOffsets = e.Leaves.Select(l => l.Layout.Offset).ToArray();
        (_outerShape, _outerStrides, _blockShape, _blockStrides) = (outerShape, outerStrides, blockShape, blockStrides);
        _access = blockStrides.Select(Access).ToArray();
        Block = Layout.ShapeNumel(blockShape);
        Outer = Layout.ShapeNumel(outerShape);
    }

    /// <summary>Elements per block.</summary>
    public int Block { get; }

    /// <summary>The number of blocks.</summary>
    public int Outer { get; }

    private LeafAccess Access(int[] strides)
    {
        if (strides.All(s => s == 0)) return LeafAccess.Scalar;
        var contiguous = Layout.ContiguousStrides(_blockShape);
        return strides.AsSpan().SequenceEqual(contiguous) ? LeafAccess.InPlace : LeafAccess.Gather;
    }

    /// <summary>A program whose block is the innermost dims, up to a tile's worth (or one longer dim, in tiles).</summary>
    public static ExpressionProgram<T> ForValues(ElementwiseExpression e)
    {
        var (shape, strides) = Merge(e, 0, e.Shape.Length);
        int split = shape.Length == 0 ? 0 : shape.Length - 1;
        for (long block = shape.Length == 0 ? 1 : shape[^1]; split > 0 && block * shape[split - 1] <= Tile; split--)
            block *= shape[split - 1];
        return new(e, shape[..split], strides.Select(s => s[..split]).ToArray(), shape[split..], strides.Select(s => s[split..]).ToArray());
    }

    /// <summary>A program whose block is the trailing dims from <paramref name="firstReduced"/> on.</summary>
    public static ExpressionProgram<T> ForReduction(ElementwiseExpression e, int firstReduced)
    {
        var (outer, outerStrides) = Merge(e, 0, firstReduced);
        var (block, blockStrides) = Merge(e, firstReduced, e.Shape.Length);
        return new(e, outer, outerStrides, block, blockStrides);
    }

    // Dims [from, to) of the shape without size-1 dims, a dim merged into the one inside it where every leaf steps
    // through both as one (the destination is contiguous, so it always can).
    private static (int[] Shape, int[][] Strides) Merge(ElementwiseExpression e, int from, int to)
    {
        var shape = new List<int>();
        var strides = e.Leaves.Select(_ => new List<int>()).ToArray();
        for (int d = to - 1; d >= from; d--)
        {
            int size = e.Shape[d];
            if (size == 1) continue;
            int last = shape.Count - 1;
            bool merge = last >= 0;
            for (int k = 0; merge && k < strides.Length; k++)
                merge = (long)strides[k][last] * shape[last] == e.Leaves[k].Layout.Strides[d];
            if (merge) { shape[last] *= size; continue; }
            shape.Add(size);
            for (int k = 0; k < strides.Length; k++) strides[k].Add(e.Leaves[k].Layout.Strides[d]);
        }
        shape.Reverse();
        foreach (var s in strides) s.Reverse();
        return ([.. shape], strides.Select(s => s.ToArray()).ToArray());
    }

    /// <summary>Writes every value into <paramref name="d"/> from <paramref name="offset"/> on, in row-major order.</summary>
    public void WriteTo(T[] d, int offset)
    {
        if (Outer == 0 || Block == 0) return;
        int tiles = (Block + Tile - 1) / Tile, tile = Math.Min(Block, Tile);
        // A block longer than a tile is one dim (ForValues), so it splits into tiles along it.
        ForEachChunk((long)Outer * tiles, tile, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (ref Cursor c, long item, Scratch s) =>
        {
            int t = (int)(item % tiles), start = t * tile, n = Math.Min(tile, Block - start);
            var result = Values(ref c, start, n, s, new TileValue<T> { Array = d, Offset = offset + c.Block * Block + start });
            if (result.IsScalar) d.AsSpan(offset + c.Block * Block + start, n).Fill(result.Scalar);
        }, itemsPerBlock: tiles);
    }

    /// <summary>Reduces each block into one element of <paramref name="d"/> (from <paramref name="offset"/>, one per
    /// block in row-major order) exactly as <see cref="ReduceRunner"/> reduces a contiguous block that is one run:
    /// Result(Merge(Identity, Reduce(block))).</summary>
    public void ReduceTo<TAcc, TFn>(T[] d, int offset) where TAcc : unmanaged where TFn : struct, IReduceFn<T, TAcc>
    {
        int batch = Batch();
        ForEachChunk((Outer + batch - 1) / batch, batch * Block, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (ref Cursor c, long item, Scratch s) =>
        {
            int blocks = Math.Min(batch, Outer - c.Block), n = blocks * Block;
            var result = Values(ref c, 0, n, s, new TileValue<T> { Array = s.Result, Offset = 0 });
            if (result.IsScalar) s.Result.AsSpan(0, n).Fill(result.Scalar);
            for (int j = 0; j < blocks; j++)
                d[offset + c.Block + j] = TFn.Result(TFn.Merge(TFn.Identity, TFn.Reduce(s.Result.AsSpan(j * Block, Block))));
        }, blocksPerItem: batch);
    }

    /// <summary>How many consecutive blocks a reduction runs through the steps at once: short blocks then share the
    /// steps' fixed costs (the pixel distance's 784-element blocks, two at a time: 141 -> 121 us on one core). Possible when
    /// the blocks run along one outer dim and every leaf either moves on by exactly a block from one to the next (read
    /// in place across them) or stays put (a scalar, or one block, copied once into scratch as many times as
    /// needed).</summary>
    private int Batch()
    {
        if (_outerShape.Length != 1 || Block > Tile) return 1;
        for (int k = 0; k < _leaves.Length; k++)
        {
            int next = _outerStrides[k][0];
            if (next != 0 && (_access[k] != LeafAccess.InPlace || next != Block)) return 1;
            if (_access[k] == LeafAccess.Gather) return 1;
        }
        // Two tiles' worth: larger batches measured slower, their tiles no longer fitting in L1 together.
        return Math.Max(1, 2 * Tile / Block);
    }

    /// <summary>Runs every step over elements [start, start + n) of the cursor's block; the last step writes into
    /// <paramref name="output"/> (or returns a scalar).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private TileValue<T> Values(ref Cursor c, int start, int n, Scratch s, TileValue<T> output)
    {
        var values = s.Values;
        for (int k = 0; k < _leaves.Length; k++)
        {
            int at = c.Offsets[k];
            values[k] = _access[k] switch
            {
                // A block that stays put across a batch of several (n > Block) is read from its repeated copy.
                LeafAccess.InPlace when n > Block && _outerStrides[k][0] == 0 => Repeated(k, at, n, s),
                LeafAccess.InPlace => new TileValue<T> { Array = _leaves[k], Offset = at + start },
                LeafAccess.Scalar => TileValue<T>.Of(_leaves[k][at]),
                _ => Gather(k, at, start, n, s, k),
            };
        }
        int leaves = _leaves.Length;
        for (int i = 0; i < _steps.Length; i++)
        {
            var op = _ops[i];
            ref readonly var a = ref values[op.A < 0 ? -op.A - 1 : leaves + op.A];
            ref readonly var b = ref values[!op.IsBinary ? 0 : op.B < 0 ? -op.B - 1 : leaves + op.B];
            var d = i == _steps.Length - 1 ? output : new TileValue<T> { Array = s.Buffer, Offset = (leaves + i) * s.Stride };
            _steps[i].Apply(a, b, ref d, n);
            values[leaves + i] = d;
        }
        return values[leaves + _steps.Length - 1];
    }

    // Leaf k's block (contiguous, the same for every block) repeated to fill n elements of the leaf's scratch region;
    // copied once per scratch, since every batch reads the same.
    private TileValue<T> Repeated(int k, int at, int n, Scratch s)
    {
        var region = s.Buffer.AsSpan(k * s.Stride, s.Stride);
        if (!s.Repeated[k])
        {
            for (int o = 0; o + Block <= region.Length; o += Block) _leaves[k].AsSpan(at, Block).CopyTo(region[o..]);
            s.Repeated[k] = true;
        }
        return new TileValue<T> { Array = s.Buffer, Offset = k * s.Stride };
    }

    // Elements [start, start + n) of leaf k's block, in row-major order, copied into the leaf's scratch region.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private TileValue<T> Gather(int k, int at, int start, int n, Scratch s, int region)
    {
        var src = _leaves[k];
        var strides = _blockStrides[k];
        var dst = s.Buffer.AsSpan(region * s.Stride, n);
        int rank = _blockShape.Length;
        Span<int> index = stackalloc int[rank];
        int rem = start, offset = at;
        for (int d = rank - 1; d >= 0; d--)
        {
            index[d] = rem % _blockShape[d];
            rem /= _blockShape[d];
            offset += index[d] * strides[d];
        }
        for (int i = 0; i < n; i++)
        {
            dst[i] = src[offset];
            for (int d = rank - 1; d >= 0; d--)
            {
                offset += strides[d];
                if (++index[d] < _blockShape[d]) break;
                offset -= strides[d] * _blockShape[d];
                index[d] = 0;
            }
        }
        return new TileValue<T> { Array = s.Buffer, Offset = region * s.Stride };
    }

    /// <summary>Scratch of one worker: a region per leaf (gathers) and per step, and a block for reductions.</summary>
    private sealed class Scratch(int regions, int stride)
    {
        private T[]? _result;

        public readonly T[] Buffer = ArrayPool<T>.Shared.Rent(Math.Max(regions * stride, 1));

        /// <summary>A reduction's block (rented on first use: computing values writes to the destination).</summary>
        public T[] Result => _result ??= ArrayPool<T>.Shared.Rent(Stride);

        public readonly TileValue<T>[] Values = new TileValue<T>[regions];
        public readonly bool[] Repeated = new bool[regions];
        public readonly int Stride = stride;

        public void Return()
        {
            ArrayPool<T>.Shared.Return(Buffer);
            if (_result is not null) ArrayPool<T>.Shared.Return(_result);
        }
    }

    /// <summary>Which block a worker is at and where each leaf's block starts; stepped like an odometer.</summary>
    private struct Cursor
    {
        public int Block;
        public int[] Index;
        public int[] Offsets;
    }

    // The loops here run once per call, a few thousand times each: compiled optimised at once, since tiered
    // compilation left them in unoptimised code long enough to make a fused pass 5x slower than TieredCompilation=0.
    private delegate void ItemAction(ref Cursor c, long item, Scratch s);

    // Items are (block, tile) pairs in order, `itemsPerBlock` tiles to a block, or batches of `blocksPerItem` blocks;
    // the cursor moves on accordingly. Large work is split into a few chunks per core, each with its own cursor and
    // scratch.
    private void ForEachChunk(long items, int stride, ItemAction action, int itemsPerBlock = 1, int blocksPerItem = 1)
    {
        int regions = _leaves.Length + _steps.Length;
        long elements = items / itemsPerBlock * blocksPerItem * Block;
        int threads = elements >= ParallelThreshold ? Environment.ProcessorCount : 1;
        long chunks = threads == 1 ? 1 : Math.Min(items, 4L * threads), size = (items + chunks - 1) / chunks;
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        void Run(long chunk)
        {
            long first = chunk * size, end = Math.Min(items, first + size);
            if (first >= end) return;
            var s = new Scratch(regions, stride);
            try
            {
                var c = CursorAt((int)(first / itemsPerBlock * blocksPerItem));
                int along = (int)(first % itemsPerBlock);
                for (long item = first; item < end; item++, along++)
                {
                    if (along == itemsPerBlock)
                    {
                        for (int b = 0; b < blocksPerItem; b++) Advance(ref c);
                        along = 0;
                    }
                    action(ref c, item, s);
                }
            }
            finally { s.Return(); }
        }
        if (threads == 1) Run(0);
        else Parallel.For(0, chunks, Run);
    }

    private Cursor CursorAt(int block)
    {
        var c = new Cursor { Block = block, Index = new int[_outerShape.Length], Offsets = (int[])_leafOffsets.Clone() };
        for (int d = _outerShape.Length - 1; d >= 0; d--)
        {
            c.Index[d] = block % _outerShape[d];
            block /= _outerShape[d];
            for (int k = 0; k < _leaves.Length; k++) c.Offsets[k] += c.Index[d] * _outerStrides[k][d];
        }
        return c;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Advance(ref Cursor c)
    {
        c.Block++;
        for (int d = _outerShape.Length - 1; d >= 0; d--)
        {
            bool carry = ++c.Index[d] == _outerShape[d];
            for (int k = 0; k < _leaves.Length; k++)
                c.Offsets[k] += carry ? -_outerStrides[k][d] * (_outerShape[d] - 1) : _outerStrides[k][d];
            if (!carry) return;
            c.Index[d] = 0;
        }
    }
}
