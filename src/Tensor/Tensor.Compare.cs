using Tensors.Backends;

namespace Tensors;

// Comparisons (Bool results) and Where. A number compared with an integer tensor is compared as an integer, so
// int64 values above 2^24 compare exactly.
public sealed partial class Tensor
{
    private static Tensor Compare(CompareOp op, Tensor a, Tensor b)
    {
        string name = OpName<CompareOp>.Of(op);
        var device = SameDevice(name, a, b);
        var dtype = TypePromotion.ResultType(a, b);
        var shape = Broadcasting.Shape(name, a.Layout.Shape, b.Layout.Shape);
        using var noGrad = Autograd.Suspend();
        using var ca = a.As(dtype);
        using var cb = b.As(dtype);
        var result = Allocate(shape, DType.Bool, device);
        result.Backend.Compare(op, ca.Tensor.StorageFor(name), ca.Tensor.Layout.BroadcastTo(shape), cb.Tensor.StorageFor(name),
            cb.Tensor.Layout.BroadcastTo(shape), result.Storage, result.Layout);
        return result;
    }

    private Tensor Compare(CompareOp op, Scalar value) { using var v = Num(value); return Compare(op, this, v); }

    /// <summary>Elementwise this == other (Bool).</summary>
    /// <param name="other">The tensor to compare with; broadcast against this tensor (NumPy rules), and both are
    /// promoted to a common dtype.</param>
    /// <returns>A Bool tensor of the broadcast shape.</returns>
    /// <exception cref="ArgumentException">The shapes cannot be broadcast together (the message names both
    /// shapes).</exception>
    /// <exception cref="InvalidOperationException">The operands are on different devices.</exception>
    public Tensor Eq(Tensor other) => Compare(CompareOp.Eq, this, other);
    /// <summary>Elementwise this != other (Bool).</summary>
    /// <param name="other">The tensor to compare with; broadcast against this tensor (NumPy rules), and both are
    /// promoted to a common dtype.</param>
    /// <returns>A Bool tensor of the broadcast shape.</returns>
    /// <exception cref="ArgumentException">The shapes cannot be broadcast together (the message names both
    /// shapes).</exception>
    /// <exception cref="InvalidOperationException">The operands are on different devices.</exception>
    public Tensor Ne(Tensor other) => Compare(CompareOp.Ne, this, other);
    /// <summary>Elementwise this &lt; other (Bool).</summary>
    /// <param name="other">The tensor to compare with; broadcast against this tensor (NumPy rules), and both are
    /// promoted to a common dtype.</param>
    /// <returns>A Bool tensor of the broadcast shape.</returns>
    /// <exception cref="ArgumentException">The shapes cannot be broadcast together (the message names both
    /// shapes).</exception>
    /// <exception cref="InvalidOperationException">The operands are on different devices.</exception>
    public Tensor Lt(Tensor other) => Compare(CompareOp.Lt, this, other);
    /// <summary>Elementwise this &lt;= other (Bool).</summary>
    /// <param name="other">The tensor to compare with; broadcast against this tensor (NumPy rules), and both are
    /// promoted to a common dtype.</param>
    /// <returns>A Bool tensor of the broadcast shape.</returns>
    /// <exception cref="ArgumentException">The shapes cannot be broadcast together (the message names both
    /// shapes).</exception>
    /// <exception cref="InvalidOperationException">The operands are on different devices.</exception>
    public Tensor Le(Tensor other) => Compare(CompareOp.Le, this, other);
    /// <summary>Elementwise this &gt; other (Bool).</summary>
    /// <param name="other">The tensor to compare with; broadcast against this tensor (NumPy rules), and both are
    /// promoted to a common dtype.</param>
    /// <returns>A Bool tensor of the broadcast shape.</returns>
    /// <exception cref="ArgumentException">The shapes cannot be broadcast together (the message names both
    /// shapes).</exception>
    /// <exception cref="InvalidOperationException">The operands are on different devices.</exception>
    public Tensor Gt(Tensor other) => Compare(CompareOp.Gt, this, other);
    /// <summary>Elementwise this &gt;= other (Bool).</summary>
    /// <param name="other">The tensor to compare with; broadcast against this tensor (NumPy rules), and both are
    /// promoted to a common dtype.</param>
    /// <returns>A Bool tensor of the broadcast shape.</returns>
    /// <exception cref="ArgumentException">The shapes cannot be broadcast together (the message names both
    /// shapes).</exception>
    /// <exception cref="InvalidOperationException">The operands are on different devices.</exception>
    public Tensor Ge(Tensor other) => Compare(CompareOp.Ge, this, other);
    /// <summary>Elementwise this == value (Bool).</summary>
    /// <param name="value">The number to compare every element with (an integer number compares exactly with an integer
    /// tensor).</param>
    /// <returns>A Bool tensor of this shape.</returns>
    public Tensor Eq(Scalar value) => Compare(CompareOp.Eq, value);
    /// <summary>Elementwise this != value (Bool).</summary>
    /// <param name="value">The number to compare every element with (an integer number compares exactly with an integer
    /// tensor).</param>
    /// <returns>A Bool tensor of this shape.</returns>
    public Tensor Ne(Scalar value) => Compare(CompareOp.Ne, value);
    /// <summary>Elementwise this &lt; value (Bool).</summary>
    /// <param name="value">The number to compare every element with (an integer number compares exactly with an integer
    /// tensor).</param>
    /// <returns>A Bool tensor of this shape.</returns>
    public Tensor Lt(Scalar value) => Compare(CompareOp.Lt, value);
    /// <summary>Elementwise this &lt;= value (Bool).</summary>
    /// <param name="value">The number to compare every element with (an integer number compares exactly with an integer
    /// tensor).</param>
    /// <returns>A Bool tensor of this shape.</returns>
    public Tensor Le(Scalar value) => Compare(CompareOp.Le, value);
    /// <summary>Elementwise this &gt; value (Bool).</summary>
    /// <param name="value">The number to compare every element with (an integer number compares exactly with an integer
    /// tensor).</param>
    /// <returns>A Bool tensor of this shape.</returns>
    public Tensor Gt(Scalar value) => Compare(CompareOp.Gt, value);
    /// <summary>Elementwise this &gt;= value (Bool).</summary>
    /// <param name="value">The number to compare every element with (an integer number compares exactly with an integer
    /// tensor).</param>
    /// <returns>A Bool tensor of this shape.</returns>
    public Tensor Ge(Scalar value) => Compare(CompareOp.Ge, value);

    /// <summary><paramref name="x"/> where <paramref name="condition"/> is true, else <paramref name="y"/>; all three
    /// broadcast, and the result has the promoted dtype of x and y.</summary>
    /// <param name="condition">A Bool tensor choosing, element by element, between <paramref name="x"/> (true) and
    /// <paramref name="y"/> (false); broadcast with them.</param>
    /// <param name="x">The values where the condition is true.</param>
    /// <param name="y">The values where the condition is false.</param>
    /// <exception cref="ArgumentException"><paramref name="condition"/> is not Bool, or the shapes cannot be broadcast
    /// together.</exception>
    /// <exception cref="InvalidOperationException">The tensors are on different devices.</exception>
    public static Tensor Where(Tensor condition, Tensor x, Tensor y)
    {
        if (condition.DType != DType.Bool)
            throw new ArgumentException($"Where: the condition must be a Bool tensor but is {condition.DType.Name()}; build it with a comparison such as t.Gt(0).");
        var device = SameDevice("Where", condition, x, y);
        var dtype = TypePromotion.ResultType(x, y);
        var shape = Broadcasting.ShapeOfAll("Where", condition.Shape, x.Shape, y.Shape);
        bool record = Autograd.ShouldRecord(x, y);
        var result = Allocate(shape, dtype, device);
        using (Autograd.Suspend())
        using (var cx = x.As(dtype))
        using (var cy = y.As(dtype))
            result.Backend.Where(condition.StorageFor("Where"), condition.Layout.BroadcastTo(shape), cx.Tensor.StorageFor("Where"),
                cx.Tensor.Layout.BroadcastTo(shape), cy.Tensor.StorageFor("Where"), cy.Tensor.Layout.BroadcastTo(shape), result.Storage, result.Layout);
        return record ? result.Record(new Graph.WhereBackward(condition, x, y)) : result;
    }

    /// <summary><paramref name="x"/> where <paramref name="condition"/> is true, else the number <paramref name="y"/>
    /// (an integer number keeps an integer tensor integer).</summary>
    /// <param name="condition">A Bool tensor choosing, element by element, between <paramref name="x"/> (true) and
    /// <paramref name="y"/> (false); broadcast with them.</param>
    /// <param name="x">The values where the condition is true.</param>
    /// <param name="y">The number where the condition is false.</param>
    /// <exception cref="ArgumentException"><paramref name="condition"/> is not Bool, or the shapes cannot be broadcast
    /// together.</exception>
    /// <exception cref="InvalidOperationException">The tensors are on different devices.</exception>
    public static Tensor Where(Tensor condition, Tensor x, Scalar y) { using var v = x.Num(y); return Where(condition, x, v); }

    /// <summary>The number <paramref name="x"/> where <paramref name="condition"/> is true, else <paramref name="y"/>.</summary>
    /// <param name="condition">A Bool tensor choosing, element by element, between <paramref name="x"/> (true) and
    /// <paramref name="y"/> (false); broadcast with them.</param>
    /// <param name="x">The number where the condition is true.</param>
    /// <param name="y">The values where the condition is false.</param>
    /// <exception cref="ArgumentException"><paramref name="condition"/> is not Bool, or the shapes cannot be broadcast
    /// together.</exception>
    /// <exception cref="InvalidOperationException">The tensors are on different devices.</exception>
    public static Tensor Where(Tensor condition, Scalar x, Tensor y) { using var v = y.Num(x); return Where(condition, v, y); }

    /// <summary>The number <paramref name="x"/> where <paramref name="condition"/> is true, else the number
    /// <paramref name="y"/>: int64 for two integers, float32 when either is a floating-point number.</summary>
    /// <param name="condition">A Bool tensor choosing, element by element, between <paramref name="x"/> (true) and
    /// <paramref name="y"/> (false); broadcast with them.</param>
    /// <param name="x">The number where the condition is true.</param>
    /// <param name="y">The number where the condition is false.</param>
    /// <exception cref="ArgumentException"><paramref name="condition"/> is not Bool.</exception>
    public static Tensor Where(Tensor condition, Scalar x, Scalar y)
    {
        using var vx = condition.Num(x);
        using var vy = condition.Num(y);
        return Where(condition, vx, vy);
    }
}
