using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Tensors.Backends.Cpu;

/// <summary>
/// A register-blocked micro-kernel: C[0..MR, 0..NR] (+)= A (MR x kc) @ Bpanel (kc x NR, packed row by row), with the
/// MR x NR accumulators held in vector registers for the whole of kc. A is read through two strides, so the same
/// kernel reads a packed micro-panel (rows 1 apart, columns MR apart) or A where it lies, when packing it would not
/// pay (a row-major or column-major A used for only a few panels of B).
/// </summary>
internal interface IMicroKernel<T> where T : unmanaged
{
    /// <summary>Rows of C per call.</summary>
    static abstract int MR { get; }

    /// <summary>Columns of C per call (a multiple of the vector width).</summary>
    static abstract int NR { get; }

    /// <summary>Runs one tile.</summary>
    /// <param name="a">A's element (0, 0) of the tile.</param>
    /// <param name="aRow">The distance between A's rows.</param>
    /// <param name="aStep">The distance between A's columns.</param>
    /// <param name="b">The packed B micro-panel.</param>
    /// <param name="kc">The depth of both panels.</param>
    /// <param name="c">C's element (0, 0) of the tile; rows <paramref name="ldc"/> apart, columns contiguous.</param>
    /// <param name="ldc">C's row stride.</param>
    /// <param name="accumulate">Add to C (a later KC block) rather than overwrite it (the first).</param>
    static abstract void Run(ref T a, nint aRow, nint aStep, ref T b, int kc, ref T c, nint ldc, bool accumulate);
}

/// <summary>The prefetch both kernels share.</summary>
internal static class MicroKernel
{
    /// <summary>
    /// Asks for a tile of C's cache lines before the k loop, so that the update after it (C lies in L3 or memory
    /// for large products, one pass per KC block) does not stall on them.
    /// </summary>
    /// <param name="c">The tile's element (0, 0).</param>
    /// <param name="ldc">C's row stride.</param>
    /// <param name="rows">The tile's rows.</param>
    /// <param name="columns">The tile's columns.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void PrefetchTile<T>(ref T c, nint ldc, int rows, int columns) where T : unmanaged
    {
        if (!System.Runtime.Intrinsics.X86.Sse.IsSupported) return;
        int lastByte = columns * sizeof(T) - 1;
        for (int i = 0; i < rows; i++)
        {
            byte* row = (byte*)Unsafe.AsPointer(ref Unsafe.Add(ref c, i * ldc));
            for (int o = 0; o <= lastByte; o += 64) System.Runtime.Intrinsics.X86.Sse.Prefetch0(row + o);
            System.Runtime.Intrinsics.X86.Sse.Prefetch0(row + lastByte);
        }
    }
}

/// <summary>
/// The AVX-512 kernel: 12 rows x 2 Vector512 (12 x 32 floats, 12 x 16 doubles). 24 accumulators, two B vectors and
/// one broadcast A value fit the 32 vector registers; 24 independent FMAs per k cover the FMA latency on two pipes,
/// and each k step loads 2 vectors and 12 scalars for 24 FMAs.
/// </summary>
internal readonly struct Kernel512<T> : IMicroKernel<T> where T : unmanaged, INumber<T>
{
    public static int MR => 12;
    public static int NR => 2 * Vector512<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(ref T a, nint aRow, nint aStep, ref T b, int kc, ref T c, nint ldc, bool accumulate)
    {
        nuint lanes = (nuint)Vector512<T>.Count;
        Vector512<T> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector512<T> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        Vector512<T> c60 = default, c61 = default, c70 = default, c71 = default, c80 = default, c81 = default;
        Vector512<T> c90 = default, c91 = default, ca0 = default, ca1 = default, cb0 = default, cb1 = default;
        // Rows in three groups of four, each addressed as base + {0, 1, 2, 3} * aRow.
        MicroKernel.PrefetchTile(ref c, ldc, 12, 2 * (int)lanes);
        nint r2 = 2 * aRow, r3 = 3 * aRow;
        ref T a4 = ref Unsafe.Add(ref a, 4 * aRow);
        ref T a8 = ref Unsafe.Add(ref a, 8 * aRow);
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector512.LoadUnsafe(ref b);
            var b1 = Vector512.LoadUnsafe(ref b, lanes);
            var x = Vector512.Create(a); c00 = Fma(x, b0, c00); c01 = Fma(x, b1, c01);
            x = Vector512.Create(Unsafe.Add(ref a, aRow)); c10 = Fma(x, b0, c10); c11 = Fma(x, b1, c11);
            x = Vector512.Create(Unsafe.Add(ref a, r2)); c20 = Fma(x, b0, c20); c21 = Fma(x, b1, c21);
            x = Vector512.Create(Unsafe.Add(ref a, r3)); c30 = Fma(x, b0, c30); c31 = Fma(x, b1, c31);
            x = Vector512.Create(a4); c40 = Fma(x, b0, c40); c41 = Fma(x, b1, c41);
            x = Vector512.Create(Unsafe.Add(ref a4, aRow)); c50 = Fma(x, b0, c50); c51 = Fma(x, b1, c51);
            x = Vector512.Create(Unsafe.Add(ref a4, r2)); c60 = Fma(x, b0, c60); c61 = Fma(x, b1, c61);
            x = Vector512.Create(Unsafe.Add(ref a4, r3)); c70 = Fma(x, b0, c70); c71 = Fma(x, b1, c71);
            x = Vector512.Create(a8); c80 = Fma(x, b0, c80); c81 = Fma(x, b1, c81);
            x = Vector512.Create(Unsafe.Add(ref a8, aRow)); c90 = Fma(x, b0, c90); c91 = Fma(x, b1, c91);
            x = Vector512.Create(Unsafe.Add(ref a8, r2)); ca0 = Fma(x, b0, ca0); ca1 = Fma(x, b1, ca1);
            x = Vector512.Create(Unsafe.Add(ref a8, r3)); cb0 = Fma(x, b0, cb0); cb1 = Fma(x, b1, cb1);
            a = ref Unsafe.Add(ref a, aStep);
            a4 = ref Unsafe.Add(ref a4, aStep);
            a8 = ref Unsafe.Add(ref a8, aStep);
            b = ref Unsafe.Add(ref b, 2 * lanes);
        }
        Put(ref c, lanes, c00, c01, accumulate); c = ref Unsafe.Add(ref c, ldc);
        Put(ref c, lanes, c10, c11, accumulate); c = ref Unsafe.Add(ref c, ldc);
        Put(ref c, lanes, c20, c21, accumulate); c = ref Unsafe.Add(ref c, ldc);
        Put(ref c, lanes, c30, c31, accumulate); c = ref Unsafe.Add(ref c, ldc);
        Put(ref c, lanes, c40, c41, accumulate); c = ref Unsafe.Add(ref c, ldc);
        Put(ref c, lanes, c50, c51, accumulate); c = ref Unsafe.Add(ref c, ldc);
        Put(ref c, lanes, c60, c61, accumulate); c = ref Unsafe.Add(ref c, ldc);
        Put(ref c, lanes, c70, c71, accumulate); c = ref Unsafe.Add(ref c, ldc);
        Put(ref c, lanes, c80, c81, accumulate); c = ref Unsafe.Add(ref c, ldc);
        Put(ref c, lanes, c90, c91, accumulate); c = ref Unsafe.Add(ref c, ldc);
        Put(ref c, lanes, ca0, ca1, accumulate); c = ref Unsafe.Add(ref c, ldc);
        Put(ref c, lanes, cb0, cb1, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Fma(Vector512<T> x, Vector512<T> y, Vector512<T> acc) => Width512<T>.MultiplyAdd(x, y, acc);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put(ref T row, nuint lanes, Vector512<T> v0, Vector512<T> v1, bool accumulate)
    {
        if (accumulate)
        {
            v0 += Vector512.LoadUnsafe(ref row);
            v1 += Vector512.LoadUnsafe(ref row, lanes);
        }
        v0.StoreUnsafe(ref row);
        v1.StoreUnsafe(ref row, lanes);
    }
}

/// <summary>
/// The AVX2 kernel: 4 rows x 2 Vector256 (4 x 16 floats, 4 x 8 doubles). Eight accumulators, two B vectors and one
/// broadcast fit the 16 vector registers (with six rows the JIT spills accumulators to the stack every iteration),
/// and eight independent FMAs cover a 4-cycle FMA latency on two pipes.
/// </summary>
internal readonly struct Kernel256<T> : IMicroKernel<T> where T : unmanaged, INumber<T>
{
    public static int MR => 4;
    public static int NR => 2 * Vector256<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(ref T a, nint aRow, nint aStep, ref T b, int kc, ref T c, nint ldc, bool accumulate)
    {
        nuint lanes = (nuint)Vector256<T>.Count;
        Vector256<T> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector256<T> c20 = default, c21 = default, c30 = default, c31 = default;
        MicroKernel.PrefetchTile(ref c, ldc, 4, 2 * (int)lanes);
        nint r2 = 2 * aRow, r3 = 3 * aRow;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector256.LoadUnsafe(ref b);
            var b1 = Vector256.LoadUnsafe(ref b, lanes);
            var x = Vector256.Create(a); c00 = Fma(x, b0, c00); c01 = Fma(x, b1, c01);
            x = Vector256.Create(Unsafe.Add(ref a, aRow)); c10 = Fma(x, b0, c10); c11 = Fma(x, b1, c11);
            x = Vector256.Create(Unsafe.Add(ref a, r2)); c20 = Fma(x, b0, c20); c21 = Fma(x, b1, c21);
            x = Vector256.Create(Unsafe.Add(ref a, r3)); c30 = Fma(x, b0, c30); c31 = Fma(x, b1, c31);
            a = ref Unsafe.Add(ref a, aStep);
            b = ref Unsafe.Add(ref b, 2 * lanes);
        }
        Put(ref c, lanes, c00, c01, accumulate); c = ref Unsafe.Add(ref c, ldc);
        Put(ref c, lanes, c10, c11, accumulate); c = ref Unsafe.Add(ref c, ldc);
        Put(ref c, lanes, c20, c21, accumulate); c = ref Unsafe.Add(ref c, ldc);
        Put(ref c, lanes, c30, c31, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> Fma(Vector256<T> x, Vector256<T> y, Vector256<T> acc) => Width256<T>.MultiplyAdd(x, y, acc);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put(ref T row, nuint lanes, Vector256<T> v0, Vector256<T> v1, bool accumulate)
    {
        if (accumulate)
        {
            v0 += Vector256.LoadUnsafe(ref row);
            v1 += Vector256.LoadUnsafe(ref row, lanes);
        }
        v0.StoreUnsafe(ref row);
        v1.StoreUnsafe(ref row, lanes);
    }
}
