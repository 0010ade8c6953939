namespace Tensors.Backends;

/// <summary>Elementwise functions of one operand.</summary>
public enum UnaryOp
{
    /// <summary>-x (every numeric dtype).</summary>
    Neg,
    /// <summary>|x| (every numeric dtype).</summary>
    Abs,
    /// <summary>max(x, 0) (every numeric dtype).</summary>
    Relu,
    /// <summary>Square root (floating point).</summary>
    Sqrt,
    /// <summary>e^x (floating point).</summary>
    Exp,
    /// <summary>Natural logarithm (floating point).</summary>
    Log,
    /// <summary>1 / (1 + e^-x) (floating point).</summary>
    Sigmoid,
    /// <summary>Hyperbolic tangent (floating point).</summary>
    Tanh,
    /// <summary>Rounds toward zero (floating point).</summary>
    Trunc,
    /// <summary>~x: the bits flipped (integers); logical not for Bool.</summary>
    BitwiseNot,
    /// <summary>Sine (floating point).</summary>
    Sin,
    /// <summary>Cosine (floating point).</summary>
    Cos,
    /// <summary>Tangent (floating point).</summary>
    Tan,
    /// <summary>Arcsine, NaN outside [-1, 1] (floating point).</summary>
    Asin,
    /// <summary>Arccosine, NaN outside [-1, 1] (floating point).</summary>
    Acos,
    /// <summary>Arctangent (floating point).</summary>
    Atan,
    /// <summary>Hyperbolic sine (floating point).</summary>
    Sinh,
    /// <summary>Hyperbolic cosine (floating point).</summary>
    Cosh,
    /// <summary>Rounds toward -inf (floating point; the tensor layer copies integers).</summary>
    Floor,
    /// <summary>Rounds toward +inf (floating point; the tensor layer copies integers).</summary>
    Ceil,
    /// <summary>Rounds to the nearest integer, halves to even (floating point; the tensor layer copies integers).</summary>
    Round,
    /// <summary>log(1 + x), accurate near 0 (floating point).</summary>
    Log1p,
    /// <summary>e^x - 1, accurate near 0 (floating point).</summary>
    Expm1,
    /// <summary>Base-2 logarithm (floating point).</summary>
    Log2,
    /// <summary>Base-10 logarithm (floating point).</summary>
    Log10,
    /// <summary>2^x (floating point).</summary>
    Exp2,
    /// <summary>1 / sqrt(x) (floating point).</summary>
    Rsqrt,
    /// <summary>The error function (floating point).</summary>
    Erf,
    /// <summary>-1, 0 or 1 by the sign of x, 0 for ±0 and NaN (every numeric dtype).</summary>
    Sign,
}

/// <summary>Elementwise functions of two operands of one dtype.</summary>
public enum BinaryOp
{
    /// <summary>a + b.</summary>
    Add,
    /// <summary>a - b.</summary>
    Sub,
    /// <summary>a * b.</summary>
    Mul,
    /// <summary>a / b (integer division truncates toward zero; the tensor layer checks integer divisors for zero and
    /// promotes integers to float for true division).</summary>
    Div,
    /// <summary>a ^ b.</summary>
    Pow,
    /// <summary>max(a, b), NaN if either is NaN.</summary>
    Maximum,
    /// <summary>min(a, b), NaN if either is NaN.</summary>
    Minimum,
    /// <summary>floor(a / b), Python's <c>//</c> (integer divisors are checked for zero by the tensor layer).</summary>
    FloorDivide,
    /// <summary>a - floor(a / b) * b: Python's <c>%</c>, with the sign of b.</summary>
    Remainder,
    /// <summary>a &amp; b (integers and Bool).</summary>
    BitwiseAnd,
    /// <summary>a | b (integers and Bool).</summary>
    BitwiseOr,
    /// <summary>a ^ b (integers and Bool).</summary>
    BitwiseXor,
    /// <summary>atan(a / b) in the quadrant of (b, a) (floating point).</summary>
    Atan2,
}

/// <summary>Elementwise comparisons; the result is Bool.</summary>
public enum CompareOp
{
    /// <summary>a == b.</summary>
    Eq,
    /// <summary>a != b.</summary>
    Ne,
    /// <summary>a &lt; b.</summary>
    Lt,
    /// <summary>a &lt;= b.</summary>
    Le,
    /// <summary>a &gt; b.</summary>
    Gt,
    /// <summary>a &gt;= b.</summary>
    Ge,
}

/// <summary>Reductions over a set of dims.</summary>
public enum ReduceOp
{
    /// <summary>The sum (0 when empty).</summary>
    Sum,
    /// <summary>The largest value, NaN if any is NaN.</summary>
    Max,
    /// <summary>The smallest value, NaN if any is NaN.</summary>
    Min,
    /// <summary>The Int64 index of the first largest value along one dim (a NaN counts as largest).</summary>
    ArgMax,
    /// <summary>The Int64 index of the first smallest value along one dim (a NaN counts as smallest).</summary>
    ArgMin,
    /// <summary>The product (1 when empty; integers wrap; for Bool a logical and).</summary>
    Prod,
}

/// <summary>Inclusive scans along one dim for <see cref="IBackend.Scan"/>.</summary>
public enum ScanOp
{
    /// <summary>Running sum (PyTorch's <c>cumsum</c>; for Bool a running logical or).</summary>
    Sum,
    /// <summary>Running product (PyTorch's <c>cumprod</c>; for Bool a running logical and).</summary>
    Prod,
}

/// <summary>How <see cref="IBackend.Scatter"/> combines a source element with its destination element.</summary>
public enum ScatterMode
{
    /// <summary>destination = source (PyTorch's <c>scatter_</c>, <c>index_put_</c>).</summary>
    Assign,
    /// <summary>destination += source, repeated indices accumulating; logical or for Bool (<c>scatter_add_</c>,
    /// <c>index_add_</c>, <c>index_put_(accumulate=True)</c>).</summary>
    Add,
}

/// <summary>Distributions for <see cref="IBackend.FillRandom"/>.</summary>
public enum RandomKind
{
    /// <summary>Uniform on [0, 1).</summary>
    Uniform,
    /// <summary>Standard normal (mean 0, standard deviation 1).</summary>
    Normal,
}
