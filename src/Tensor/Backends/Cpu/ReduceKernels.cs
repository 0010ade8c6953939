using System.Runtime.CompilerServices;
using System.Numerics;
using System.Numerics.Tensors;
using Tensors.Ops;

namespace Tensors.Backends.Cpu;

/// <summary>
/// Reduction as accumulation: the destination is viewed with the source's shape and stride 0 on reduced dims, so
/// a run either folds a whole source run into one destination element (inner reduction, SIMD Reduce) or folds a
/// source row into a destination row (outer reduction, SIMD Combine). Operand 0 is the source here.
/// </summary>
internal readonly struct ReduceKernel<T, TFn>(T[] s, T[] d, int ss, int sd) : IRunKernel
    where T : unmanaged where TFn : struct, IReduceFn<T>
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run(int os, int od, int _, int __, int n)
    {
        if (sd == 0)
        {
            T acc;
            if (ss == 1) acc = TFn.Reduce(s.AsSpan(os, n));
            else
            {
                acc = s[os];
                for (int i = 1; i < n; i++) acc = TFn.Combine(acc, s[os + i * ss]);
            }
            d[od] = TFn.Combine(d[od], acc);
        }
        else if (sd == 1 && ss == 1) TFn.Combine(d.AsSpan(od, n), s.AsSpan(os, n));
        else for (int i = 0; i < n; i++) d[od + i * sd] = TFn.Combine(d[od + i * sd], s[os + i * ss]);
    }
}

/// <summary>ArgMax/ArgMin: each destination element scans <paramref name="length"/> source elements
/// <paramref name="step"/> apart. Operand 0 is the Int64 destination, operand 1 the source's first element.</summary>
internal readonly struct ArgReduceKernel<T>(long[] d, T[] s, int sd, int ss, int length, int step, bool max) : IRunKernel
    where T : unmanaged, INumber<T>
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run(int od, int os, int _, int __, int n)
    {
        for (int i = 0; i < n; i++)
        {
            int start = os + i * ss;
            d[od + i * sd] = step == 1 ? Contiguous(s.AsSpan(start, length)) : Strided(start);
        }
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
