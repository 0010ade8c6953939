using System.Numerics;
using Tensors.Backends.Cpu;
using Tensors.Ops;
using Tensors.Random;

namespace Tensors.Backends.Reference;

/// <summary>
/// The oracle: every primitive as one scalar loop over row-major multi-indices, computing each element's offset
/// from its layout, with the ops' scalar forms. No merging, no SIMD, no threads: slow and obviously right.
/// The conformance tests hold every other backend to it.
/// </summary>
public sealed class ReferenceBackend : IBackend
{
    /// <summary>The one instance.</summary>
    public static ReferenceBackend Instance { get; } = new();

    private ReferenceBackend() { }

    /// <inheritdoc />
    public Device Device => Device.Cpu;

    /// <inheritdoc />
    public Storage Allocate(DType dtype, int length) => new CpuStorage(this, dtype, length);

    /// <inheritdoc />
    public void CopyFromHost(ReadOnlySpan<byte> source, Storage destination, int offset) => HostBytes.Write(source, destination, offset);

    /// <inheritdoc />
    public void CopyToHost(Storage source, int offset, Span<byte> destination) => HostBytes.Read(source, offset, destination);

    /// <summary>Calls <paramref name="body"/> with the storage offsets of every element, in row-major order.</summary>
    private static void ForEach(ReadOnlySpan<int> shape, Layout[] layouts, Action<int[]> body)
    {
        int n = Layout.ShapeNumel(shape);
        var index = new int[shape.Length];
        var offsets = new int[layouts.Length];
        for (int i = 0; i < n; i++)
        {
            for (int k = 0; k < layouts.Length; k++) offsets[k] = layouts[k].OffsetOf(index);
            body(offsets);
            Indexing.Increment(index, shape);
        }
    }

    /// <inheritdoc />
    public void Fill(Storage destination, Layout layout, Scalar value) =>
        NumericDispatch.RunStorage(destination.DType, new FillRunner(H(destination), layout, value));

    /// <inheritdoc />
    public void Copy(Storage source, Layout sourceLayout, Storage destination, Layout destinationLayout) =>
        NumericDispatch.Run(source.DType, destination.DType, new CopyRunner(H(source), sourceLayout, H(destination), destinationLayout));

    /// <inheritdoc />
    public void Unary(UnaryOp op, Storage source, Layout sourceLayout, Storage destination, Layout destinationLayout) =>
        UnaryDispatch.Run(op, source.DType, new UnaryRunner(H(source), sourceLayout, H(destination), destinationLayout));

    /// <inheritdoc />
    public void Binary(BinaryOp op, Storage a, Layout aLayout, Storage b, Layout bLayout, Storage destination, Layout destinationLayout) =>
        BinaryDispatch.Run(op, a.DType, new BinaryRunner(H(a), aLayout, H(b), bLayout, H(destination), destinationLayout));

    /// <inheritdoc />
    public void Compare(CompareOp op, Storage a, Layout aLayout, Storage b, Layout bLayout, Storage destination, Layout destinationLayout) =>
        CompareDispatch.Run(op, a.DType, new CompareRunner(H(a), aLayout, H(b), bLayout, H(destination), destinationLayout));

    /// <inheritdoc />
    public void Where(Storage condition, Layout conditionLayout, Storage a, Layout aLayout, Storage b, Layout bLayout,
        Storage destination, Layout destinationLayout) =>
        NumericDispatch.Run(a.DType, new WhereRunner(H(condition), conditionLayout, H(a), aLayout, H(b), bLayout, H(destination), destinationLayout));

    /// <inheritdoc />
    public void Reduce(ReduceOp op, Storage source, Layout sourceLayout, ReadOnlySpan<int> dims, Storage destination, Layout destinationLayout)
    {
        if (op is ReduceOp.ArgMax or ReduceOp.ArgMin)
            NumericDispatch.Run(source.DType, new ArgRunner(H(source), sourceLayout, dims[0], H(destination), destinationLayout, op == ReduceOp.ArgMax));
        else
            ReduceDispatch.Run(op, source.DType, new ReduceRunner(H(source), sourceLayout, H(destination), destinationLayout, op == ReduceOp.Sum));
    }

    /// <inheritdoc />
    public void Scan(ScanOp op, Storage source, Layout sourceLayout, int dim, Storage destination, Layout destinationLayout) =>
        ScanDispatch.Run(op, source.DType, new ScanRunner(H(source), sourceLayout, dim, H(destination), destinationLayout));

    /// <inheritdoc />
    public void Sort(Storage source, Layout sourceLayout, int dim, bool descending, Storage values, Layout valuesLayout,
        Storage indices, Layout indicesLayout) =>
        NumericDispatch.Run(source.DType, new SortRunner(H(source), sourceLayout, dim, descending, H(values), valuesLayout, H(indices), indicesLayout));

    /// <inheritdoc />
    public void MatMul(Storage a, Layout aLayout, Storage b, Layout bLayout, Storage destination, Layout destinationLayout) =>
        NumericDispatch.Run(a.DType, new MatMulRunner(H(a), aLayout, H(b), bLayout, H(destination), destinationLayout));

    /// <inheritdoc />
    public void Gather(Storage source, Layout sourceLayout, int dim, Storage index, Layout indexLayout, Storage destination, Layout destinationLayout) =>
        NumericDispatch.Run(source.DType, new GatherRunner(H(source), IndexedLayout.Base(sourceLayout, dim, indexLayout.Shape),
            sourceLayout.Strides[dim], H(index), indexLayout, H(destination), destinationLayout));

    /// <inheritdoc />
    public void Scatter(ScatterMode mode, Storage source, Layout sourceLayout, int dim, Storage index, Layout indexLayout,
        Storage destination, Layout destinationLayout) =>
        ScatterDispatch.Run(mode, destination.DType, new ScatterRunner(H(source), sourceLayout, H(index), indexLayout, H(destination),
            IndexedLayout.Base(destinationLayout, dim, indexLayout.Shape), destinationLayout.Strides[dim]));

    /// <inheritdoc />
    public void FillRandom(RandomKind kind, ulong seed, ulong counter, Storage destination, Layout layout)
    {
        var d = H(destination);
        if (destination.DType is not (DType.Float32 or DType.Float64))
            throw new NotSupportedException($"FillRandom: dtype {destination.DType.Name()} is not floating point.");
        ulong i = 0;
        ForEach(layout.Shape, [layout], o =>
        {
            double v = CounterRandom.Draw(kind, seed, counter + i++);
            if (destination.DType == DType.Float32) d.Array<float>()[o[0]] = (float)v;
            else d.Array<double>()[o[0]] = v;
        });
    }

    private static CpuStorage H(Storage s) => CpuStorage.Of(s, "Reference");

    private readonly struct FillRunner(CpuStorage d, Layout l, Scalar value) : INumericRunner
    {
        public void Run<T>() where T : unmanaged, INumber<T>
        {
            var dd = d.Array<T>();
            var v = value.To<T>(d.DType == DType.Bool);
            ForEach(l.Shape, [l], o => dd[o[0]] = v);
        }
    }

    private readonly struct CopyRunner(CpuStorage s, Layout ls, CpuStorage d, Layout ld) : ICastRunner
    {
        public void Run<TFrom, TTo>() where TFrom : unmanaged, INumber<TFrom> where TTo : unmanaged, INumber<TTo>
        {
            var ss = s.Array<TFrom>(); var dd = d.Array<TTo>();
            bool toBool = d.DType == DType.Bool && s.DType != DType.Bool;
            ForEach(ld.Shape, [ls, ld], o => dd[o[1]] = Convert<TFrom, TTo>.Apply(ss[o[0]], toBool));
        }
    }

    private readonly struct UnaryRunner(CpuStorage s, Layout ls, CpuStorage d, Layout ld) : IUnaryRunner
    {
        public void Run<T, TFn>() where T : unmanaged, INumber<T> where TFn : struct, IUnaryFn<T>
        {
            var ss = s.Array<T>(); var dd = d.Array<T>();
            ForEach(ld.Shape, [ls, ld], o => dd[o[1]] = TFn.Apply(ss[o[0]]));
        }
    }

    private readonly struct BinaryRunner(CpuStorage a, Layout la, CpuStorage b, Layout lb, CpuStorage d, Layout ld) : IBinaryRunner
    {
        public void Run<T, TFn>() where T : unmanaged, INumber<T> where TFn : struct, IBinaryFn<T>
        {
            var aa = a.Array<T>(); var bb = b.Array<T>(); var dd = d.Array<T>();
            ForEach(ld.Shape, [la, lb, ld], o => dd[o[2]] = TFn.Apply(aa[o[0]], bb[o[1]]));
        }
    }

    private readonly struct CompareRunner(CpuStorage a, Layout la, CpuStorage b, Layout lb, CpuStorage d, Layout ld) : ICompareRunner
    {
        public void Run<T, TFn>() where T : unmanaged, INumber<T> where TFn : struct, ICompareFn<T>
        {
            var aa = a.Array<T>(); var bb = b.Array<T>(); var dd = d.Array<byte>();
            ForEach(ld.Shape, [la, lb, ld], o => dd[o[2]] = TFn.Apply(aa[o[0]], bb[o[1]]) ? (byte)1 : (byte)0);
        }
    }

    private readonly struct WhereRunner(CpuStorage c, Layout lc, CpuStorage a, Layout la, CpuStorage b, Layout lb, CpuStorage d, Layout ld) : INumericRunner
    {
        public void Run<T>() where T : unmanaged, INumber<T>
        {
            var cc = c.Array<byte>(); var aa = a.Array<T>(); var bb = b.Array<T>(); var dd = d.Array<T>();
            ForEach(ld.Shape, [lc, la, lb, ld], o => dd[o[3]] = cc[o[0]] != 0 ? aa[o[1]] : bb[o[2]]);
        }
    }

    private readonly struct ReduceRunner(CpuStorage s, Layout ls, CpuStorage d, Layout ld, bool sum) : IReduceRunner
    {
        public void Run<T, TAcc, TFn>() where T : unmanaged, INumber<T> where TAcc : unmanaged, INumber<TAcc>
            where TFn : struct, IReduceFn<T, TAcc>
        {
            var ss = s.Array<T>(); var dd = d.Array<T>();
            var accLayout = Layout.Contiguous(ld.Shape);
            var spread = accLayout.BroadcastTo(ls.Shape);
            var acc = new TAcc[ld.Numel];
            Array.Fill(acc, TFn.Identity);
            if (sum && typeof(TAcc) == typeof(double))
            {
                // Floating sums: Neumaier's compensated sum in float64, so the oracle is the better answer.
                var lost = new TAcc[acc.Length];
                ForEach(ls.Shape, [ls, spread], o =>
                {
                    TAcc a = acc[o[1]], x = TFn.Combine(TAcc.Zero, ss[o[0]]), t = a + x;
                    lost[o[1]] += TAcc.Abs(a) >= TAcc.Abs(x) ? (a - t) + x : (x - t) + a;
                    acc[o[1]] = t;
                });
                // An infinite or NaN sum stays as it is (its compensation is NaN).
                for (int i = 0; i < acc.Length; i++)
                    if (TAcc.IsFinite(acc[i])) acc[i] += lost[i];
            }
            else ForEach(ls.Shape, [ls, spread], o => acc[o[1]] = TFn.Combine(acc[o[1]], ss[o[0]]));
            ForEach(ld.Shape, [ld, accLayout], o => dd[o[0]] = TFn.Result(acc[o[1]]));
        }
    }

    private readonly struct ArgRunner(CpuStorage s, Layout ls, int dim, CpuStorage d, Layout ld, bool max) : INumericRunner
    {
        public void Run<T>() where T : unmanaged, INumber<T>
        {
            var ss = s.Array<T>(); var dd = d.Array<long>();
            int length = ls.Shape[dim], step = ls.Strides[dim];
            bool isMax = max;
            ForEach(ld.Shape, [ls.Slice(dim, 0, 1), ld], o =>
            {
                int best = 0;
                for (int k = 1; k < length; k++)
                    if (ArgRule<T>.Better(ss[o[0] + k * step], ss[o[0] + best * step], isMax)) best = k;
                dd[o[1]] = best;
            });
        }
    }

    private readonly struct ScanRunner(CpuStorage s, Layout ls, int dim, CpuStorage d, Layout ld) : IReduceRunner
    {
        public void Run<T, TAcc, TFn>() where T : unmanaged, INumber<T> where TAcc : unmanaged, INumber<TAcc>
            where TFn : struct, IReduceFn<T, TAcc>
        {
            var ss = s.Array<T>(); var dd = d.Array<T>();
            if (ls.Shape[dim] == 0) return;
            int length = ls.Shape[dim], sStep = ls.Strides[dim], dStep = ld.Strides[dim];
            var first = ls.Slice(dim, 0, 1);
            ForEach(first.Shape, [first, ld.Slice(dim, 0, 1)], o =>
            {
                TAcc acc = TFn.Identity;
                for (int k = 0; k < length; k++)
                {
                    acc = TFn.Combine(acc, ss[o[0] + k * sStep]);
                    dd[o[1] + k * dStep] = TFn.Result(acc);
                }
            });
        }
    }

    // Insertion sort by the shared rule: the obvious stable sort.
    private readonly struct SortRunner(CpuStorage s, Layout ls, int dim, bool descending, CpuStorage v, Layout lv, CpuStorage i, Layout li) : INumericRunner
    {
        public void Run<T>() where T : unmanaged, INumber<T>
        {
            var ss = s.Array<T>(); var vv = v.Array<T>(); var ii = i.Array<long>();
            if (ls.Shape[dim] == 0) return;
            int length = ls.Shape[dim], sStep = ls.Strides[dim], vStep = lv.Strides[dim], iStep = li.Strides[dim];
            bool desc = descending;
            var first = ls.Slice(dim, 0, 1);
            ForEach(first.Shape, [first, lv.Slice(dim, 0, 1), li.Slice(dim, 0, 1)], o =>
            {
                var order = new List<int>(length);
                for (int k = 0; k < length; k++)
                {
                    int at = order.Count;
                    while (at > 0 && SortRule<T>.Before(ss[o[0] + k * sStep], ss[o[0] + order[at - 1] * sStep], desc)) at--;
                    order.Insert(at, k);
                }
                for (int k = 0; k < length; k++)
                {
                    vv[o[1] + k * vStep] = ss[o[0] + order[k] * sStep];
                    ii[o[2] + k * iStep] = order[k];
                }
            });
        }
    }

    // Element p of the index's shape reads source[base(p) + index[p] * step].
    private readonly struct GatherRunner(CpuStorage s, Layout ls, int step, CpuStorage i, Layout li, CpuStorage d, Layout ld) : INumericRunner
    {
        public void Run<T>() where T : unmanaged, INumber<T>
        {
            var ss = s.Array<T>(); var ii = i.Array<long>(); var dd = d.Array<T>();
            int st = step;
            ForEach(li.Shape, [ls, li, ld], o => dd[o[2]] = ss[o[0] + (int)ii[o[1]] * st]);
        }
    }

    // In row-major order of the index's positions, so repeated indices combine in that order.
    private readonly struct ScatterRunner(CpuStorage s, Layout ls, CpuStorage i, Layout li, CpuStorage d, Layout ld, int step) : IBinaryRunner
    {
        public void Run<T, TFn>() where T : unmanaged, INumber<T> where TFn : struct, IBinaryFn<T>
        {
            var ss = s.Array<T>(); var ii = i.Array<long>(); var dd = d.Array<T>();
            int st = step;
            ForEach(li.Shape, [ls, li, ld], o =>
            {
                int at = o[2] + (int)ii[o[1]] * st;
                dd[at] = TFn.Apply(dd[at], ss[o[0]]);
            });
        }
    }

    private readonly struct MatMulRunner(CpuStorage a, Layout la, CpuStorage b, Layout lb, CpuStorage d, Layout ld) : INumericRunner
    {
        public void Run<T>() where T : unmanaged, INumber<T>
        {
            var aa = a.Array<T>(); var bb = b.Array<T>(); var dd = d.Array<T>();
            int r = ld.Rank, k = la.Shape[r - 1];
            int aK = la.Strides[r - 1], bK = lb.Strides[r - 2];
            // Each output element: a dot product along K, A's last dim against B's second-to-last.
            var aRow = new Layout(ld.Shape, [.. la.Strides[..(r - 1)], 0], la.Offset);
            var bCol = new Layout(ld.Shape, [.. lb.Strides[..(r - 2)], 0, lb.Strides[r - 1]], lb.Offset);
            ForEach(ld.Shape, [aRow, bCol, ld], o =>
            {
                T acc = T.Zero;
                for (int p = 0; p < k; p++) acc += aa[o[0] + p * aK] * bb[o[1] + p * bK];
                dd[o[2]] = acc;
            });
        }
    }
}
