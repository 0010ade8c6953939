using System.Globalization;
using System.Runtime.InteropServices;

namespace Tensors;

/// <summary>
/// The 16-bit brain float (PyTorch's <c>torch.bfloat16</c>): the upper half of a float32 (sign, 8 exponent bits,
/// 7 mantissa bits), so it has float32's range with about 3 significant decimal digits. .NET has no such type;
/// this one is bit-compatible with PyTorch's and with safetensors' <c>BF16</c>. Conversions from float round to
/// nearest, ties to even, as PyTorch's do; a NaN stays a NaN (PyTorch's quiet NaN, <c>0x7FC0</c>). Arithmetic
/// goes through float32 and rounds back. The generic-math interfaces (in <c>BFloat16.Number.cs</c>) let tensor
/// code convert to and from it like any other element type.
/// </summary>
[StructLayout(LayoutKind.Sequential, Size = 2)]
public readonly partial struct BFloat16 : IEquatable<BFloat16>, IComparable<BFloat16>, IComparable
{
    private readonly ushort _bits;

    private BFloat16(ushort bits) => _bits = bits;

    /// <summary>The value with these raw bits (sign, exponent, mantissa: the upper 16 bits of a float32).</summary>
    /// <param name="bits">The raw bits.</param>
    public static BFloat16 FromBits(ushort bits) => new(bits);

    /// <summary>The raw bits.</summary>
    public ushort Bits => _bits;

    /// <summary>Rounds a float to the nearest bfloat16, ties to even (PyTorch's <c>round_to_nearest_even</c>).</summary>
    /// <param name="value">The float to round; infinities stay infinite, NaN gives NaN.</param>
    public static explicit operator BFloat16(float value)
    {
        uint u = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value)) return new(0x7FC0);
        // Adding 0x7FFF plus the lowest kept bit carries into the kept half exactly when the dropped half is above
        // one half, or equal to it with an odd kept half; a carry out of the mantissa bumps the exponent (to inf).
        u += 0x7FFFu + ((u >> 16) & 1);
        return new((ushort)(u >> 16));
    }

    /// <summary>Rounds a double through float32 to bfloat16, as PyTorch converts (two roundings).</summary>
    /// <param name="value">The double to round.</param>
    public static explicit operator BFloat16(double value) => (BFloat16)(float)value;

    /// <summary>The exact float32 value.</summary>
    /// <param name="value">The bfloat16.</param>
    public static implicit operator float(BFloat16 value) => BitConverter.UInt32BitsToSingle((uint)value._bits << 16);

    /// <summary>The exact float64 value.</summary>
    /// <param name="value">The bfloat16.</param>
    public static implicit operator double(BFloat16 value) => (float)value;

    /// <summary>True for a NaN.</summary>
    /// <param name="value">The value to test.</param>
    public static bool IsNaN(BFloat16 value) => (value._bits & 0x7FFF) > 0x7F80;

    /// <summary>IEEE equality: NaN equals nothing, +0 equals -0.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator ==(BFloat16 left, BFloat16 right) => (float)left == (float)right;

    /// <summary>IEEE inequality.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator !=(BFloat16 left, BFloat16 right) => (float)left != (float)right;

    /// <summary>IEEE less-than.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator <(BFloat16 left, BFloat16 right) => (float)left < (float)right;

    /// <summary>IEEE greater-than.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator >(BFloat16 left, BFloat16 right) => (float)left > (float)right;

    /// <summary>IEEE less-or-equal.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator <=(BFloat16 left, BFloat16 right) => (float)left <= (float)right;

    /// <summary>IEEE greater-or-equal.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator >=(BFloat16 left, BFloat16 right) => (float)left >= (float)right;

    /// <summary>Equality as <see cref="float.Equals(float)"/>: NaN equals NaN (so it works as a dictionary key).</summary>
    /// <param name="other">The value to compare with.</param>
    public bool Equals(BFloat16 other) => ((float)this).Equals((float)other);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is BFloat16 other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => ((float)this).GetHashCode();

    /// <summary>Total order as <see cref="float.CompareTo(float)"/> (NaN first).</summary>
    /// <param name="other">The value to compare with.</param>
    public int CompareTo(BFloat16 other) => ((float)this).CompareTo((float)other);

    /// <inheritdoc />
    public int CompareTo(object? obj) => obj switch
    {
        null => 1,
        BFloat16 other => CompareTo(other),
        _ => throw new ArgumentException($"CompareTo: a BFloat16 cannot be compared with a {obj.GetType().Name}.", nameof(obj)),
    };

    /// <summary>The shortest text that reads back as the same float32 value (invariant culture).</summary>
    public override string ToString() => ((float)this).ToString(CultureInfo.InvariantCulture);
}
