using System.Numerics;
using System.Runtime.CompilerServices;
using Tensors.Ops;

namespace Tensors.Backends.Cpu;

// Gather and Scatter: one RunPlan walk over (destination or source, the indexed operand with dim's stride 0, index).
// A run whose index stride is 0 (an index expanded across the other dims: IndexSelect, IndexAdd, an embedding
// lookup) uses one index for the whole run, so contiguous runs become one block copy or one vector op.
public sealed partial class CpuBackend
{
    /// <inheritdoc />
    public void Gather(Storage source, Layout sourceLayout, int dim, Storage index, Layout indexLayout, Storage destination, Layout destinationLayout)
    {
        var r = new GatherRunner(CpuStorage.Of(source, "Gather"), IndexedLayout.Base(sourceLayout, dim, indexLayout.Shape), sourceLayout.Strides[dim],
            CpuStorage.Of(index, "Gather"), indexLayout, CpuStorage.Of(destination, "Gather"), destinationLayout);
        NumericDispatch.Run(source.DType, r);
    }

    /// <inheritdoc />
    public void Scatter(ScatterMode mode, Storage source, Layout sourceLayout, int dim, Storage index, Layout indexLayout,
        Storage destination, Layout destinationLayout)
    {
        var r = new ScatterRunner(CpuStorage.Of(source, "Scatter"), sourceLayout, CpuStorage.Of(index, "Scatter"), indexLayout,
            CpuStorage.Of(destination, "Scatter"), IndexedLayout.Base(destinationLayout, dim, indexLayout.Shape), destinationLayout.Strides[dim]);
        ScatterDispatch.Run(mode, destination.DType, r);
    }

    private readonly struct GatherRunner(CpuStorage s, Layout ls, int step, CpuStorage i, Layout li, CpuStorage d, Layout ld) : INumericRunner
    {
        public void Run<T>() where T : unmanaged, INumber<T>
        {
            var plan = RunPlan.Create(li.Shape, [ld, ls, li]);
            var st = plan.InnerStrides;
            plan.Execute(new GatherKernel<T>(d.Array<T>(), s.Array<T>(), i.Array<long>(), st[0], st[1], st[2], step));
        }
    }

    // Destinations are distinct, so the plan may run in parallel.
    private readonly struct GatherKernel<T>(T[] d, T[] s, long[] idx, int sd, int ss, int si, int step) : IRunKernel where T : unmanaged
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(int od, int os, int oi, int _, int n)
        {
            if (si == 0)
            {
                int from = os + (int)idx[oi] * step;
                if (ss == 1 && sd == 1) s.AsSpan(from, n).CopyTo(d.AsSpan(od, n));
                else for (int k = 0; k < n; k++) d[od + k * sd] = s[from + k * ss];
                return;
            }
            for (int k = 0; k < n; k++) d[od + k * sd] = s[os + k * ss + (int)idx[oi + k * si] * step];
        }
    }

    private readonly struct ScatterRunner(CpuStorage s, Layout ls, CpuStorage i, Layout li, CpuStorage d, Layout ld, int step) : IBinaryRunner
    {
        public void Run<T, TFn>() where T : unmanaged, INumber<T> where TFn : struct, IBinaryFn<T>
        {
            // In the source's memory order: the destination's dim has stride 0, which would otherwise look innermost.
            var plan = RunPlan.Create(li.Shape, [ld, ls, li], orderBy: 1);
            var st = plan.InnerStrides;
            // Repeated indices write the same destination elements from different runs: one thread.
            plan.Execute(new ScatterKernel<T, TFn>(d.Array<T>(), s.Array<T>(), i.Array<long>(), st[0], st[1], st[2], step), parallel: false);
        }
    }

    private readonly struct ScatterKernel<T, TFn>(T[] d, T[] s, long[] idx, int sd, int ss, int si, int step) : IRunKernel
        where T : unmanaged, INumber<T> where TFn : struct, IBinaryFn<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(int od, int os, int oi, int _, int n)
        {
            if (si == 0)
            {
                int to = od + (int)idx[oi] * step;
                if (ss == 1 && sd == 1)
                {
                    var target = d.AsSpan(to, n);
                    TFn.Apply(target, s.AsSpan(os, n), target);
                }
                else for (int k = 0; k < n; k++) d[to + k * sd] = TFn.Apply(d[to + k * sd], s[os + k * ss]);
                return;
            }
            for (int k = 0; k < n; k++)
            {
                int at = od + k * sd + (int)idx[oi + k * si] * step;
                d[at] = TFn.Apply(d[at], s[os + k * ss]);
            }
        }
    }
}
