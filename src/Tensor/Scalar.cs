using System.Globalization;
using System.Numerics;

namespace Tensors;

/// <summary>
/// A C# number handed to a tensor op (PyTorch's <c>Scalar</c>). It remembers whether it was written as an integer,
/// a floating-point number or a bool, because that decides the result's dtype exactly as a Python number does:
/// <c>int64 tensor + 1</c> stays int64, <c>int64 tensor + 1.5</c> is float32, <c>uint8 tensor * 2</c> stays uint8.
/// Integers are kept as <see cref="long"/>, so values above 2^24 or 2^53 stay exact. Every op that takes a number
/// takes a <see cref="Scalar"/>; C# converts <c>int</c>, <c>long</c>, <c>float</c>, <c>double</c> and <c>bool</c>
/// to it implicitly.
/// </summary>
public readonly struct Scalar
{
    private readonly long _integer;
    private readonly double _floating;

    private Scalar(DType dtype, long integer, double floating)
    {
        DType = dtype;
        _integer = integer;
        _floating = floating;
    }

    /// <summary>The dtype a tensor made from this number gets: Int64, Float64 or Bool (it then takes part in type
    /// promotion with the low priority of a Python number).</summary>
    public DType DType { get; }

    /// <summary>True for a number written as an integer (or a bool).</summary>
    public bool IsIntegral => DType != DType.Float64;

    /// <summary>An integer scalar.</summary>
    /// <param name="value">The integer.</param>
    public static implicit operator Scalar(long value) => new(DType.Int64, value, value);

    /// <summary>An integer scalar.</summary>
    /// <param name="value">The integer, held as int64.</param>
    public static implicit operator Scalar(int value) => new(DType.Int64, value, value);

    /// <summary>A floating-point scalar.</summary>
    /// <param name="value">The number.</param>
    public static implicit operator Scalar(double value) => new(DType.Float64, 0, value);

    /// <summary>A floating-point scalar.</summary>
    /// <param name="value">The number, held as float64.</param>
    public static implicit operator Scalar(float value) => new(DType.Float64, 0, value);

    /// <summary>A bool scalar.</summary>
    /// <param name="value">The truth value.</param>
    public static implicit operator Scalar(bool value) => new(DType.Bool, value ? 1 : 0, value ? 1 : 0);

    /// <summary>The value as a double (integers beyond 2^53 round).</summary>
    public double ToDouble() => IsIntegral ? _integer : _floating;

    /// <summary>The value as a long (floating-point values truncate toward zero).</summary>
    public long ToInt64() => IsIntegral ? _integer : (long)_floating;

    /// <summary>The value converted to a kernel element type: integers convert exactly from their 64-bit value,
    /// floats truncate toward zero, and into Bool (<paramref name="toBool"/>) any non-zero value is true.</summary>
    internal T To<T>(bool toBool) where T : unmanaged, INumber<T>
    {
        if (toBool) return (IsIntegral ? _integer != 0 : _floating != 0) ? T.One : T.Zero;
        return IsIntegral ? Ops.Convert<long, T>.Apply(_integer, false) : Ops.Convert<double, T>.Apply(_floating, false);
    }

    /// <summary>True when the value is a negative integer (integer powers refuse these).</summary>
    internal bool IsNegativeInteger => IsIntegral && _integer < 0;

    /// <inheritdoc />
    public override string ToString() => DType switch
    {
        DType.Bool => _integer != 0 ? "True" : "False",
        DType.Int64 => _integer.ToString(CultureInfo.InvariantCulture),
        _ => _floating.ToString("R", CultureInfo.InvariantCulture),
    };
}
