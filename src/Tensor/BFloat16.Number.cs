using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics;

namespace Tensors;

// Generic math for BFloat16, every member through float32 and rounded back (what PyTorch does on the CPU). It lets
// the backends' generic conversion and fill code (NumericDispatch) handle bfloat16 like System.Half; tensor ops
// never compute in it (they widen to float32 first). Members beyond arithmetic are explicit implementations.
public readonly partial struct BFloat16 : INumber<BFloat16>
{
    private static BFloat16 R(float x) => (BFloat16)x;

    /// <summary>The sum, computed in float32 and rounded.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static BFloat16 operator +(BFloat16 left, BFloat16 right) => R((float)left + right);

    /// <summary>The difference, computed in float32 and rounded.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static BFloat16 operator -(BFloat16 left, BFloat16 right) => R((float)left - right);

    /// <summary>The product, computed in float32 and rounded.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static BFloat16 operator *(BFloat16 left, BFloat16 right) => R((float)left * right);

    /// <summary>The quotient, computed in float32 and rounded.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static BFloat16 operator /(BFloat16 left, BFloat16 right) => R((float)left / right);

    /// <summary>The negation (flips the sign bit, so -0 and NaN behave as in IEEE).</summary>
    /// <param name="value">The value.</param>
    public static BFloat16 operator -(BFloat16 value) => new((ushort)(value._bits ^ 0x8000));

    static BFloat16 IModulusOperators<BFloat16, BFloat16, BFloat16>.operator %(BFloat16 left, BFloat16 right) => R((float)left % right);
    static BFloat16 IUnaryPlusOperators<BFloat16, BFloat16>.operator +(BFloat16 value) => value;
    static BFloat16 IIncrementOperators<BFloat16>.operator ++(BFloat16 value) => R(value + 1f);
    static BFloat16 IDecrementOperators<BFloat16>.operator --(BFloat16 value) => R(value - 1f);

    static BFloat16 INumberBase<BFloat16>.One => new(0x3F80);
    static int INumberBase<BFloat16>.Radix => 2;
    static BFloat16 INumberBase<BFloat16>.Zero => default;
    static BFloat16 IAdditiveIdentity<BFloat16, BFloat16>.AdditiveIdentity => default;
    static BFloat16 IMultiplicativeIdentity<BFloat16, BFloat16>.MultiplicativeIdentity => new(0x3F80);

    static BFloat16 INumberBase<BFloat16>.Abs(BFloat16 value) => new((ushort)(value._bits & 0x7FFF));
    static bool INumberBase<BFloat16>.IsCanonical(BFloat16 value) => true;
    static bool INumberBase<BFloat16>.IsComplexNumber(BFloat16 value) => false;
    static bool INumberBase<BFloat16>.IsEvenInteger(BFloat16 value) => float.IsEvenInteger(value);
    static bool INumberBase<BFloat16>.IsFinite(BFloat16 value) => float.IsFinite(value);
    static bool INumberBase<BFloat16>.IsImaginaryNumber(BFloat16 value) => false;
    static bool INumberBase<BFloat16>.IsInfinity(BFloat16 value) => float.IsInfinity(value);
    static bool INumberBase<BFloat16>.IsInteger(BFloat16 value) => float.IsInteger(value);
    static bool INumberBase<BFloat16>.IsNaN(BFloat16 value) => IsNaN(value);
    static bool INumberBase<BFloat16>.IsNegative(BFloat16 value) => float.IsNegative(value);
    static bool INumberBase<BFloat16>.IsNegativeInfinity(BFloat16 value) => float.IsNegativeInfinity(value);
    static bool INumberBase<BFloat16>.IsNormal(BFloat16 value) => float.IsNormal(value);
    static bool INumberBase<BFloat16>.IsOddInteger(BFloat16 value) => float.IsOddInteger(value);
    static bool INumberBase<BFloat16>.IsPositive(BFloat16 value) => float.IsPositive(value);
    static bool INumberBase<BFloat16>.IsPositiveInfinity(BFloat16 value) => float.IsPositiveInfinity(value);
    static bool INumberBase<BFloat16>.IsRealNumber(BFloat16 value) => !IsNaN(value);
    static bool INumberBase<BFloat16>.IsSubnormal(BFloat16 value) => float.IsSubnormal(value);
    static bool INumberBase<BFloat16>.IsZero(BFloat16 value) => (value._bits & 0x7FFF) == 0;
    static BFloat16 INumberBase<BFloat16>.MaxMagnitude(BFloat16 x, BFloat16 y) => R(float.MaxMagnitude(x, y));
    static BFloat16 INumberBase<BFloat16>.MaxMagnitudeNumber(BFloat16 x, BFloat16 y) => R(float.MaxMagnitudeNumber(x, y));
    static BFloat16 INumberBase<BFloat16>.MinMagnitude(BFloat16 x, BFloat16 y) => R(float.MinMagnitude(x, y));
    static BFloat16 INumberBase<BFloat16>.MinMagnitudeNumber(BFloat16 x, BFloat16 y) => R(float.MinMagnitudeNumber(x, y));

    static BFloat16 INumberBase<BFloat16>.Parse(ReadOnlySpan<char> s, NumberStyles style, IFormatProvider? provider) => R(float.Parse(s, style, provider));
    static BFloat16 INumberBase<BFloat16>.Parse(string s, NumberStyles style, IFormatProvider? provider) => R(float.Parse(s, style, provider));
    static BFloat16 ISpanParsable<BFloat16>.Parse(ReadOnlySpan<char> s, IFormatProvider? provider) => R(float.Parse(s, provider));
    static BFloat16 IParsable<BFloat16>.Parse(string s, IFormatProvider? provider) => R(float.Parse(s, provider));

    static bool INumberBase<BFloat16>.TryParse(ReadOnlySpan<char> s, NumberStyles style, IFormatProvider? provider, out BFloat16 result) =>
        Done(float.TryParse(s, style, provider, out var f), f, out result);
    static bool INumberBase<BFloat16>.TryParse([NotNullWhen(true)] string? s, NumberStyles style, IFormatProvider? provider, out BFloat16 result) =>
        Done(float.TryParse(s, style, provider, out var f), f, out result);
    static bool ISpanParsable<BFloat16>.TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out BFloat16 result) =>
        Done(float.TryParse(s, provider, out var f), f, out result);
    static bool IParsable<BFloat16>.TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out BFloat16 result) =>
        Done(float.TryParse(s, provider, out var f), f, out result);

    private static bool Done(bool ok, float value, out BFloat16 result)
    {
        result = R(value);
        return ok;
    }

    string IFormattable.ToString(string? format, IFormatProvider? formatProvider) => ((float)this).ToString(format, formatProvider);
    bool ISpanFormattable.TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        ((float)this).TryFormat(destination, out charsWritten, format, provider);

    // Conversions from and to any other number go through float32 (exact from bfloat16; one rounding into it, as
    // PyTorch's c10::BFloat16(float) constructor).
    static bool INumberBase<BFloat16>.TryConvertFromChecked<TOther>(TOther value, out BFloat16 result) => From(value, out result);
    static bool INumberBase<BFloat16>.TryConvertFromSaturating<TOther>(TOther value, out BFloat16 result) => From(value, out result);
    static bool INumberBase<BFloat16>.TryConvertFromTruncating<TOther>(TOther value, out BFloat16 result) => From(value, out result);
    static bool INumberBase<BFloat16>.TryConvertToChecked<TOther>(BFloat16 value, out TOther result) => To(value, out result);
    static bool INumberBase<BFloat16>.TryConvertToSaturating<TOther>(BFloat16 value, out TOther result) => To(value, out result);
    static bool INumberBase<BFloat16>.TryConvertToTruncating<TOther>(BFloat16 value, out TOther result) => To(value, out result);

    private static bool From<TOther>(TOther value, out BFloat16 result) where TOther : INumberBase<TOther>
    {
        result = R(float.CreateTruncating(value));
        return true;
    }

    private static bool To<TOther>(BFloat16 value, out TOther result) where TOther : INumberBase<TOther>
    {
        result = TOther.CreateTruncating((float)value);
        return true;
    }
}
