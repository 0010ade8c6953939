using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

using Tensors.Ops;

namespace Tensors.Backends.Cpu;

/// <summary>Which runs the short-run kernels below take: a run is short when it spans at most 64 bytes (four
/// Vector128s, two Vector256s), where a span call per run would cost more than the work.</summary>
internal static class ShortRuns
{
    /// <summary>The longest run, in bytes, the short-run kernels are for.</summary>
    public const int MaxBytes = 64;

    /// <summary>True when a run of <paramref name="length"/> elements of <typeparamref name="T"/> is short.</summary>
    public static bool Fit<T>(int length) where T : unmanaged => (long)length * Unsafe.SizeOf<T>() <= MaxBytes;
}

/// <summary>
/// A same-dtype copy whose destination runs are short (at most 64 bytes: im2col's rows of a 7- or 4-pixel-wide
/// window, permutes of small trailing dims). Through <see cref="CastKernel{TFrom, TTo}"/> each such run costs a span
/// slice, a memmove call (or a converting loop) and the run plan's step, several times the copy itself; here the
/// kernel takes a whole column of runs (the innermost outer dim) and moves each run as two overlapping loads and
/// stores of the widest power of two that fits it (both loads before either store), or, where the source steps by
/// more than one element (a stride-2 convolution's windows), element by element without the per-run costs.
/// Partially overlapping source and destination never get here: the front end copies such a source first
/// (<c>MemoryOverlap.SafeInput</c>).
/// </summary>
internal readonly struct ShortRunCopyKernel<T>(T[] d, T[] s, int rows, int dRowStride, int sRowStride, int sStep) : IRunKernel
    where T : unmanaged
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run(int od, int os, int unused2, int unused3, int n)
    {
        // Strides are non-negative, so each side's last run ends at its largest index: checking it once makes the
        // unchecked accesses below safe.
        _ = d[od + (rows - 1) * dRowStride + n - 1];
        _ = s[os + (rows - 1) * sRowStride + (n - 1) * sStep];
        if (sStep != 1)
        {
            ref T td = ref MemoryMarshal.GetArrayDataReference(d);
            ref T ts = ref MemoryMarshal.GetArrayDataReference(s);
            for (int r = 0; r < rows; r++, od += dRowStride, os += sRowStride)
                for (int i = 0; i < n; i++)
                    Unsafe.Add(ref td, od + i) = Unsafe.Add(ref ts, os + i * sStep);
            return;
        }
        ref byte rd = ref Unsafe.As<T, byte>(ref MemoryMarshal.GetArrayDataReference(d));
        ref byte rs = ref Unsafe.As<T, byte>(ref MemoryMarshal.GetArrayDataReference(s));
        int size = Unsafe.SizeOf<T>(), bytes = n * size;
        nint dAt = (nint)od * size, sAt = (nint)os * size, dStep = (nint)dRowStride * size, sRow = (nint)sRowStride * size;
        for (int r = 0; r < rows; r++, dAt += dStep, sAt += sRow)
            CopyRun(ref Unsafe.Add(ref rs, sAt), ref Unsafe.Add(ref rd, dAt), bytes);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyRun(ref byte source, ref byte destination, int bytes)
    {
        if (bytes >= 32)
        {
            var head = Vector256.LoadUnsafe(ref source);
            var tail = Vector256.LoadUnsafe(ref Unsafe.Add(ref source, bytes - 32));
            head.StoreUnsafe(ref destination);
            tail.StoreUnsafe(ref Unsafe.Add(ref destination, bytes - 32));
        }
        else if (bytes >= 16)
        {
            var head = Vector128.LoadUnsafe(ref source);
            var tail = Vector128.LoadUnsafe(ref Unsafe.Add(ref source, bytes - 16));
            head.StoreUnsafe(ref destination);
            tail.StoreUnsafe(ref Unsafe.Add(ref destination, bytes - 16));
        }
        else if (bytes >= 8)
        {
            ulong head = Unsafe.ReadUnaligned<ulong>(ref source), tail = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref source, bytes - 8));
            Unsafe.WriteUnaligned(ref destination, head);
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref destination, bytes - 8), tail);
        }
        else if (bytes >= 4)
        {
            uint head = Unsafe.ReadUnaligned<uint>(ref source), tail = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref source, bytes - 4));
            Unsafe.WriteUnaligned(ref destination, head);
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref destination, bytes - 4), tail);
        }
        else
        {
            // 1 to 3 bytes: first, middle and last (all loaded before any store).
            byte a = source, b = Unsafe.Add(ref source, bytes >> 1), c = Unsafe.Add(ref source, bytes - 1);
            destination = a;
            Unsafe.Add(ref destination, bytes >> 1) = b;
            Unsafe.Add(ref destination, bytes - 1) = c;
        }
    }
}

/// <summary>
/// A binary op over short runs (at most 64 bytes; col2im adds each kernel tap's rows of a 7- or 4-pixel window into
/// the image, a batch norm subtracts each channel's mean from its 4x4 planes): a column of runs per kernel call, each
/// as two overlapping vectors (first and last lanes, a broadcast operand as one repeated value) where the op has
/// exact vector forms, the destination's run is contiguous and fills at least one 16-byte vector; else element by
/// element through the scalar form. The span form would pay a slice and a call per run for a handful of elements.
/// Every load of a run comes before its stores, so an in-place op (destination = first operand) reads only
/// original values.
/// </summary>
internal readonly struct ShortRunBinaryKernel<T, TFn>(T[] d, T[] a, T[] b, int rows, int[] rowStrides, int[] steps) : IRunKernel
    where T : unmanaged where TFn : struct, IBinaryFn<T>
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run(int od, int oa, int ob, int unused3, int n)
    {
        int dr = rowStrides[0], ar = rowStrides[1], br = rowStrides[2], sd = steps[0], sa = steps[1], sb = steps[2];
        // Non-negative strides: each operand's last run ends at its largest index (see ShortRunCopyKernel).
        _ = d[od + (rows - 1) * dr + (n - 1) * sd];
        _ = a[oa + (rows - 1) * ar + (n - 1) * sa];
        _ = b[ob + (rows - 1) * br + (n - 1) * sb];
        ref T rd = ref MemoryMarshal.GetArrayDataReference(d);
        ref T ra = ref MemoryMarshal.GetArrayDataReference(a);
        ref T rb = ref MemoryMarshal.GetArrayDataReference(b);
        int bytes = n * Unsafe.SizeOf<T>();
        bool wide = bytes >= 32;
        if (sd == 1 && sa <= 1 && sb <= 1 && TFn.Vectorizable && Vector128<T>.IsSupported && Vector128.IsHardwareAccelerated
            && bytes >= 16 && (!wide || Vector256.IsHardwareAccelerated))
        {
            for (int r = 0; r < rows; r++, od += dr, oa += ar, ob += br)
                if (wide) Wide(ref Unsafe.Add(ref rd, od), ref Unsafe.Add(ref ra, oa), sa, ref Unsafe.Add(ref rb, ob), sb, n);
                else Narrow(ref Unsafe.Add(ref rd, od), ref Unsafe.Add(ref ra, oa), sa, ref Unsafe.Add(ref rb, ob), sb, n);
            return;
        }
        // Short of a vector, an op without vector forms, or a strided run (col2im of a stride-2 convolution adds into
        // every other pixel).
        for (int r = 0; r < rows; r++, od += dr, oa += ar, ob += br)
            for (int i = 0; i < n; i++)
                Unsafe.Add(ref rd, od + i * sd) = TFn.Apply(Unsafe.Add(ref ra, oa + i * sa), Unsafe.Add(ref rb, ob + i * sb));
    }

    // n fills one to two Vector256s (32 to 64 bytes); an operand with step 0 is one value throughout.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Wide(ref T d, ref T a, int sa, ref T b, int sb, int n)
    {
        nuint tail = (nuint)(n - Vector256<T>.Count);
        Vector256<T> a0, a1, b0, b1;
        if (sa == 0) a0 = a1 = Vector256.Create(a);
        else { a0 = Vector256.LoadUnsafe(ref a); a1 = Vector256.LoadUnsafe(ref a, tail); }
        if (sb == 0) b0 = b1 = Vector256.Create(b);
        else { b0 = Vector256.LoadUnsafe(ref b); b1 = Vector256.LoadUnsafe(ref b, tail); }
        var head = TFn.Apply(a0, b0);
        var last = TFn.Apply(a1, b1);
        head.StoreUnsafe(ref d);
        last.StoreUnsafe(ref d, tail);
    }

    // n fills one to two Vector128s (16 to 32 bytes).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Narrow(ref T d, ref T a, int sa, ref T b, int sb, int n)
    {
        nuint tail = (nuint)(n - Vector128<T>.Count);
        Vector128<T> a0, a1, b0, b1;
        if (sa == 0) a0 = a1 = Vector128.Create(a);
        else { a0 = Vector128.LoadUnsafe(ref a); a1 = Vector128.LoadUnsafe(ref a, tail); }
        if (sb == 0) b0 = b1 = Vector128.Create(b);
        else { b0 = Vector128.LoadUnsafe(ref b); b1 = Vector128.LoadUnsafe(ref b, tail); }
        var head = TFn.Apply(a0, b0);
        var last = TFn.Apply(a1, b1);
        head.StoreUnsafe(ref d);
        last.StoreUnsafe(ref d, tail);
    }
}
