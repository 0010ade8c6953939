using System.Runtime.CompilerServices;
using System.Numerics;
using Tensors.Ops;
using Tensors.Random;

namespace Tensors.Backends.Cpu;

/// <summary>
/// The managed SIMD backend: TensorPrimitives (and Vector256 where it has no op) on contiguous runs found by
/// <see cref="RunPlan"/>, strided loops for the rest, a blocked transpose, a packed multithreaded GEMM.
/// </summary>
public sealed partial class CpuBackend : IBackend
{
    /// <summary>The one instance.</summary>
    public static CpuBackend Instance { get; } = new();

    private CpuBackend() { }

    /// <inheritdoc />
    public Device Device => Device.Cpu;

    /// <inheritdoc />
    public Storage Allocate(DType dtype, int length) => new CpuStorage(this, dtype, length, pooled: true);

    /// <inheritdoc />
    public void CopyFromHost(ReadOnlySpan<byte> source, Storage destination, int offset) =>
        HostBytes.Write(source, destination, offset);

    /// <inheritdoc />
    public void CopyToHost(Storage source, int offset, Span<byte> destination) =>
        HostBytes.Read(source, offset, destination);

    /// <inheritdoc />
    public void Fill(Storage destination, Layout layout, Scalar value)
    {
        var r = new FillRunner(CpuStorage.Of(destination, "Fill"), layout, value);
        NumericDispatch.RunStorage(destination.DType, r);
    }

    /// <inheritdoc />
    public void Copy(Storage source, Layout sourceLayout, Storage destination, Layout destinationLayout)
    {
        var r = new CopyRunner(CpuStorage.Of(source, "Copy"), sourceLayout, CpuStorage.Of(destination, "Copy"), destinationLayout);
        NumericDispatch.Run(source.DType, destination.DType, r);
    }

    /// <inheritdoc />
    public void Unary(UnaryOp op, Storage source, Layout sourceLayout, Storage destination, Layout destinationLayout)
    {
        var r = new UnaryRunner(CpuStorage.Of(source, op), sourceLayout, CpuStorage.Of(destination, op), destinationLayout);
        UnaryDispatch.Run(op, source.DType, r);
    }

    /// <inheritdoc />
    public void Binary(BinaryOp op, Storage a, Layout aLayout, Storage b, Layout bLayout, Storage destination, Layout destinationLayout)
    {
        var r = new BinaryRunner(CpuStorage.Of(a, op), aLayout, CpuStorage.Of(b, op), bLayout, CpuStorage.Of(destination, op), destinationLayout);
        BinaryDispatch.Run(op, a.DType, r);
    }

    /// <inheritdoc />
    public void Compare(CompareOp op, Storage a, Layout aLayout, Storage b, Layout bLayout, Storage destination, Layout destinationLayout)
    {
        var r = new CompareRunner(CpuStorage.Of(a, op), aLayout, CpuStorage.Of(b, op), bLayout, CpuStorage.Of(destination, op), destinationLayout);
        CompareDispatch.Run(op, a.DType, r);
    }

    /// <inheritdoc />
    public void Where(Storage condition, Layout conditionLayout, Storage a, Layout aLayout, Storage b, Layout bLayout,
        Storage destination, Layout destinationLayout)
    {
        var r = new WhereRunner(CpuStorage.Of(condition, "Where"), conditionLayout, CpuStorage.Of(a, "Where"), aLayout,
            CpuStorage.Of(b, "Where"), bLayout, CpuStorage.Of(destination, "Where"), destinationLayout);
        NumericDispatch.Run(a.DType, r);
    }

    /// <inheritdoc />
    public void Reduce(ReduceOp op, Storage source, Layout sourceLayout, ReadOnlySpan<int> dims, Storage destination, Layout destinationLayout)
    {
        var src = CpuStorage.Of(source, op);
        var dst = CpuStorage.Of(destination, op);
        if (op is ReduceOp.ArgMax or ReduceOp.ArgMin)
        {
            var ar = new ArgRunner(src, sourceLayout, dims[0], dst, destinationLayout, op == ReduceOp.ArgMax);
            NumericDispatch.Run(source.DType, ar);
            return;
        }
        var r = new ReduceRunner(src, sourceLayout, dst, destinationLayout);
        ReduceDispatch.Run(op, source.DType, r);
    }

    /// <inheritdoc />
    public void MatMul(Storage a, Layout aLayout, Storage b, Layout bLayout, Storage destination, Layout destinationLayout)
    {
        var r = new MatMulRunner(CpuStorage.Of(a, "MatMul"), aLayout, CpuStorage.Of(b, "MatMul"), bLayout,
            CpuStorage.Of(destination, "MatMul"), destinationLayout);
        NumericDispatch.Run(a.DType, r);
    }

    /// <inheritdoc />
    public void FillRandom(RandomKind kind, ulong seed, ulong counter, Storage destination, Layout layout)
    {
        var dst = CpuStorage.Of(destination, "FillRandom");
        if (destination.DType == DType.Float32) RandomFill(kind, seed, counter, dst.Array<float>(), layout);
        else if (destination.DType == DType.Float64) RandomFill(kind, seed, counter, dst.Array<double>(), layout);
        else throw new NotSupportedException($"FillRandom: dtype {destination.DType.Name()} is not floating point.");
    }

    private static void RandomFill<T>(RandomKind kind, ulong seed, ulong counter, T[] d, Layout layout) where T : unmanaged, IFloatingPoint<T>
    {
        int n = layout.Numel;
        if (layout.IsContiguous)
        {
            int o = layout.Offset;
            if (n >= 1 << 14) Parallel.For(0, n, i => d[o + i] = T.CreateTruncating(CounterRandom.Draw(kind, seed, counter + (ulong)i)));
            else for (int i = 0; i < n; i++) d[o + i] = T.CreateTruncating(CounterRandom.Draw(kind, seed, counter + (ulong)i));
            return;
        }
        var index = new int[layout.Rank];
        for (int i = 0; i < n; i++)
        {
            d[layout.OffsetOf(index)] = T.CreateTruncating(CounterRandom.Draw(kind, seed, counter + (ulong)i));
            Indexing.Increment(index, layout.Shape);
        }
    }

    private readonly struct FillRunner(CpuStorage d, Layout ld, Scalar value) : INumericRunner
    {
        public void Run<T>() where T : unmanaged, INumber<T>
        {
            var v = value.To<T>(d.DType == DType.Bool);
            var plan = RunPlan.Create(ld.Shape, [ld]);
            plan.Execute(new FillKernel<T>(d.Array<T>(), plan.InnerStrides[0], v));
        }
    }

    private readonly struct CopyRunner(CpuStorage s, Layout ls, CpuStorage d, Layout ld) : ICastRunner
    {
        public void Run<TFrom, TTo>() where TFrom : unmanaged, INumber<TFrom> where TTo : unmanaged, INumber<TTo>
        {
            bool toBool = d.DType == DType.Bool && s.DType != DType.Bool;
            var plan = RunPlan.Create(ld.Shape, [ld, ls]);
            // Transpose-like copies: the source's unit stride is on the dim just outside the destination's.
            if (plan.InnerStrides[1] != 1 && plan.OuterRank > 0 && plan.Inner >= 8)
            {
                var (outer, rows, rowStrides) = plan.SplitLastOuter();
                if (rowStrides[1] == 1 && rows >= 8)
                {
                    // Large tiles parallelise inside the kernel; small ones across the outer dims.
                    outer.Execute(new TiledCastKernel<TFrom, TTo>(d.Array<TTo>(), s.Array<TFrom>(), rows, rowStrides, plan.InnerStrides, toBool),
                        parallel: (long)rows * plan.Inner < 1 << 16);
                    return;
                }
            }
            // Short destination runs (im2col's window rows): a column of runs per kernel call.
            if (typeof(TFrom) == typeof(TTo) && !toBool && plan.InnerStrides[0] == 1 && plan.OuterRank > 0
                && ShortRuns.Fit<TTo>(plan.Inner))
            {
                var (outer, rows, rowStrides) = plan.SplitLastOuter();
                outer.Execute(new ShortRunCopyKernel<TTo>(d.Array<TTo>(), s.Array<TTo>(), rows, rowStrides[0], rowStrides[1], plan.InnerStrides[1]),
                    runsPerCall: rows);
                return;
            }
            plan.Execute(new CastKernel<TFrom, TTo>(d.Array<TTo>(), s.Array<TFrom>(), plan.InnerStrides[0], plan.InnerStrides[1], toBool));
        }
    }

    private readonly struct UnaryRunner(CpuStorage s, Layout ls, CpuStorage d, Layout ld) : IUnaryRunner
    {
        public void Run<T, TFn>() where T : unmanaged, INumber<T> where TFn : struct, IUnaryFn<T>
        {
            var plan = RunPlan.Create(ld.Shape, [ld, ls]);
            plan.Execute(new UnaryKernel<T, TFn>(d.Array<T>(), s.Array<T>(), plan.InnerStrides[0], plan.InnerStrides[1]));
        }
    }

    private readonly struct BinaryRunner(CpuStorage a, Layout la, CpuStorage b, Layout lb, CpuStorage d, Layout ld) : IBinaryRunner
    {
        public void Run<T, TFn>() where T : unmanaged, INumber<T> where TFn : struct, IBinaryFn<T>
        {
            var plan = RunPlan.Create(ld.Shape, [ld, la, lb]);
            var st = plan.InnerStrides;
            // Short runs (col2im's window rows): a column of runs per kernel call, where the op has exact vector forms
            // or the runs are strided (element by element either way). Contiguous runs of other ops keep their span
            // forms, whose pow or atan2 may round differently from the scalar form: a value does not change with
            // the length of the run it sits in.
            bool spanForms = st[0] == 1 && st[1] <= 1 && st[2] <= 1 && st[1] + st[2] > 0;
            if (plan.OuterRank > 0 && ShortRuns.Fit<T>(plan.Inner) && (TFn.Vectorizable || !spanForms))
            {
                var (outer, rows, rowStrides) = plan.SplitLastOuter();
                if (rowStrides[0] != 0)
                {
                    outer.Execute(new ShortRunBinaryKernel<T, TFn>(d.Array<T>(), a.Array<T>(), b.Array<T>(), rows, rowStrides, st), runsPerCall: rows);
                    return;
                }
            }
            plan.Execute(new BinaryKernel<T, TFn>(d.Array<T>(), a.Array<T>(), b.Array<T>(), st[0], st[1], st[2]));
        }
    }

    private readonly struct CompareRunner(CpuStorage a, Layout la, CpuStorage b, Layout lb, CpuStorage d, Layout ld) : ICompareRunner
    {
        public void Run<T, TFn>() where T : unmanaged, INumber<T> where TFn : struct, ICompareFn<T>
        {
            var plan = RunPlan.Create(ld.Shape, [ld, la, lb]);
            var st = plan.InnerStrides;
            plan.Execute(new CompareKernel<T, TFn>(d.Array<byte>(), a.Array<T>(), b.Array<T>(), st[0], st[1], st[2]));
        }
    }

    private readonly struct WhereRunner(CpuStorage c, Layout lc, CpuStorage a, Layout la, CpuStorage b, Layout lb, CpuStorage d, Layout ld) : INumericRunner
    {
        public void Run<T>() where T : unmanaged, INumber<T>
        {
            var plan = RunPlan.Create(ld.Shape, [ld, lc, la, lb]);
            var st = plan.InnerStrides;
            plan.Execute(new WhereKernel<T>(d.Array<T>(), c.Array<byte>(), a.Array<T>(), b.Array<T>(), st[0], st[1], st[2], st[3]));
        }
    }

    private readonly struct ArgRunner(CpuStorage s, Layout ls, int dim, CpuStorage d, Layout ld, bool max) : INumericRunner
    {
        public void Run<T>() where T : unmanaged, INumber<T>
        {
            var first = ls.Slice(dim, 0, 1);
            var plan = RunPlan.Create(ld.Shape, [ld, first]);
            plan.Execute(new ArgReduceKernel<T>(d.Array<long>(), s.Array<T>(), plan.InnerStrides[0], plan.InnerStrides[1],
                ls.Shape[dim], ls.Strides[dim], max));
        }
    }

    private readonly struct MatMulRunner(CpuStorage a, Layout la, CpuStorage b, Layout lb, CpuStorage d, Layout ld) : INumericRunner
    {
        public void Run<T>() where T : unmanaged, INumber<T>
        {
            int r = ld.Rank;
            int m = ld.Shape[r - 2], n = ld.Shape[r - 1], k = la.Shape[r - 1];
            var batch = ld.Shape[..(r - 2)];
            var plan = RunPlan.Create(batch, [Batch(ld), Batch(la), Batch(lb)]);
            // The micro-kernel is chosen here, on the calling thread, where a test's Gemm.Override applies.
            var kernel = new MatMulKernel<T>(a.Array<T>(), la, b.Array<T>(), lb, d.Array<T>(), ld, m, n, k, plan.InnerStrides,
                parallelInside: plan.OuterCount * plan.Inner == 1, Gemm.Current);
            plan.Execute(kernel, parallel: plan.OuterCount * plan.Inner > 1 && (long)m * n * k * plan.Inner >= 1 << 16);
        }

        private static Layout Batch(Layout l) => new(l.Shape[..(l.Rank - 2)], l.Strides[..(l.Rank - 2)], l.Offset);
    }

    private readonly struct MatMulKernel<T>(T[] a, Layout la, T[] b, Layout lb, T[] d, Layout ld, int m, int n, int k, int[] st, bool parallelInside,
        GemmKernel gemmKernel)
        : IRunKernel where T : unmanaged, INumber<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(int od, int oa, int ob, int _, int count)
        {
            int r = ld.Rank;
            for (int i = 0; i < count; i++)
            {
                var am = new MatrixRef<T>(a, oa + i * st[1], la.Strides[r - 2], la.Strides[r - 1]);
                var bm = new MatrixRef<T>(b, ob + i * st[2], lb.Strides[r - 2], lb.Strides[r - 1]);
                Gemm.Multiply(am, bm, d, od + i * st[0], ld.Strides[r - 2], m, n, k, parallelInside, gemmKernel);
            }
        }
    }
}
