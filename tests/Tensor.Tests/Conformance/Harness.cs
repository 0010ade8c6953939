using System.Runtime.InteropServices;
using Tensors.Backends;
using Tensors.Backends.Reference;
using Xunit;

namespace Tensors.Tests.Conformance;

/// <summary>Runs one primitive on a backend under test and on the reference backend over the same bytes, and
/// compares every element of the destination storages (so elements outside the layout must be left alone too).</summary>
internal sealed class Harness(IBackend backend)
{
    public static readonly DType[] DataTypes = [DType.Float32, DType.Float64, DType.Int32, DType.Int64, DType.UInt8, DType.Bool];

    /// <summary>Every dtype a storage holds: the kernel dtypes and the storage-only ones, which backends only
    /// allocate, transfer, fill and copy.</summary>
    public static readonly DType[] StorageTypes = [.. DataTypes, DType.Half, DType.BFloat16, DType.Int8, DType.Int16];

    public IBackend Backend { get; } = backend;

    /// <summary>Whether a unary op has kernels for a dtype: transcendental and rounding functions for floats only,
    /// BitwiseNot for integers and Bool only, the rest (Neg, Abs, Relu, Sign) for every numeric dtype.</summary>
    public static bool Supports(UnaryOp op, DType dtype) => op switch
    {
        UnaryOp.BitwiseNot => !dtype.IsFloatingPoint(),
        UnaryOp.Neg or UnaryOp.Abs or UnaryOp.Relu or UnaryOp.Sign => dtype != DType.Bool,
        _ => dtype.IsFloatingPoint(),
    };

    /// <summary>Whether a binary op has kernels for a dtype: bitwise ops for integers and Bool only.</summary>
    public static bool Supports(BinaryOp op, DType dtype) => op switch
    {
        BinaryOp.BitwiseAnd or BinaryOp.BitwiseOr or BinaryOp.BitwiseXor => !dtype.IsFloatingPoint(),
        BinaryOp.Atan2 => dtype.IsFloatingPoint(),
        _ => dtype != DType.Bool,
    };

    /// <summary>Integer ops that divide: the tensor layer refuses zero divisors, so tests draw non-zero ones.</summary>
    public static bool Divides(BinaryOp op) => op is BinaryOp.Div or BinaryOp.FloorDivide or BinaryOp.Remainder;
    public IBackend Reference { get; } = ReferenceBackend.Instance;

    /// <summary>A host buffer and its copies on both backends.</summary>
    public sealed record Pair(DType DType, byte[] Host, Storage UnderTest, Storage Expected);

    public Pair Upload(DType dtype, byte[] host)
    {
        int n = host.Length / dtype.ElementSize();
        var a = Backend.Allocate(dtype, n);
        Backend.CopyFromHost(host, a, 0);
        var b = Reference.Allocate(dtype, n);
        Reference.CopyFromHost(host, b, 0);
        return new Pair(dtype, host, a, b);
    }

    public Pair Random(DType dtype, int n, System.Random rng, double lo = -3, double hi = 3, double nanRate = 0)
    {
        var values = new double[n];
        for (int i = 0; i < n; i++)
        {
            values[i] = dtype switch
            {
                DType.Bool => rng.Next(2),
                DType.UInt8 => rng.Next(Math.Max(0, (int)Math.Ceiling(lo)), Math.Max(1, (int)Math.Floor(hi)) + 1),
                DType.Int32 or DType.Int64 or DType.Int8 or DType.Int16 => rng.Next((int)Math.Floor(lo), (int)Math.Ceiling(hi) + 1),
                _ => rng.NextDouble() < nanRate ? double.NaN : Math.Round(lo + rng.NextDouble() * (hi - lo), 3),
            };
        }
        return Upload(dtype, Encode(dtype, values));
    }

    public static byte[] Encode(DType dtype, double[] v) => dtype switch
    {
        DType.Float32 => MemoryMarshal.AsBytes(v.Select(x => (float)x).ToArray().AsSpan()).ToArray(),
        DType.Float64 => MemoryMarshal.AsBytes(v.AsSpan()).ToArray(),
        DType.Int32 => MemoryMarshal.AsBytes(v.Select(x => (int)x).ToArray().AsSpan()).ToArray(),
        DType.Int64 => MemoryMarshal.AsBytes(v.Select(x => (long)x).ToArray().AsSpan()).ToArray(),
        DType.Half => MemoryMarshal.AsBytes(v.Select(x => (Half)x).ToArray().AsSpan()).ToArray(),
        DType.BFloat16 => MemoryMarshal.AsBytes(v.Select(x => (BFloat16)x).ToArray().AsSpan()).ToArray(),
        DType.Int8 => MemoryMarshal.AsBytes(v.Select(x => unchecked((sbyte)(long)x)).ToArray().AsSpan()).ToArray(),
        DType.Int16 => MemoryMarshal.AsBytes(v.Select(x => unchecked((short)(long)x)).ToArray().AsSpan()).ToArray(),
        _ => v.Select(x => (byte)x).ToArray(),
    };

    public static double[] Decode(DType dtype, byte[] b) => dtype switch
    {
        DType.Float32 => MemoryMarshal.Cast<byte, float>(b).ToArray().Select(x => (double)x).ToArray(),
        DType.Float64 => MemoryMarshal.Cast<byte, double>(b).ToArray(),
        DType.Int32 => MemoryMarshal.Cast<byte, int>(b).ToArray().Select(x => (double)x).ToArray(),
        DType.Int64 => MemoryMarshal.Cast<byte, long>(b).ToArray().Select(x => (double)x).ToArray(),
        DType.Half => MemoryMarshal.Cast<byte, Half>(b).ToArray().Select(x => (double)x).ToArray(),
        DType.BFloat16 => MemoryMarshal.Cast<byte, BFloat16>(b).ToArray().Select(x => (double)x).ToArray(),
        DType.Int8 => MemoryMarshal.Cast<byte, sbyte>(b).ToArray().Select(x => (double)x).ToArray(),
        DType.Int16 => MemoryMarshal.Cast<byte, short>(b).ToArray().Select(x => (double)x).ToArray(),
        _ => b.Select(x => (double)x).ToArray(),
    };

    private static byte[] Download(IBackend backend, Storage s)
    {
        var bytes = new byte[s.Length * s.DType.ElementSize()];
        backend.CopyToHost(s, 0, bytes);
        return bytes;
    }

    /// <summary>Asserts the two copies agree; floats within rtol/atol (NaN matches NaN), integers exactly.</summary>
    public void AssertSame(Pair p, string what, double rtol = 0, double atol = 0)
    {
        var actual = Decode(p.DType, Download(Backend, p.UnderTest));
        var expected = Decode(p.DType, Download(Reference, p.Expected));
        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i], a = actual[i];
            bool ok = double.IsNaN(e) ? double.IsNaN(a) : e == a || Math.Abs(e - a) <= atol + rtol * Math.Abs(e);
            Assert.True(ok, $"{what}: element {i} is {a}, the reference gives {e}");
        }
    }

    /// <summary>A random view of <paramref name="shape"/> into a larger storage: dims permuted in memory, sliced
    /// with steps and offsets, and (for inputs) some dims broadcast with stride 0. Returns the storage length.</summary>
    public static (Layout Layout, int StorageLength) RandomLayout(System.Random rng, int[] shape, bool allowBroadcast)
    {
        int rank = shape.Length;
        var step = shape.Select(_ => rng.Next(3) == 0 ? 2 : 1).ToArray();
        var extra = shape.Select(_ => rng.Next(3)).ToArray();
        var parent = shape.Select((s, d) => s * step[d] + extra[d]).ToArray();
        var perm = Enumerable.Range(0, rank).OrderBy(_ => rng.Next()).ToArray();
        var strides = new int[rank];
        int stride = 1;
        for (int i = rank - 1; i >= 0; i--)
        {
            strides[perm[i]] = stride;
            stride *= Math.Max(parent[perm[i]], 1);
        }
        int offset = rng.Next(4);
        int length = offset + parent.Aggregate(1, (a, b) => a * b);
        for (int d = 0; d < rank; d++)
        {
            offset += rng.Next(extra[d] + 1) * strides[d];
            strides[d] *= step[d];
            if (allowBroadcast && rng.Next(5) == 0) strides[d] = 0;
        }
        return (new Layout(shape, strides, offset), length + 1);
    }

    public static int[] RandomShape(System.Random rng, int maxRank = 4, int maxSize = 5) =>
        Enumerable.Range(0, rng.Next(maxRank + 1)).Select(_ => rng.Next(maxSize + 1)).ToArray();
}
