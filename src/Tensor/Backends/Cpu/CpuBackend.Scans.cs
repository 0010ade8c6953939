using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using Tensors.Ops;

namespace Tensors.Backends.Cpu;

// Scans and sorts: each row along the dim is independent, so a RunPlan over the other dims hands out rows (in
// parallel when there are many) and a kernel walks each row.
public sealed partial class CpuBackend
{
    /// <inheritdoc />
    public void Scan(ScanOp op, Storage source, Layout sourceLayout, int dim, Storage destination, Layout destinationLayout)
    {
        var name = op == ScanOp.Sum ? "CumSum" : "CumProd";
        if (sourceLayout.Shape[dim] == 0) return;
        ScanDispatch.Run(op, source.DType, new ScanRunner(CpuStorage.Of(source, name), sourceLayout, dim, CpuStorage.Of(destination, name), destinationLayout));
    }

    /// <inheritdoc />
    public void Sort(Storage source, Layout sourceLayout, int dim, bool descending, Storage values, Layout valuesLayout,
        Storage indices, Layout indicesLayout)
    {
        if (sourceLayout.Shape[dim] == 0) return;
        NumericDispatch.Run(source.DType, new SortRunner(CpuStorage.Of(source, "Sort"), sourceLayout, dim, descending,
            CpuStorage.Of(values, "Sort"), valuesLayout, CpuStorage.Of(indices, "Sort"), indicesLayout));
    }

    // The plan over the rows' first elements: the layouts with dim cut to its first entry.
    private static RunPlan Rows(int dim, params Layout[] layouts) =>
        RunPlan.Create(layouts[0].Slice(dim, 0, 1).Shape, layouts.Select(l => l.Slice(dim, 0, 1)).ToArray());

    private readonly struct ScanRunner(CpuStorage s, Layout ls, int dim, CpuStorage d, Layout ld) : IReduceRunner
    {
        public void Run<T, TAcc, TFn>() where T : unmanaged, INumber<T> where TAcc : unmanaged, INumber<TAcc>
            where TFn : struct, IReduceFn<T, TAcc>
        {
            var plan = Rows(dim, ld, ls);
            plan.Execute(new ScanKernel<T, TAcc, TFn>(d.Array<T>(), s.Array<T>(), plan.InnerStrides[0], plan.InnerStrides[1],
                ls.Shape[dim], ld.Strides[dim], ls.Strides[dim]));
        }
    }

    private readonly struct SortRunner(CpuStorage s, Layout ls, int dim, bool descending, CpuStorage v, Layout lv, CpuStorage i, Layout li) : INumericRunner
    {
        public void Run<T>() where T : unmanaged, INumber<T>
        {
            var plan = Rows(dim, lv, li, ls);
            var st = plan.InnerStrides;
            plan.Execute(new SortKernel<T>(v.Array<T>(), i.Array<long>(), s.Array<T>(), st[0], st[1], st[2],
                ls.Shape[dim], lv.Strides[dim], li.Strides[dim], ls.Strides[dim], descending));
        }
    }
}

/// <summary>Inclusive scans of <paramref name="length"/>-element rows: operand 0 is the destination's first element
/// of each row, operand 1 the source's; a row steps by <paramref name="dStep"/> and <paramref name="sStep"/>.</summary>
internal readonly struct ScanKernel<T, TAcc, TFn>(T[] d, T[] s, int sd, int ss, int length, int dStep, int sStep) : IRunKernel
    where T : unmanaged where TAcc : unmanaged where TFn : struct, IReduceFn<T, TAcc>
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run(int od, int os, int _, int __, int n)
    {
        for (int r = 0; r < n; r++)
        {
            int dr = od + r * sd, sr = os + r * ss;
            TAcc acc = TFn.Identity;
            if (dStep == 1 && sStep == 1)
            {
                // Rows along the innermost dim: plain span indexing, no stride arithmetic.
                var from = s.AsSpan(sr, length);
                var to = d.AsSpan(dr, length);
                for (int k = 0; k < from.Length; k++) to[k] = TFn.Result(acc = TFn.Combine(acc, from[k]));
            }
            else
                for (int k = 0; k < length; k++) d[dr + k * dStep] = TFn.Result(acc = TFn.Combine(acc, s[sr + k * sStep]));
        }
    }
}

/// <summary>Sorts rows of <paramref name="length"/> elements: each row is gathered as (value, position) entries,
/// sorted by <see cref="SortEntryOrder{T}"/> (a total order, so the result is the stable sort's), and written out.
/// Operands: values, indices, source.</summary>
internal readonly struct SortKernel<T>(T[] v, long[] idx, T[] s, int sv, int si, int ss, int length, int vStep, int iStep, int sStep, bool descending)
    : IRunKernel where T : unmanaged, INumber<T>
{
    public void Run(int ov, int oi, int os, int _, int n)
    {
        var entries = ArrayPool<SortEntry<T>>.Shared.Rent(length);
        try
        {
            var row = entries.AsSpan(0, length);
            for (int r = 0; r < n; r++)
            {
                int sr = os + r * ss, vr = ov + r * sv, ir = oi + r * si;
                for (int k = 0; k < length; k++) row[k] = new SortEntry<T>(s[sr + k * sStep], k);
                row.Sort(new SortEntryOrder<T>(descending));
                for (int k = 0; k < length; k++)
                {
                    v[vr + k * vStep] = row[k].Value;
                    idx[ir + k * iStep] = row[k].Index;
                }
            }
        }
        finally { ArrayPool<SortEntry<T>>.Shared.Return(entries); }
    }
}
