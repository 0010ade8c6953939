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
    /// <summary>16-bit IEEE float (<see cref="System.Half"/>, PyTorch's <c>float16</c>). Ops compute in float32 and
    /// round back, as PyTorch does on the CPU.</summary>
    Half,
    /// <summary>16-bit brain float (<see cref="Tensors.BFloat16"/>). Ops compute in float32 and round back.</summary>
    BFloat16,
    /// <summary>8-bit signed integer (<see cref="sbyte"/>). Ops compute in int32 and wrap back to 8 bits.</summary>
    Int8,
    /// <summary>16-bit signed integer (<see cref="short"/>). Ops compute in int32 and wrap back to 16 bits.</summary>
    Int16,
}

/// <summary>Facts about <see cref="DType"/> values: sizes, categories and PyTorch's promotion rules.</summary>
public static class DTypes
{
    /// <summary>The size of one element in bytes.</summary>
    /// <param name="dtype">The dtype.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dtype"/> is not a defined <see cref="DType"/>
    /// value.</exception>
    public static int ElementSize(this DType dtype) => dtype switch
    {
        DType.Float32 or DType.Int32 => 4,
        DType.Float64 or DType.Int64 => 8,
        DType.UInt8 or DType.Bool or DType.Int8 => 1,
        DType.Half or DType.BFloat16 or DType.Int16 => 2,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown dtype."),
    };

    /// <summary>True for Float32, Float64, Float16 and BFloat16.</summary>
    /// <param name="dtype">The dtype.</param>
    public static bool IsFloatingPoint(this DType dtype) =>
        dtype is DType.Float32 or DType.Float64 or DType.Half or DType.BFloat16;

    /// <summary>True for the integer types (not Bool).</summary>
    /// <param name="dtype">The dtype.</param>
    public static bool IsInteger(this DType dtype) => dtype is DType.Int32 or DType.Int64 or DType.UInt8 or DType.Int8 or DType.Int16;

    /// <summary>The dtype kernels compute this one in: itself, or for the storage-only dtypes (float16 and bfloat16:
    /// float32; int8 and int16: int32) the wider dtype an op converts to before its primitive and narrows back from
    /// after it. Backends implement only allocation, host transfers, Fill and Copy for storage-only dtypes.</summary>
    /// <param name="dtype">The dtype.</param>
    public static DType KernelType(this DType dtype) => dtype switch
    {
        DType.Half or DType.BFloat16 => DType.Float32,
        DType.Int8 or DType.Int16 => DType.Int32,
        _ => dtype,
    };

    /// <summary>The lower-case name PyTorch prints (<c>float32</c>, <c>float16</c>, <c>bfloat16</c>, <c>int8</c>,
    /// <c>bool</c>...).</summary>
    /// <param name="dtype">The dtype.</param>
    public static string Name(this DType dtype) => dtype switch
    {
        DType.Half => "float16",
        DType.BFloat16 => "bfloat16",
        _ => dtype.ToString().ToLowerInvariant(),
    };

    /// <summary>The CLR element type used to read and write this dtype on the host (Bool is <see cref="bool"/>).</summary>
    /// <param name="dtype">The dtype.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dtype"/> is not a defined <see cref="DType"/>
    /// value.</exception>
    public static Type ClrType(this DType dtype) => dtype switch
    {
        DType.Float32 => typeof(float),
        DType.Float64 => typeof(double),
        DType.Int32 => typeof(int),
        DType.Int64 => typeof(long),
        DType.UInt8 => typeof(byte),
        DType.Bool => typeof(bool),
        DType.Half => typeof(Half),
        DType.BFloat16 => typeof(BFloat16),
        DType.Int8 => typeof(sbyte),
        DType.Int16 => typeof(short),
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown dtype."),
    };

    /// <summary>The dtype whose host element type is <typeparamref name="T"/>.</summary>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is not the element type of any
    /// dtype.</exception>
    public static DType Of<T>() where T : unmanaged =>
        OfClrType(typeof(T)) ?? throw new NotSupportedException(
            $"{typeof(T).Name} is not a tensor element type; use float, double, Half, BFloat16, long, int, short, sbyte, byte or bool.");

    private static readonly DType[] All = Enum.GetValues<DType>();

    /// <summary>The dtype whose host element type is <paramref name="type"/>, or null when none is.</summary>
    internal static DType? OfClrType(Type type)
    {
        foreach (var d in All)
            if (d.ClrType() == type) return d;
        return null;
    }

    /// <summary>
    /// PyTorch's <c>torch.promote_types</c>: the smallest dtype both values fit in, with
    /// bool &lt; integers &lt; floating point.
    /// </summary>
    /// <param name="a">The first dtype.</param>
    /// <param name="b">The second dtype (the order does not matter).</param>
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
        // uint8 and int8 hold no common 8-bit type: both fit int16.
        if (a is DType.UInt8 or DType.Int8 && b is DType.UInt8 or DType.Int8) return DType.Int16;
        return IntegerRank(a) >= IntegerRank(b) ? a : b;
    }

    private static int IntegerRank(DType d) => d switch
    {
        DType.Bool => 0,
        DType.UInt8 or DType.Int8 => 1,
        DType.Int16 => 2,
        DType.Int32 => 3,
        _ => 4,
    };

    /// <summary>Whether a value of <paramref name="from"/> may be stored into <paramref name="to"/> by an in-place op
    /// (PyTorch's <c>can_cast</c>: no float into integer, no number into bool).</summary>
    /// <param name="from">The dtype of the value (the op's result).</param>
    /// <param name="to">The dtype of the tensor written in place.</param>
    public static bool CanCast(DType from, DType to)
    {
        if (from.IsFloatingPoint() && !to.IsFloatingPoint()) return false;
        if (from != DType.Bool && to == DType.Bool) return false;
        return true;
    }
}
