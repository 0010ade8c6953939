using System.Buffers;
using System.Runtime.CompilerServices;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Tensors.Ops;

namespace Tensors.Backends.Cpu;

/// <summary>
/// Reduction as accumulation into an accumulator array (float64 for float32 sums): the accumulator is viewed with
/// the source's shape and stride 0 on reduced dims, so a run either folds a whole source run into one accumulator
/// (inner reduction, SIMD Reduce) or folds a source row into an accumulator row (outer reduction, SIMD Combine).
/// Operand 0 is the source, operand 1 the accumulator.
/// </summary>
internal readonly struct ReduceKernel<T, TAcc, TFn>(T[] s, TAcc[] acc, int ss, int sa) : IRunKernel
    where T : unmanaged where TAcc : unmanaged where TFn : struct, IReduceFn<T, TAcc>
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run(int os, int oa, int _, int __, int n)
    {
        if (sa == 0)
        {
            TAcc r;
            if (ss == 1) r = TFn.Reduce(s.AsSpan(os, n));
            else
            {
                r = TFn.Identity;
                for (int i = 0; i < n; i++) r = TFn.Combine(r, s[os + i * ss]);
            }
            acc[oa] = TFn.Merge(acc[oa], r);
        }
        else if (sa == 1 && ss == 1) TFn.Combine(acc.AsSpan(oa, n), s.AsSpan(os, n), 1, 0);
        else for (int i = 0; i < n; i++) acc[oa + i * sa] = TFn.Combine(acc[oa + i * sa], s[os + i * ss]);
    }
}

/// <summary>Writes accumulators out as results: operand 0 is the destination, operand 1 the accumulator.</summary>
internal readonly struct ReduceResultKernel<T, TAcc, TFn>(T[] d, TAcc[] acc, int sd, int sa) : IRunKernel
    where T : unmanaged where TAcc : unmanaged where TFn : struct, IReduceFn<T, TAcc>
{
    public void Run(int od, int oa, int _, int __, int n)
    {
        for (int i = 0; i < n; i++) d[od + i * sd] = TFn.Result(acc[oa + i * sa]);
    }
}

/// <summary>
/// Sum, Max and Min on the CPU. Results accumulate in an array of the function's accumulator type (float64 for
/// float32 sums) laid out like the destination, and are rounded to the destination once at the end. Work is shared
/// between cores without two cores ever touching one accumulator: by distinct outputs where there are enough,
/// otherwise by slabs of the largest reduced dim, each into its own accumulators, merged at the end.
/// </summary>
internal readonly struct ReduceRunner(CpuStorage s, Layout ls, CpuStorage d, Layout ld) : IReduceRunner
{
    public void Run<T, TAcc, TFn>() where T : unmanaged, INumber<T> where TAcc : unmanaged, INumber<TAcc>
        where TFn : struct, IReduceFn<T, TAcc>
    {
        var src = s.Array<T>();
        int outputs = ld.Numel, threads = Environment.ProcessorCount;
        if (outputs == 1 && ls.IsContiguous && !ls.HasInternalOverlap && ls.Numel >= 1 << 18)
        {
            // A whole large tensor into one value: per-core partial results over long spans, then one merge.
            int n = ls.Numel, offset = ls.Offset, slabs = 4 * threads, chunk = (n + slabs - 1) / slabs;
            var partial = new TAcc[slabs];
            Parallel.For(0, slabs, i =>
            {
                int start = i * chunk, length = Math.Min(chunk, n - start);
                partial[i] = length > 0 ? TFn.Reduce(src.AsSpan(offset + start, length)) : TFn.Identity;
            });
            TAcc total = TFn.Identity;
            foreach (var p in partial) total = TFn.Merge(total, p);
            d.Array<T>()[ld.Offset] = TFn.Result(total);
            return;
        }
        var accLayout = Layout.Contiguous(ld.Shape);
        var spread = accLayout.BroadcastTo(ls.Shape);
        var plan = RunPlan.Create(ls.Shape, [ls, spread], orderBy: 0);
        // Same-type row combines (TensorPrimitives' two-span forms into the accumulator row) measured 2-3x slower
        // split across cores than on one, so they stay on one core as they always did.
        int split = typeof(TAcc) == typeof(T) && plan.InnerStrides[1] != 0 ? -1 : SplitDim(threads);
        // Four slabs per core even out cores that start late.
        int parts = split < 0 || Accumulation<T, TAcc, TFn>.SharesWell(plan, threads) ? 1 : Math.Min(4 * threads, ls.Shape[split]);
        var acc = ArrayPool<TAcc>.Shared.Rent(outputs * parts);
        try
        {
            acc.AsSpan(0, outputs * parts).Fill(TFn.Identity);
            if (parts == 1) Accumulation<T, TAcc, TFn>.Run(src, acc, plan, parallel: true);
            else
            {
                int size = ls.Shape[split], chunk = (size + parts - 1) / parts;
                var source = ls;
                Parallel.For(0, parts, p =>
                {
                    int start = p * chunk, length = Math.Min(chunk, size - start);
                    if (length <= 0) return;
                    var mine = new Layout(spread.Shape, spread.Strides, p * outputs).Slice(split, start, length);
                    var part = RunPlan.Create(mine.Shape, [source.Slice(split, start, length), mine], orderBy: 0);
                    Accumulation<T, TAcc, TFn>.Run(src, acc, part, parallel: false);
                });
                for (int p = 1; p < parts; p++) TFn.Merge(acc.AsSpan(0, outputs), acc.AsSpan(p * outputs, outputs));
            }
            var write = RunPlan.Create(ld.Shape, [ld, accLayout]);
            write.Execute(new ReduceResultKernel<T, TAcc, TFn>(d.Array<T>(), acc, write.InnerStrides[0], write.InnerStrides[1]));
        }
        finally { ArrayPool<TAcc>.Shared.Return(acc); }
    }

    // The reduced dim to split across cores, or -1 when the work is small, or the per-core accumulators would
    // outgrow a quarter of the source.
    private int SplitDim(int threads)
    {
        long n = ls.Numel;
        if (threads < 2 || n < 1 << 16 || (long)ld.Numel * 4 * threads > n / 4) return -1;
        int best = -1;
        for (int i = 0; i < ls.Rank; i++)
            if (ld.Shape[i] == 1 && ls.Shape[i] > 1 && (best < 0 || ls.Shape[i] > ls.Shape[best])) best = i;
        return best;
    }
}

/// <summary>Runs a plan over (source, accumulator) with the kernel that suits its innermost dims.</summary>
internal static class Accumulation<T, TAcc, TFn>
    where T : unmanaged where TAcc : unmanaged where TFn : struct, IReduceFn<T, TAcc>
{
    // Outer reductions into a wider accumulator: contiguous rows that all fold into one contiguous accumulator row,
    // several rows per accumulator load (same-type ones fold a row per call, which measured as fast).
    private static bool Rows(RunPlan plan, out RunPlan outer, out int rows, out int rowStride)
    {
        (outer, rows, rowStride) = (plan, 0, 0);
        if (typeof(TAcc) == typeof(T) || plan.OuterRank == 0 || plan.InnerStrides[0] != 1 || plan.InnerStrides[1] != 1) return false;
        var (o, r, strides) = plan.SplitLastOuter();
        if (strides[1] != 0) return false;
        (outer, rows, rowStride) = (o, r, strides[0]);
        return true;
    }

    /// <summary>True when cores can share the plan by distinct accumulators: enough runs that each own theirs, or
    /// folded rows wide enough to split by columns.</summary>
    public static bool SharesWell(RunPlan plan, int threads) => Rows(plan, out var outer, out _, out _)
        ? outer.OuterDistinct(1) && (long)outer.OuterCount * outer.Inner >= 1 << 16  // RunPlan's parallel threshold
        : plan.OuterDistinct(1) && (plan.InnerStrides[1] != 0 || plan.OuterCount >= threads);

    public static void Run(T[] src, TAcc[] acc, RunPlan plan, bool parallel)
    {
        if (Rows(plan, out var outer, out int rows, out int rowStride))
            outer.Execute(new RowFoldKernel<T, TAcc, TFn>(src, acc, rows, rowStride), parallel && outer.OuterDistinct(1));
        else
            // A run that folds into one accumulator stays on one core: pieces of it would race.
            plan.Execute(new ReduceKernel<T, TAcc, TFn>(src, acc, plan.InnerStrides[0], plan.InnerStrides[1]),
                parallel && plan.OuterDistinct(1) && (plan.InnerStrides[1] != 0 || plan.OuterCount >= Environment.ProcessorCount));
    }
}

/// <summary>Folds <paramref name="rows"/> contiguous source rows, <paramref name="rowStride"/> apart, into one
/// accumulator row (the function reads several rows per accumulator load).</summary>
internal readonly struct RowFoldKernel<T, TAcc, TFn>(T[] s, TAcc[] acc, int rows, int rowStride) : IRunKernel
    where T : unmanaged where TAcc : unmanaged where TFn : struct, IReduceFn<T, TAcc>
{
    public void Run(int os, int oa, int _, int __, int n) =>
        TFn.Combine(acc.AsSpan(oa, n), s.AsSpan(os, (rows - 1) * rowStride + n), rows, rowStride);
}

/// <summary>ArgMax/ArgMin: each destination element scans <paramref name="length"/> source elements
/// <paramref name="step"/> apart. Operand 0 is the Int64 destination, operand 1 the source's first element.</summary>
internal readonly struct ArgReduceKernel<T>(long[] d, T[] s, int sd, int ss, int length, int step, bool max) : IRunKernel
    where T : unmanaged, INumber<T>
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run(int od, int os, int unused2, int unused3, int n)
    {
        int i = sd == 1 && ss == 1 && step != 1 ? AcrossLanes(od, os, n) : 0;
        for (; i < n; i++)
        {
            int start = os + i * ss;
            d[od + i * sd] = step == 1 ? Contiguous(s.AsSpan(start, length)) : Strided(start);
        }
    }

    // Along an outer dim, with neighbouring results reading neighbouring elements (a max pool's window taps over
    // its output positions): a vector of results at a time, each lane keeping its best value and position under
    // ArgRule's order (the first maximum; the first NaN beats everything). Positions ride in T's lanes, exact for
    // 4- and 8-byte types up to 2^24. Returns how many results were done.
    private int AcrossLanes(int od, int os, int n)
    {
        if (!Vector256.IsHardwareAccelerated || !Vector256<T>.IsSupported || Unsafe.SizeOf<T>() < 4 || length > 1 << 24 || n < Vector256<T>.Count)
            return 0;
        _ = s[os + n - 1 + (length - 1) * step];
        _ = d[od + n - 1];
        ref T rs = ref MemoryMarshal.GetArrayDataReference(s);
        int lanes = Vector256<T>.Count, i = 0;
        for (; i <= n - lanes; i += lanes)
        {
            ref T first = ref Unsafe.Add(ref rs, os + i);
            var best = Vector256.LoadUnsafe(ref first);
            var at = Vector256<T>.Zero;
            var k = Vector256<T>.Zero;
            for (int j = 1; j < length; j++)
            {
                k += Vector256<T>.One;
                var v = Vector256.LoadUnsafe(ref first, (nuint)((long)j * step));
                // Not better once the best is NaN; a NaN candidate is better, as is a strictly larger (smaller) one.
                var better = Vector256.Equals(best, best) & (~Vector256.Equals(v, v) | (max ? Vector256.GreaterThan(v, best) : Vector256.LessThan(v, best)));
                best = Vector256.ConditionalSelect(better, v, best);
                at = Vector256.ConditionalSelect(better, k, at);
            }
            for (int lane = 0; lane < lanes; lane++) d[od + i + lane] = long.CreateTruncating(at[lane]);
        }
        return i;
    }

    private int Contiguous(ReadOnlySpan<T> x) => max ? TensorPrimitives.IndexOfMax(x) : TensorPrimitives.IndexOfMin(x);

    private int Strided(int start)
    {
        int best = 0;
        T bestValue = s[start];
        for (int k = 1; k < length; k++)
        {
            T v = s[start + k * step];
            if (ArgRule<T>.Better(v, bestValue, max)) { best = k; bestValue = v; }
        }
        return best;
    }
}
