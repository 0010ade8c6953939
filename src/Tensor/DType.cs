namespace Tensors;

/// <summary>The element type of a tensor. Names follow PyTorch's <c>torch.dtype</c>.</summary>
public enum DType
{
    /// <summary>32-bit IEEE float, the default for floating-point data.</summary>
    Float32,
    /// <summary>64-bit IEEE float, used for gradient checks.</summary>
    Float64,
    /// <summary>32-bit signed integer.</summary>
    Int32,
    /// <summary>64-bit signed integer, the default for integer data, indices and labels.</summary>
    Int64,
    /// <summary>8-bit unsigned integer (image pixels).</summary>
    UInt8,
    /// <summary>Boolean, stored one byte per element (0 or 1); results of comparisons.</summary>
    Bool,
    /// <summary>16-bit IEEE float. Named for the storage format; no operations support it yet.</summary>
    Half,
    /// <summary>16-bit brain float. Named for the storage format; no operations support it yet.</summary>
    BFloat16,
}

/// <summary>Facts about <see cref="DType"/> values: sizes, categories and PyTorch's promotion rules.</summary>
public static class DTypes
{
    /// <summary>The size of one element in bytes.</summary>
    public static int ElementSize(this DType dtype) => dtype switch
    {
        DType.Float32 or DType.Int32 => 4,
        DType.Float64 or DType.Int64 => 8,
        DType.UInt8 or DType.Bool => 1,
        DType.Half or DType.BFloat16 => 2,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown dtype."),
    };

    /// <summary>True for Float32, Float64, Float16 and BFloat16.</summary>
    public static bool IsFloatingPoint(this DType dtype) =>
        dtype is DType.Float32 or DType.Float64 or DType.Half or DType.BFloat16;

    /// <summary>True for the integer types (not Bool).</summary>
    public static bool IsInteger(this DType dtype) => dtype is DType.Int32 or DType.Int64 or DType.UInt8;

    /// <summary>The lower-case name PyTorch prints (<c>float32</c>, <c>int64</c>, <c>bool</c>...).</summary>
    public static string Name(this DType dtype) => dtype switch
    {
        DType.Half => "float16",
        DType.BFloat16 => "bfloat16",
        _ => dtype.ToString().ToLowerInvariant(),
    };

    /// <summary>The CLR element type used to read and write this dtype on the host (Bool is <see cref="bool"/>).</summary>
    public static Type ClrType(this DType dtype) => dtype switch
    {
        DType.Float32 => typeof(float),
        DType.Float64 => typeof(double),
        DType.Int32 => typeof(int),
        DType.Int64 => typeof(long),
        DType.UInt8 => typeof(byte),
        DType.Bool => typeof(bool),
        DType.Half => typeof(Half),
        _ => throw new NotSupportedException($"{dtype.Name()} has no CLR element type in this version."),
    };

    /// <summary>The dtype whose host element type is <typeparamref name="T"/>.</summary>
    public static DType Of<T>() where T : unmanaged
    {
        if (typeof(T) == typeof(float)) return DType.Float32;
        if (typeof(T) == typeof(double)) return DType.Float64;
        if (typeof(T) == typeof(int)) return DType.Int32;
        if (typeof(T) == typeof(long)) return DType.Int64;
        if (typeof(T) == typeof(byte)) return DType.UInt8;
        if (typeof(T) == typeof(bool)) return DType.Bool;
        if (typeof(T) == typeof(Half)) return DType.Half;
        throw new NotSupportedException(
            $"{typeof(T).Name} is not a tensor element type; use float, double, int, long, byte or bool.");
    }

    /// <summary>
    /// PyTorch's <c>torch.promote_types</c>: the smallest dtype both values fit in, with
    /// bool &lt; integers &lt; floating point.
    /// </summary>
    public static DType Promote(DType a, DType b)
    {
        if (a == b) return a;
        bool fa = a.IsFloatingPoint(), fb = b.IsFloatingPoint();
        if (fa && fb)
        {
            if (a == DType.Float64 || b == DType.Float64) return DType.Float64;
            return DType.Float32; // float32 with a 16-bit float, or float16 with bfloat16
        }
        if (fa) return a;
        if (fb) return b;
        return IntegerRank(a) >= IntegerRank(b) ? a : b;
    }

    private static int IntegerRank(DType d) => d switch
    {
        DType.Bool => 0,
        DType.UInt8 => 1,
        DType.Int32 => 2,
        _ => 3,
    };

    /// <summary>Whether a value of <paramref name="from"/> may be stored into <paramref name="to"/> by an in-place op
    /// (PyTorch's <c>can_cast</c>: no float into integer, no number into bool).</summary>
    public static bool CanCast(DType from, DType to)
    {
        if (from.IsFloatingPoint() && !to.IsFloatingPoint()) return false;
        if (from != DType.Bool && to == DType.Bool) return false;
        return true;
    }
}
