using System.Numerics;
using System.Numerics.Tensors;

namespace Tensors.Ops;

// Rounding to integers (exact in every form) and the sign. Integer tensors never reach Floor, Ceil and Round: the
// tensor layer copies them, as PyTorch returns them unchanged.

internal struct FloorFn<T> : IUnaryFn<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Floor(x);
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Floor(x, d);
}

internal struct CeilFn<T> : IUnaryFn<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Ceiling(x);
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Ceiling(x, d);
}

/// <summary>Halves round to even, as torch.round (and IEEE's default): 0.5 gives 0, 1.5 and 2.5 give 2.</summary>
internal struct RoundFn<T> : IUnaryFn<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Round(x, MidpointRounding.ToEven);
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Round(x, MidpointRounding.ToEven, d);
}

/// <summary>(x &gt; 0) - (x &lt; 0), PyTorch's sign: 0 for ±0 and for NaN. TensorPrimitives.Sign gives int32 and
/// throws on NaN, so the span form compares lanes itself.</summary>
internal struct SignFn<T> : IUnaryFn<T> where T : unmanaged, INumber<T>
{
    public static T Apply(T x) => x > T.Zero ? T.One : x < T.Zero ? -T.One : T.Zero;

    public static void Apply(ReadOnlySpan<T> x, Span<T> d)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= x.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var v = new Vector<T>(x[i..]);
                var positive = Vector.ConditionalSelect(Vector.GreaterThan(v, Vector<T>.Zero), Vector<T>.One, Vector<T>.Zero);
                var negative = Vector.ConditionalSelect(Vector.LessThan(v, Vector<T>.Zero), Vector<T>.One, Vector<T>.Zero);
                (positive - negative).CopyTo(d[i..]);
            }
        }
        for (; i < x.Length; i++) d[i] = Apply(x[i]);
    }
}
