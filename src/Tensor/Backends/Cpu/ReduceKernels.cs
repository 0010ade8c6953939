using System.Runtime.CompilerServices;
using System.Numerics;
using System.Numerics.Tensors;
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
        else if (sa == 1 && ss == 1) TFn.Combine(acc.AsSpan(oa, n), s.AsSpan(os, n));
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
