using Tensors.Backends;

namespace Tensors;

// The elementwise math functions of one tensor (and Atan2 of two): one backend primitive each, derivatives in
// Graph/UnaryBackward. Integer and bool inputs of the floating functions compute in float32, as in PyTorch.
public sealed partial class Tensor
{
    /// <summary>Sine, in radians (integers compute in float32).</summary>
    public Tensor Sin() => Unary(UnaryOp.Sin, true);
    /// <summary>Cosine, in radians (integers compute in float32).</summary>
    public Tensor Cos() => Unary(UnaryOp.Cos, true);
    /// <summary>Tangent, in radians (integers compute in float32).</summary>
    public Tensor Tan() => Unary(UnaryOp.Tan, true);
    /// <summary>Arcsine; NaN outside [-1, 1] (integers compute in float32).</summary>
    public Tensor Asin() => Unary(UnaryOp.Asin, true);
    /// <summary>Arccosine; NaN outside [-1, 1] (integers compute in float32).</summary>
    public Tensor Acos() => Unary(UnaryOp.Acos, true);
    /// <summary>Arctangent (integers compute in float32).</summary>
    public Tensor Atan() => Unary(UnaryOp.Atan, true);
    /// <summary>Hyperbolic sine (integers compute in float32).</summary>
    public Tensor Sinh() => Unary(UnaryOp.Sinh, true);
    /// <summary>Hyperbolic cosine (integers compute in float32).</summary>
    public Tensor Cosh() => Unary(UnaryOp.Cosh, true);
    /// <summary>log(1 + x), accurate for tiny x (integers compute in float32).</summary>
    public Tensor Log1p() => Unary(UnaryOp.Log1p, true);
    /// <summary>e^x - 1, accurate for tiny x (integers compute in float32).</summary>
    public Tensor Expm1() => Unary(UnaryOp.Expm1, true);
    /// <summary>Base-2 logarithm (integers compute in float32).</summary>
    public Tensor Log2() => Unary(UnaryOp.Log2, true);
    /// <summary>Base-10 logarithm (integers compute in float32).</summary>
    public Tensor Log10() => Unary(UnaryOp.Log10, true);
    /// <summary>2^x (integers compute in float32).</summary>
    public Tensor Exp2() => Unary(UnaryOp.Exp2, true);
    /// <summary>1 / sqrt(x): inf at ±0, NaN below 0 (integers compute in float32).</summary>
    public Tensor Rsqrt() => Unary(UnaryOp.Rsqrt, true);
    /// <summary>The error function, 2/sqrt(pi) ∫₀ˣ e^(-t²) dt (integers compute in float32).</summary>
    public Tensor Erf() => Unary(UnaryOp.Erf, true);

    /// <summary>Rounds toward -inf; integer tensors are returned as a copy (PyTorch's <c>floor</c>).</summary>
    public Tensor Floor() => Rounding(UnaryOp.Floor);
    /// <summary>Rounds toward +inf; integer tensors are returned as a copy (PyTorch's <c>ceil</c>).</summary>
    public Tensor Ceil() => Rounding(UnaryOp.Ceil);
    /// <summary>Rounds to the nearest integer, halves to even (0.5 gives 0, 2.5 gives 2, as <c>torch.round</c>);
    /// integer tensors are returned as a copy.</summary>
    public Tensor Round() => Rounding(UnaryOp.Round);

    /// <summary>-1, 0 or 1 by the sign of each element, in its own dtype; 0 for ±0 and NaN (PyTorch's <c>sign</c>).
    /// A bool tensor is its own sign.</summary>
    public Tensor Sign() => DType == DType.Bool ? Clone() : Unary(UnaryOp.Sign, false);

    /// <summary>atan(this / other) in the quadrant of the point (other, this), broadcast: PyTorch's
    /// <c>torch.atan2(input, other)</c> (integers compute in float32).</summary>
    /// <param name="other">The x coordinates (this tensor holds the y coordinates); broadcast against this
    /// tensor.</param>
    /// <exception cref="ArgumentException">The shapes cannot be broadcast together (the message names both
    /// shapes).</exception>
    /// <exception cref="InvalidOperationException">The operands are on different devices.</exception>
    public Tensor Atan2(Tensor other) => Binary(BinaryOp.Atan2, "Atan2", this, other);

    // Floor, Ceil and Round leave integers as they are; a bool tensor is refused by Unary, as by PyTorch.
    private Tensor Rounding(UnaryOp op) => DType.IsFloatingPoint() || DType == DType.Bool ? Unary(op, false) : Clone();
}
