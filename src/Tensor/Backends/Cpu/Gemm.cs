using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Tensors.Backends.Cpu;

/// <summary>A strided matrix operand: element (i, j) is at Offset + i*RowStride + j*ColStride.</summary>
internal readonly record struct MatrixRef<T>(T[] Data, int Offset, int RowStride, int ColStride)
{
    public T this[int i, int j] => Data[Offset + i * RowStride + j * ColStride];
}

/// <summary>The register-blocked micro-kernel a float GEMM runs on: one per SIMD width.</summary>
internal enum GemmKernel
{
    /// <summary>AVX2-sized: 16 vector registers, 4 rows x 2 Vector256 (<see cref="Kernel256{T}"/>).</summary>
    Vector256,

    /// <summary>AVX-512-sized: 32 vector registers, 12 rows x 2 Vector512 (<see cref="Kernel512{T}"/>).</summary>
    Vector512,
}

/// <summary>
/// C = A @ B for one matrix (C's rows contiguous, A and B through their strides). Float types go through a
/// Goto/BLIS-style blocked product (<see cref="Gemm.Blocked{T, TKernel}"/>): B packed in KC x NR panels, A in MR x KC
/// panels, a register-blocked micro-kernel streaming both with FMAs, block sizes from the cache hierarchy
/// (<see cref="GemmBlocking"/>). Tiny products, vectors and integer types take simpler paths that pay no packing.
/// </summary>
internal static partial class Gemm
{
    /// <summary>The kernel chosen at start-up: the widest vectors the hardware runs natively.</summary>
    public static GemmKernel Default { get; } = Vector512.IsHardwareAccelerated ? GemmKernel.Vector512 : GemmKernel.Vector256;

    [ThreadStatic] private static GemmKernel? _override;
    [ThreadStatic] private static (int L1d, int L2, int L3)? _caches;

    /// <summary>The kernel a product started on this thread uses: <see cref="Default"/> unless a test overrode it.</summary>
    public static GemmKernel Current => _override ?? Default;

    /// <summary>
    /// Makes products started on this thread use <paramref name="kernel"/> until the result is disposed, so that tests
    /// run both kernels on any hardware (.NET runs Vector512 code correctly, if slowly, without AVX-512).
    /// </summary>
    /// <param name="kernel">The micro-kernel to use.</param>
    /// <param name="caches">Cache sizes in bytes to block for instead of this machine's (small ones make small products
    /// take several blocks of each loop); applies to single products started on this thread; null keeps the machine's.</param>
    public static IDisposable Override(GemmKernel kernel, (int L1d, int L2, int L3)? caches = null)
    {
        var previous = (_override, _caches);
        (_override, _caches) = (kernel, caches);
        return new Restore(previous);
    }

    private sealed class Restore((GemmKernel?, (int, int, int)?) previous) : IDisposable
    {
        public void Dispose() => (_override, _caches) = previous;
    }

    // The blocks for a product started on this thread.
    private static GemmBlocking BlockingFor(int mr, int nr, int size, int k)
    {
        var (l1, l2, l3) = _caches ?? (CacheSizes.L1d, CacheSizes.L2, CacheSizes.L3);
        return GemmBlocking.For(mr, nr, size, k, l1, l2, l3);
    }

    /// <summary>C[0..m, 0..n] = A @ B, overwriting C (whose rows are <paramref name="ldc"/> apart, columns contiguous).</summary>
    /// <param name="a">The m x k left operand, through its strides.</param>
    /// <param name="b">The k x n right operand, through its strides.</param>
    /// <param name="c">C's storage.</param>
    /// <param name="cOffset">C's element (0, 0).</param>
    /// <param name="ldc">C's row stride.</param>
    /// <param name="m">Rows of A and C.</param>
    /// <param name="n">Columns of B and C.</param>
    /// <param name="k">Columns of A, rows of B; 0 gives zeros.</param>
    /// <param name="parallel">Whether the product may use more than one core (false inside an already parallel batch).</param>
    /// <param name="kernel">The micro-kernel, from <see cref="Current"/> on the thread that started the product.</param>
    public static void Multiply<T>(MatrixRef<T> a, MatrixRef<T> b, T[] c, int cOffset, int ldc, int m, int n, int k,
        bool parallel, GemmKernel kernel)
        where T : unmanaged, INumber<T>
    {
        if (m == 0 || n == 0) return; // no output (and no row of C to clear: its offsets may lie past the storage)
        bool simd = (typeof(T) == typeof(float) || typeof(T) == typeof(double)) && Vector256.IsHardwareAccelerated;
        if (simd && k > 0 && (n == 1 || m == 1) && MatrixVector(a, b, c, cOffset, ldc, m, n, k, kernel)) return;
        if (!simd || k == 0 || (long)m * n * k < 4096)
        {
            Naive(a, b, c, cOffset, ldc, m, n, k);
            return;
        }
        if (kernel == GemmKernel.Vector512) Blocked<T, Kernel512<T>>(a, b, c, cOffset, ldc, m, n, k, parallel);
        else Blocked<T, Kernel256<T>>(a, b, c, cOffset, ldc, m, n, k, parallel);
    }
}
