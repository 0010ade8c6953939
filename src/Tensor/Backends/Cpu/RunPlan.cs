namespace Tensors.Backends.Cpu;

/// <summary>Work on one run of <c>n</c> elements; operand k's first element is at offset o_k and steps by the
/// plan's inner stride for k.</summary>
internal interface IRunKernel
{
    void Run(int o0, int o1, int o2, int o3, int n);
}

/// <summary>
/// PyTorch's TensorIterator idea for up to four operands of one shape: drop size-1 dims, order dims by the
/// memory order of one operand, merge dims that are contiguous for every operand, and hand kernels the longest
/// inner runs possible. A contiguous op becomes one run; a broadcast operand shows up as inner stride 0.
/// </summary>
internal sealed class RunPlan
{
    private const int MaxOperands = 4;
    private const long ParallelThreshold = 1 << 16;

    // Long runs go to kernels in pieces of this many elements: the pieces stay in L2, and the SIMD library's
    // methods are called often enough to be promoted to fully optimised code by tiered compilation (a few huge
    // calls can leave them running in slower on-stack-replaced code).
    private const int Piece = 1 << 14;

    private readonly int[] _outerShape;    // outermost first
    private readonly int[] _outerStrides;  // [dim * 4 + operand]
    private readonly int[] _base;

    /// <summary>The length of each run.</summary>
    public int Inner { get; }

    /// <summary>The inner stride of each operand (read only: plans may share the array).</summary>
    public int[] InnerStrides { get; }

    /// <summary>The number of runs.</summary>
    public long OuterCount { get; }

    /// <summary>True when the shape has no elements.</summary>
    public bool IsEmpty { get; }

    public int OuterRank => _outerShape.Length;

    private RunPlan(int[] outerShape, int[] outerStrides, int[] @base, int inner, int[] innerStrides, bool empty)
    {
        _outerShape = outerShape;
        _outerStrides = outerStrides;
        _base = @base;
        Inner = inner;
        InnerStrides = innerStrides;
        IsEmpty = empty;
        long count = 1;
        foreach (var s in outerShape) count *= s;
        OuterCount = empty ? 0 : count;
    }

    public static RunPlan Create(ReadOnlySpan<int> shape, ReadOnlySpan<Layout> layouts, int orderBy = 0)
    {
        int ops = layouts.Length;
        var @base = new int[MaxOperands];
        for (int k = 0; k < ops; k++) @base[k] = layouts[k].Offset;
        if (AllContiguous(shape, layouts))
        {
            // The common case, and the one where planning overhead shows on small tensors: one run.
            int n = Layout.ShapeNumel(shape);
            return new RunPlan([], [], @base, Math.Max(n, 1), UnitStrides, n == 0);
        }
        return Merged(shape, layouts, orderBy, @base);
    }

    // Kernels only read a plan's strides, so every contiguous plan shares this one.
    private static readonly int[] UnitStrides = [1, 1, 1, 1];

    // The general plan, on the stack until its result: small broadcast ops go through here on every training step.
    private static RunPlan Merged(ReadOnlySpan<int> shape, ReadOnlySpan<Layout> layouts, int orderBy, int[] @base)
    {
        int ops = layouts.Length, rank = shape.Length;
        bool empty = false;
        Span<int> dims = rank <= 32 ? stackalloc int[rank] : new int[rank];
        int count = 0;
        var order = layouts[orderBy].Strides;
        for (int d = 0; d < rank; d++)
        {
            if (shape[d] == 0) empty = true;
            if (shape[d] == 1) continue;
            // Outermost first by the ordering operand's stride: an insertion sort that keeps ties in logical order.
            int at = count++;
            for (; at > 0 && order[dims[at - 1]] < order[d]; at--) dims[at] = dims[at - 1];
            dims[at] = d;
        }

        // Innermost first: a dim joins the run inside it when it is contiguous with it for every operand.
        Span<int> sizes = count <= 32 ? stackalloc int[count] : new int[count];
        Span<int> strides = count <= 32 ? stackalloc int[count * MaxOperands] : new int[count * MaxOperands];
        strides.Clear();
        int merged = 0;
        for (int i = count - 1; i >= 0; i--)
        {
            int d = dims[i];
            if (merged > 0)
            {
                int last = merged - 1;
                bool merge = true;
                for (int k = 0; k < ops; k++)
                    if ((long)strides[last * MaxOperands + k] * sizes[last] != layouts[k].Strides[d]) { merge = false; break; }
                if (merge)
                {
                    sizes[last] *= shape[d];
                    continue;
                }
            }
            sizes[merged] = shape[d];
            for (int k = 0; k < ops; k++) strides[merged * MaxOperands + k] = layouts[k].Strides[d];
            merged++;
        }
        if (merged == 0) return new RunPlan([], [], @base, 1, new int[MaxOperands], empty);

        // sizes[0] is the innermost.
        int outerRank = merged - 1;
        var outerShape = new int[outerRank];
        var outerStrides = new int[outerRank * MaxOperands];
        for (int i = 0; i < outerRank; i++)
        {
            int src = merged - 1 - i;
            outerShape[i] = sizes[src];
            strides.Slice(src * MaxOperands, MaxOperands).CopyTo(outerStrides.AsSpan(i * MaxOperands));
        }
        return new RunPlan(outerShape, outerStrides, @base, sizes[0], strides[..MaxOperands].ToArray(), empty);
    }

    private static bool AllContiguous(ReadOnlySpan<int> shape, ReadOnlySpan<Layout> layouts)
    {
        foreach (var l in layouts)
            if (!l.IsContiguous || l.HasInternalOverlap || !l.Shape.SequenceEqual(shape)) return false;
        return true;
    }

    /// <summary>The innermost outer dim's size and strides, and a plan over the dims outside it, for kernels that
    /// work on 2-D tiles (the blocked transpose).</summary>
    public (RunPlan Plan, int Rows, int[] RowStrides) SplitLastOuter()
    {
        int last = _outerShape.Length - 1;
        var rowStrides = new int[MaxOperands];
        Array.Copy(_outerStrides, last * MaxOperands, rowStrides, 0, MaxOperands);
        var plan = new RunPlan(_outerShape[..last], _outerStrides[..(last * MaxOperands)], _base, Inner, InnerStrides, IsEmpty);
        return (plan, _outerShape[last], rowStrides);
    }

    /// <summary>True when operand k moves on every outer dim, so no two runs touch the same element of it.</summary>
    public bool OuterDistinct(int k)
    {
        for (int d = 0; d < _outerShape.Length; d++)
            if (_outerStrides[d * MaxOperands + k] == 0) return false;
        return true;
    }

    /// <summary>Runs the kernel over every run, splitting large work across cores when <paramref name="parallel"/>.
    /// <paramref name="runsPerCall"/> is how many runs one kernel call covers (kernels that take a column of runs,
    /// from <see cref="SplitLastOuter"/>), so that the split is decided on the real amount of work.</summary>
    public void Execute<TK>(TK kernel, bool parallel = true, int runsPerCall = 1) where TK : struct, IRunKernel
    {
        if (IsEmpty) return;
        long total = OuterCount * Inner * runsPerCall;
        int threads = parallel && total >= ParallelThreshold ? Environment.ProcessorCount : 1;
        if (threads <= 1) RunRange(ref kernel, 0, OuterCount);
        else if (OuterCount >= threads) ByRuns(kernel, threads);
        else ByPieces(kernel, threads);
    }

    // Work is cut into a few jobs per core, not one: the calling thread starts at once while a pool thread may take
    // tens of microseconds to wake (far longer on a busy machine), and with one job each the caller then sat idle
    // waiting for the latecomer's half; with several, whoever is running takes the next job.
    private const int JobsPerCore = 4;

    // The parallel forms live in methods of their own: a lambda's captures are allocated on entry to the method
    // that declares it, and small ops, which never split, would pay for them.
    private void ByRuns<TK>(TK kernel, int threads) where TK : struct, IRunKernel
    {
        long jobs = Math.Min(OuterCount, JobsPerCore * threads);
        long chunk = (OuterCount + jobs - 1) / jobs;
        jobs = (OuterCount + chunk - 1) / chunk;
        Parallel.For(0, jobs, t =>
        {
            var k = kernel;
            RunRange(ref k, t * chunk, Math.Min(OuterCount, (t + 1) * chunk));
        });
    }

    // Few long runs: split each run into pieces, so that there are about as many jobs as in ByRuns.
    private void ByPieces<TK>(TK kernel, int threads) where TK : struct, IRunKernel
    {
        int pieces = (int)((JobsPerCore * threads + OuterCount - 1) / OuterCount);
        int piece = (Inner + pieces - 1) / pieces;
        piece = (piece + 63) & ~63;
        pieces = (Inner + piece - 1) / piece;
        Parallel.For(0, OuterCount * pieces, job =>
        {
            var k = kernel;
            long row = job / pieces;
            int start = (int)(job % pieces) * piece;
            int n = Math.Min(piece, Inner - start);
            Span<int> o = stackalloc int[MaxOperands];
            OffsetsOf(row, o);
            for (int at = start; at < start + n; at += Piece)
                k.Run(o[0] + at * InnerStrides[0], o[1] + at * InnerStrides[1], o[2] + at * InnerStrides[2],
                    o[3] + at * InnerStrides[3], Math.Min(Piece, start + n - at));
        });
    }

    private void OffsetsOf(long row, Span<int> o)
    {
        for (int k = 0; k < MaxOperands; k++) o[k] = _base[k];
        for (int d = _outerShape.Length - 1; d >= 0; d--)
        {
            int i = (int)(row % _outerShape[d]);
            row /= _outerShape[d];
            for (int k = 0; k < MaxOperands; k++) o[k] += i * _outerStrides[d * MaxOperands + k];
        }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void RunRange<TK>(ref TK kernel, long start, long end) where TK : struct, IRunKernel
    {
        int rank = _outerShape.Length;
        Span<int> idx = stackalloc int[Math.Max(rank, 1)];
        Span<int> o = stackalloc int[MaxOperands];
        OffsetsOf(start, o);
        long rem = start;
        for (int d = rank - 1; d >= 0; d--)
        {
            idx[d] = (int)(rem % _outerShape[d]);
            rem /= _outerShape[d];
        }
        for (long r = start; r < end; r++)
        {
            if (Inner <= Piece) kernel.Run(o[0], o[1], o[2], o[3], Inner);
            else
                for (int at = 0; at < Inner; at += Piece)
                    kernel.Run(o[0] + at * InnerStrides[0], o[1] + at * InnerStrides[1], o[2] + at * InnerStrides[2],
                        o[3] + at * InnerStrides[3], Math.Min(Piece, Inner - at));
            for (int d = rank - 1; d >= 0; d--)
            {
                int sb = d * MaxOperands;
                if (++idx[d] < _outerShape[d])
                {
                    o[0] += _outerStrides[sb]; o[1] += _outerStrides[sb + 1];
                    o[2] += _outerStrides[sb + 2]; o[3] += _outerStrides[sb + 3];
                    break;
                }
                int back = _outerShape[d] - 1;
                o[0] -= _outerStrides[sb] * back; o[1] -= _outerStrides[sb + 1] * back;
                o[2] -= _outerStrides[sb + 2] * back; o[3] -= _outerStrides[sb + 3] * back;
                idx[d] = 0;
            }
        }
    }
}
