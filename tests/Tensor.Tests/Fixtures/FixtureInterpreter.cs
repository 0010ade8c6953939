using System.Globalization;
using System.Text.RegularExpressions;
using System.Text.Json;
using Tensors.NN;

namespace Tensors.Tests.Fixtures;

/// <summary>
/// Runs a fixture program (written by make_fixtures.py) through our API. Values are tensors or Python scalars: a
/// Python int is a C# <see cref="long"/> and a Python float a <see cref="double"/>, so scalar arguments bind to the
/// integer or floating overloads as PyTorch distinguishes them.
/// </summary>
internal static partial class FixtureInterpreter
{
    public static void Run(JsonElement program, Dictionary<string, object> env)
    {
        foreach (var step in program.EnumerateArray())
        {
            string op = step[1].GetString()!;
            var args = step[2].EnumerateArray().Select(a => Literal(a, env)).ToArray();
            var kw = step[3].EnumerateObject().ToDictionary(p => p.Name, p => Literal(p.Value, env));
            env[step[0].GetString()!] = Apply(op, args, kw);
        }
    }

    /// <summary>One op: the whole mapping from PyTorch's names to ours.</summary>
    private static Tensor Apply(string op, object[] a, Dictionary<string, object> kw)
    {
        int I(int i) => (int)(long)a[i];
        int[] Ints(object o) => o is long l ? [(int)l] : (int[])o;
        Tensor X() => (Tensor)a[0];
        return op switch
        {
            "view" => X().View(Ints(a[1])),
            "reshape" => X().Reshape(Ints(a[1])),
            "permute" => X().Permute(Ints(a[1])),
            "expand" => X().Expand(Ints(a[1])),
            "transpose" => X().Transpose(I(1), I(2)),
            "narrow" => X().Narrow(I(1), I(2), I(3)),
            "select" => X().Select(I(1), I(2)),
            "slice" => X().Slice(I(1), I(2), I(3), I(4)),
            "squeeze" => a.Length == 1 ? X().Squeeze() : X().Squeeze(I(1)),
            "unsqueeze" => X().Unsqueeze(I(1)),
            "flatten" => X().Flatten(a.Length > 1 ? I(1) : 0, a.Length > 2 ? I(2) : -1),
            "t" => X().T,
            "clone" => X().Clone(),
            "contiguous" => X().Contiguous(),
            "to" => X().To(ParseDType((string)kw["dtype"])),
            "add" or "sub" or "mul" or "div" when !kw.ContainsKey("rounding_mode") => Arithmetic(op, a[0], a[1]),
            "div" => a[1] is Tensor y ? X().Div(y, (string?)kw["rounding_mode"]) : X().Div(S(a[1]), (string?)kw["rounding_mode"]),
            "floor_divide" => a[1] is Tensor y ? X().FloorDivide(y) : X().FloorDivide(S(a[1])),
            "remainder" or "mod" => (a[0], a[1]) switch
            {
                (Tensor x, Tensor y) => x % y,
                (Tensor x, var y) => x % S(y),
                (var x, Tensor y) => S(x) % y,
                _ => throw NotMapped("remainder of two numbers"),
            },
            "pow" => a switch
            {
                [Tensor x, Tensor e] => x.Pow(e),
                [Tensor x, var e] => x.Pow(S(e)),
                [var b, Tensor e] => Tensor.Pow(S(b), e),
                _ => throw NotMapped("pow of two numbers"),
            },
            "logical_and" => X().LogicalAnd((Tensor)a[1]),
            "logical_or" => X().LogicalOr((Tensor)a[1]),
            "logical_xor" => X().LogicalXor((Tensor)a[1]),
            "logical_not" => X().LogicalNot(),
            "bitwise_and" or "op_and" => a[1] is Tensor y ? X() & y : X() & S(a[1]),
            "bitwise_or" or "op_or" => a[1] is Tensor y ? X() | y : X() | S(a[1]),
            "bitwise_xor" or "op_xor" => a[1] is Tensor y ? X() ^ y : X() ^ S(a[1]),
            "bitwise_not" or "op_invert" => ~X(),
            "maximum" => X().Maximum((Tensor)a[1]),
            "minimum" => X().Minimum((Tensor)a[1]),
            "eq" or "ne" or "lt" or "le" or "gt" or "ge" => Compare(op, X(), a[1]),
            "where" => a switch
            {
                [Tensor c, Tensor x, Tensor y] => Tensor.Where(c, x, y),
                [Tensor c, Tensor x, var y] => Tensor.Where(c, x, S(y)),
                [Tensor c, var x, Tensor y] => Tensor.Where(c, S(x), y),
                [Tensor c, var x, var y] => Tensor.Where(c, S(x), S(y)),
                _ => throw NotMapped("where without a condition tensor"),
            },
            "clamp" => Clamp(X(), kw.GetValueOrDefault("min"), kw.GetValueOrDefault("max")),
            "exp" => X().Exp(),
            "log" => X().Log(),
            "sqrt" => X().Sqrt(),
            "abs" => X().Abs(),
            "relu" => X().Relu(),
            "relu_" => X().Relu_(),
            "sigmoid" => X().Sigmoid(),
            "tanh" => X().Tanh(),
            "neg" => X().Neg(),
            "sum" or "mean" or "amax" or "amin" or "argmax" or "argmin" =>
                Reduce(op, X(), kw.GetValueOrDefault("dim"), kw.GetValueOrDefault("keepdim") is true),
            "matmul" => X().MatMul((Tensor)a[1]),
            "add_" or "sub_" or "mul_" or "div_" => InPlace(op, X(), a[1]),
            "softmax" => Functional.Softmax(X(), I(1)),
            "log_softmax" => Functional.LogSoftmax(X(), I(1)),
            "index_select" => X().IndexSelect(I(1), Ints(a[2])),
            "bce" => Functional.BinaryCrossEntropy(X(), (Tensor)a[1]),
            "bce_with_logits" => Functional.BinaryCrossEntropyWithLogits(X(), (Tensor)a[1]),
            _ => ApplyArea(op, a, kw) ?? throw NotMapped(op + (kw.ContainsKey("rounding_mode") ? " with rounding_mode" : "")),
        };
    }

    private static NotSupportedException NotMapped(string op) => new($"fixture op {op} is not mapped");

    /// <summary>A Python number as our <see cref="Scalar"/>: an int stays integral, a float floating.</summary>
    private static Scalar S(object o) => o switch
    {
        long l => l,
        double d => d,
        bool b => b,
        _ => throw NotMapped($"a number of type {o.GetType().Name}"),
    };


    private static Tensor Arithmetic(string op, object a, object b) => (a, b) switch
    {
        (Tensor x, Tensor y) => op switch { "add" => x + y, "sub" => x - y, "mul" => x * y, _ => x / y },
        (Tensor x, var s) => op switch { "add" => x + S(s), "sub" => x - S(s), "mul" => x * S(s), _ => x / S(s) },
        (var s, Tensor y) => op switch { "add" => S(s) + y, "sub" => S(s) - y, "mul" => S(s) * y, _ => S(s) / y },
        _ => throw NotMapped($"{op} of {a.GetType().Name} and {b.GetType().Name}"),
    };

    private static Tensor Compare(string op, Tensor x, object other) => other switch
    {
        Tensor y => op switch { "eq" => x.Eq(y), "ne" => x.Ne(y), "lt" => x.Lt(y), "le" => x.Le(y), "gt" => x.Gt(y), _ => x.Ge(y) },
        var s => op switch { "eq" => x.Eq(S(s)), "ne" => x.Ne(S(s)), "lt" => x.Lt(S(s)), "le" => x.Le(S(s)), "gt" => x.Gt(S(s)), _ => x.Ge(S(s)) },
    };

    private static Tensor InPlace(string op, Tensor x, object other) => other switch
    {
        Tensor y => op switch { "add_" => x.Add_(y), "sub_" => x.Sub_(y), "mul_" => x.Mul_(y), _ => x.Div_(y) },
        var s => op switch { "add_" => x.Add_(S(s)), "sub_" => x.Sub_(S(s)), "mul_" => x.Mul_(S(s)), _ => x.Div_(S(s)) },
    };

    private static Tensor Clamp(Tensor x, object? min, object? max) =>
        x.Clamp(min is null ? null : S(min), max is null ? null : S(max));

    private static Tensor Reduce(string op, Tensor x, object? dim, bool keepDim)
    {
        if (dim is null)
            return op switch
            {
                // amax() reduces every dim with amax's gradient rule; our Max() is torch.max(x), so name no dims.
                "sum" => x.Sum(), "mean" => x.Mean(), "amax" => x.Max([]), "amin" => x.Min([]), "argmax" => x.ArgMax(), _ => x.ArgMin(),
            };
        if (dim is int[] dims)
            return op switch
            {
                "sum" => x.Sum(dims, keepDim), "mean" => x.Mean(dims, keepDim), "amax" => x.Max(dims, keepDim),
                "amin" => x.Min(dims, keepDim), _ => throw NotMapped($"{op} over several dims"),
            };
        int d = (int)(long)dim;
        return op switch
        {
            "sum" => x.Sum(d, keepDim), "mean" => x.Mean(d, keepDim), "amax" => x.Max(d, keepDim), "amin" => x.Min(d, keepDim),
            "argmax" => x.ArgMax(d, keepDim), _ => x.ArgMin(d, keepDim),
        };
    }

    /// <summary>An argument: a string names a value, a JSON integer is a Python int, any other number a Python
    /// float, a list a list of ints.</summary>
    private static object Literal(JsonElement e, Dictionary<string, object> env) => e.ValueKind switch
    {
        JsonValueKind.String when env.TryGetValue(e.GetString()!, out var v) => v,
        JsonValueKind.String => e.GetString()!,
        JsonValueKind.Number => IsInteger(e) ? e.GetInt64() : (object)e.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Array => e.EnumerateArray().Select(x => x.GetInt32()).ToArray(),
        JsonValueKind.Object => ParseDouble(e.GetProperty("float").GetString()!),
        _ => throw new InvalidDataException($"fixture argument {e} is not understood"),
    };

    private static bool IsInteger(JsonElement e) => e.GetRawText().IndexOfAny(['.', 'e', 'E']) < 0;

    public static DType ParseDType(string name) =>
        Enum.GetValues<DType>().FirstOrDefault(d => d.Name() == name, (DType)(-1)) is var d && d >= 0 ? d
            : throw new InvalidDataException($"fixture dtype {name} is not understood");

    public static double ParseDouble(string s) => s switch
    {
        "nan" => double.NaN, "inf" => double.PositiveInfinity, "-inf" => double.NegativeInfinity,
        _ => double.Parse(s, CultureInfo.InvariantCulture),
    };

    /// <summary>A fixture tensor ({dtype, shape, values}) as a new tensor.</summary>
    public static Tensor TensorOf(JsonElement t)
    {
        var dtype = ParseDType(t.GetProperty("dtype").GetString()!);
        var shape = t.GetProperty("shape").EnumerateArray().Select(x => x.GetInt32()).ToArray();
        var v = t.GetProperty("values").EnumerateArray().ToArray();
        return dtype switch
        {
            DType.Bool => Tensor.From(v.Select(x => x.GetBoolean()).ToArray(), shape),
            DType.UInt8 => Tensor.From(v.Select(x => (byte)Int(x)).ToArray(), shape),
            DType.Int32 => Tensor.From(v.Select(x => (int)Int(x)).ToArray(), shape),
            DType.Int64 => Tensor.From(v.Select(Int).ToArray(), shape),
            DType.Float32 => Tensor.From(v.Select(Float).ToArray(), shape),
            DType.Float64 => Tensor.From(v.Select(Double).ToArray(), shape),
            // float16 and bfloat16 values are exact in float64, int8 and int16 in int64: converting is exact.
            _ => Tensor.From(v.Select(x => dtype.IsFloatingPoint() ? Double(x) : Int(x)).ToArray(), shape).To(dtype),
        };
    }

    // int64 beyond 2^53 comes as a string; float32 is parsed as float so its shortest decimal gives the same bits.
    public static long Int(JsonElement x) => x.ValueKind == JsonValueKind.String ? long.Parse(x.GetString()!, CultureInfo.InvariantCulture) : x.GetInt64();

    public static float Float(JsonElement x) =>
        x.ValueKind == JsonValueKind.String ? (float)ParseDouble(x.GetString()!) : float.Parse(x.GetRawText(), CultureInfo.InvariantCulture);

    public static double Double(JsonElement x) => x.ValueKind == JsonValueKind.String ? ParseDouble(x.GetString()!) : x.GetDouble();
}

/// <summary>What counts as the library refusing bad input: an argument, invalid-operation or index exception whose
/// message starts with the op's name ("Sum: dim 1 is out of range..."), as every error of the library does; not an
/// exception leaking from a span or array check inside a kernel.</summary>
internal static partial class LibraryError
{
    public static bool IsClear(Exception? e) =>
        e is ArgumentException or InvalidOperationException or IndexOutOfRangeException or DivideByZeroException && OpPrefix().IsMatch(e.Message);

    [GeneratedRegex(@"^[A-Z][A-Za-z0-9]*_?: ")]
    private static partial Regex OpPrefix();
}
