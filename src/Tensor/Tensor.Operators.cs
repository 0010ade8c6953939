namespace Tensors;

// Operators forward to the named methods. There is deliberately no == or < returning a tensor:
// use Eq, Ne, Lt, Le, Gt, Ge, so that == keeps its .NET meaning.
public sealed partial class Tensor
{
    /// <summary>a + b, broadcast.</summary>
    public static Tensor operator +(Tensor a, Tensor b) => a.Add(b);
    /// <summary>a - b, broadcast.</summary>
    public static Tensor operator -(Tensor a, Tensor b) => a.Sub(b);
    /// <summary>a * b, broadcast.</summary>
    public static Tensor operator *(Tensor a, Tensor b) => a.Mul(b);
    /// <summary>a / b, broadcast (true division).</summary>
    public static Tensor operator /(Tensor a, Tensor b) => a.Div(b);
    /// <summary>-a.</summary>
    public static Tensor operator -(Tensor a) => a.Neg();

    /// <summary>a + b.</summary>
    public static Tensor operator +(Tensor a, double b) { using var s = a.Num(b); return a.Add(s); }
    /// <summary>a + b.</summary>
    public static Tensor operator +(double a, Tensor b) { using var s = b.Num(a); return s.Add(b); }
    /// <summary>a - b.</summary>
    public static Tensor operator -(Tensor a, double b) { using var s = a.Num(b); return a.Sub(s); }
    /// <summary>a - b.</summary>
    public static Tensor operator -(double a, Tensor b) { using var s = b.Num(a); return s.Sub(b); }
    /// <summary>a * b.</summary>
    public static Tensor operator *(Tensor a, double b) { using var s = a.Num(b); return a.Mul(s); }
    /// <summary>a * b.</summary>
    public static Tensor operator *(double a, Tensor b) { using var s = b.Num(a); return s.Mul(b); }
    /// <summary>a / b.</summary>
    public static Tensor operator /(Tensor a, double b) { using var s = a.Num(b); return a.Div(s); }
    /// <summary>a / b.</summary>
    public static Tensor operator /(double a, Tensor b) { using var s = b.Num(a); return s.Div(b); }

    // Integer overloads keep integer tensors integer (int tensor * 2 is int), as with Python ints.
    /// <summary>a + b.</summary>
    public static Tensor operator +(Tensor a, long b) { using var s = a.Num(b); return a.Add(s); }
    /// <summary>a + b.</summary>
    public static Tensor operator +(long a, Tensor b) { using var s = b.Num(a); return s.Add(b); }
    /// <summary>a - b.</summary>
    public static Tensor operator -(Tensor a, long b) { using var s = a.Num(b); return a.Sub(s); }
    /// <summary>a - b.</summary>
    public static Tensor operator -(long a, Tensor b) { using var s = b.Num(a); return s.Sub(b); }
    /// <summary>a * b.</summary>
    public static Tensor operator *(Tensor a, long b) { using var s = a.Num(b); return a.Mul(s); }
    /// <summary>a * b.</summary>
    public static Tensor operator *(long a, Tensor b) { using var s = b.Num(a); return s.Mul(b); }
    /// <summary>a / b (true division).</summary>
    public static Tensor operator /(Tensor a, long b) { using var s = a.Num(b); return a.Div(s); }
    /// <summary>a / b (true division).</summary>
    public static Tensor operator /(long a, Tensor b) { using var s = b.Num(a); return s.Div(b); }
}
