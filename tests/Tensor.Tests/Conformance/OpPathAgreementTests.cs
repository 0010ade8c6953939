using System.Numerics;
using Tensors.Backends;
using Tensors.Backends.Cpu;
using Tensors.Ops;
using Xunit;

namespace Tensors.Tests.Conformance;

/// <summary>
/// One answer per input: every op struct's SIMD (span) form against its scalar form, reached through the same
/// dispatch the backends use, on inputs at the edges of each dtype's range, at lengths that run vector bodies and
/// tails. Exact ops must agree bit for bit; transcendental ones within <see cref="Ulps"/>; NaN and ±inf always.
/// </summary>
public class OpPathAgreementTests
{
    private static readonly int[] Lengths = [1, 7, 8, 33];
    private static readonly DType[] DTypes = [DType.Float32, DType.Float64, DType.Int32, DType.Int64, DType.UInt8];

    /// <summary>The stated accuracy of the transcendental forms against each other, in ulps.</summary>
    private static int Ulps(string op) => op switch
    {
        "Exp" or "Log" or "Sigmoid" or "Tanh" or "Pow" => 4,
        "Sin" or "Cos" or "Tan" or "Asin" or "Acos" or "Atan" or "Sinh" or "Cosh" or "Log1p" or "Expm1" or "Log2" or "Log10"
            or "Exp2" or "Rsqrt" or "Atan2" => 4,
        "Erf" => 1,
        _ => 0,
    };

    private static T[] Edges<T>() where T : unmanaged, INumber<T>
    {
        object values = typeof(T) switch
        {
            var t when t == typeof(float) => new[]
            {
                0f, -0f, float.Epsilon, -float.Epsilon, 1e-40f, -1e-40f, 1.17549435e-38f, -1.17549435e-38f,
                1f, -1f, 0.5f, -0.5f, 2f, -2f, 3f, -3f, 1e-10f, -1e-10f, 1e10f, -1e10f, float.MaxValue, -float.MaxValue,
                float.PositiveInfinity, float.NegativeInfinity, float.NaN,
                88.3f, 88.5f, 88.7f, 88.72283f, 88.72284f, 89f, -87.3f, -87.5f, -88.5f, -100f, -103.2f, -103.9f, -103.97f,
                -103.98f, -104f, 103.5f, -103.5f, 127f, -126f, -149f, 150f,
            },
            var t when t == typeof(double) => new[]
            {
                0d, -0d, double.Epsilon, -double.Epsilon, 1e-310, -1e-310, 2.2250738585072014e-308, 1d, -1d, 0.5, -0.5,
                2d, -2d, 3d, -3d, 1e-10, -1e-10, 1e10, -1e10, double.MaxValue, -double.MaxValue,
                double.PositiveInfinity, double.NegativeInfinity, double.NaN,
                88.5, 88.72, 89, -87.5, -103.5, -103.98, -104, 103.5, 709.7, 709.8, -708.4, -745.1, -745.2, 1023, -1074,
            },
            var t when t == typeof(int) => new[] { 0, 1, -1, 2, -2, 7, -7, 46341, -46341, int.MaxValue, int.MinValue, int.MaxValue - 1, int.MinValue + 1 },
            var t when t == typeof(long) => new[] { 0L, 1, -1, 2, -2, 7, -7, 3037000500, -3037000500, long.MaxValue, long.MinValue, long.MaxValue - 1, long.MinValue + 1 },
            _ => new byte[] { 0, 1, 2, 7, 127, 128, 254, 255 },
        };
        return (T[])values;
    }

    private static bool IsInteger<T>() => typeof(T) != typeof(float) && typeof(T) != typeof(double);

    // Integer division by zero has no value: the tensor layer refuses it before a kernel runs.
    private static bool Excluded<T>(string op, T a, T b) where T : unmanaged, INumber<T> =>
        IsInteger<T>() && op is "Div" or "FloorDivide" or "Remainder" && b == T.Zero;

    // Adds a line to failures when the two results differ by more than the op allows.
    private static void Agree<T>(List<string> failures, string what, T scalar, T simd, int ulps) where T : unmanaged, INumber<T>
    {
        bool ok;
        if (T.IsNaN(scalar) || T.IsNaN(simd)) ok = T.IsNaN(scalar) && T.IsNaN(simd);
        else if (T.IsInfinity(scalar) || T.IsInfinity(simd) || ulps == 0 || IsInteger<T>()) ok = Bits(scalar) == Bits(simd);
        else ok = Math.Abs(Ordered(scalar) - Ordered(simd)) <= ulps;
        if (!ok) failures.Add($"{what}: scalar {scalar:R}, SIMD {simd:R}");
    }

    private static void AssertNone(List<string> failures) =>
        Assert.True(failures.Count == 0, $"{failures.Count} disagreements:\n" + string.Join("\n", failures.Distinct().Take(40)));

    private static long Bits<T>(T x) where T : INumber<T> =>
        typeof(T) == typeof(float) ? BitConverter.SingleToInt32Bits((float)(object)x)
        : typeof(T) == typeof(double) ? BitConverter.DoubleToInt64Bits((double)(object)x)
        : long.CreateTruncating(x);

    // Floats' bits as integers that count ulps across zero (-0 and +0 are one apart).
    private static long Ordered<T>(T x) where T : INumber<T>
    {
        long bits = Bits(x);
        return typeof(T) == typeof(float)
            ? (bits >= 0 ? bits : int.MinValue - bits)
            : (bits >= 0 ? bits : long.MinValue - bits);
    }

    public static TheoryData<DType> AllDTypes() => [.. DTypes];

    [Theory, MemberData(nameof(AllDTypes))]
    public void UnarySpanAndScalarFormsAgree(DType dtype)
    {
        var failures = new List<string>();
        int checkedOps = 0;
        foreach (var op in Enum.GetValues<UnaryOp>().Where(op => Harness.Supports(op, dtype)))
        {
            var runner = new UnaryCheck(op.ToString(), failures);
            try { UnaryDispatch.Run(op, dtype, runner); }
            catch (NotSupportedException) { continue; }
            checkedOps++;
        }
        Assert.True(checkedOps >= 3);
        AssertNone(failures);
    }

    [Theory, MemberData(nameof(AllDTypes))]
    public void BinarySpanAndScalarFormsAgree(DType dtype)
    {
        var failures = new List<string>();
        foreach (var op in Enum.GetValues<BinaryOp>().Where(op => Harness.Supports(op, dtype)))
            BinaryDispatch.Run(op, dtype, new BinaryCheck(op.ToString(), failures));
        AssertNone(failures);
    }

    [Theory, MemberData(nameof(AllDTypes))]
    public void CompareLanesAndScalarFormsAgree(DType dtype)
    {
        var failures = new List<string>();
        foreach (var op in Enum.GetValues<CompareOp>())
            CompareDispatch.Run(op, dtype, new CompareCheck(op.ToString(), failures));
        AssertNone(failures);
    }

    [Fact]
    public void TanhSpansAreAccurateAcrossTheRange()
    {
        // Against the exact result, densely through the switch at |x| = 0.625 and out to where tanh is ±1.
        var xs = Enumerable.Range(-40_000, 80_001).Select(i => i * 2.5e-4).Concat([1e-300, -1e-300, 1e-20, 5e-8]).ToArray();
        var f = xs.Select(v => (float)v).ToArray();
        var fd = new float[f.Length];
        TanhFn<float>.Apply(f, fd);
        var d = new double[xs.Length];
        TanhFn<double>.Apply(xs, d);
        var failures = new List<string>();
        for (int i = 0; i < xs.Length; i++)
        {
            Agree(failures, $"tanh({f[i]:R})", (float)Math.Tanh(f[i]), fd[i], Ulps("Tanh"));
            Agree(failures, $"tanh({xs[i]:R})", Math.Tanh(xs[i]), d[i], Ulps("Tanh"));
        }
        AssertNone(failures);
    }

    private readonly struct UnaryCheck(string op, List<string> failures) : IUnaryRunner
    {
        public void Run<T, TFn>() where T : unmanaged, INumber<T> where TFn : struct, IUnaryFn<T>
        {
            var name = op;
            var edges = Edges<T>().Where(x => !Excluded(name, x, T.Zero)).ToArray();
            foreach (int n in Lengths)
                for (int shift = 0; shift < edges.Length; shift++)
                {
                    // Each edge value visits every lane of the vector body and of the tail.
                    var x = Enumerable.Range(0, n).Select(i => edges[(i + shift) % edges.Length]).ToArray();
                    var d = new T[n];
                    TFn.Apply(x, d);
                    for (int i = 0; i < n; i++)
                        Agree(failures, $"{op}({x[i]}) {typeof(T).Name} length {n}", TFn.Apply(x[i]), d[i], Ulps(op));
                }
        }
    }

    private readonly struct BinaryCheck(string op, List<string> failures) : IBinaryRunner
    {
        public void Run<T, TFn>() where T : unmanaged, INumber<T> where TFn : struct, IBinaryFn<T>
        {
            var name = op;
            var edges = Edges<T>();
            var pairs = (from a in edges from b in edges where !Excluded(name, a, b) select (a, b)).ToArray();
            int ulps = Ulps(op);
            foreach (int n in Lengths)
            {
                for (int start = 0; start < pairs.Length; start += n)
                {
                    var chunk = Enumerable.Range(0, n).Select(i => pairs[(start + i) % pairs.Length]).ToArray();
                    var a = chunk.Select(p => p.a).ToArray();
                    var b = chunk.Select(p => p.b).ToArray();
                    var d = new T[n];
                    TFn.Apply(a, b, d);
                    for (int i = 0; i < n; i++)
                        Agree(failures, $"{op}({a[i]}, {b[i]}) {typeof(T).Name} length {n}", TFn.Apply(a[i], b[i]), d[i], ulps);
                }
                // The broadcast forms: one edge value against a span of all the others, on either side.
                foreach (var s in edges)
                    for (int shift = 0; shift < edges.Length; shift += 3)
                    {
                        var x = Enumerable.Range(0, n).Select(i => edges[(i + shift) % edges.Length]).ToArray();
                        var right = x.Where(v => !Excluded(name, v, s)).ToArray();
                        var d = new T[right.Length];
                        TFn.Apply(right, s, d);
                        for (int i = 0; i < right.Length; i++)
                            Agree(failures, $"{op}({right[i]}, scalar {s}) {typeof(T).Name} length {right.Length}", TFn.Apply(right[i], s), d[i], ulps);
                        var left = x.Where(v => !Excluded(name, s, v)).ToArray();
                        d = new T[left.Length];
                        TFn.Apply(s, left, d);
                        for (int i = 0; i < left.Length; i++)
                            Agree(failures, $"{op}(scalar {s}, {left[i]}) {typeof(T).Name} length {left.Length}", TFn.Apply(s, left[i]), d[i], ulps);
                    }
            }
        }
    }

    private readonly struct CompareCheck(string op, List<string> failures) : ICompareRunner
    {
        public void Run<T, TFn>() where T : unmanaged, INumber<T> where TFn : struct, ICompareFn<T>
        {
            var edges = Edges<T>();
            var pairs = (from a in edges from b in edges select (a, b)).ToArray();
            foreach (int n in Lengths)
                for (int start = 0; start < pairs.Length; start += n)
                {
                    var chunk = Enumerable.Range(0, n).Select(i => pairs[(start + i) % pairs.Length]).ToArray();
                    var a = chunk.Select(p => p.a).ToArray();
                    var b = chunk.Select(p => p.b).ToArray();
                    var d = new byte[n];
                    // The CPU kernel runs SIMD lanes over the body and the scalar form over the tail.
                    new CompareKernel<T, TFn>(d, a, b, 1, 1, 1).Run(0, 0, 0, 0, n);
                    for (int i = 0; i < n; i++)
                        if (TFn.Apply(a[i], b[i]) != (d[i] == 1)) failures.Add($"{op}({a[i]}, {b[i]}) {typeof(T).Name} length {n}: lanes say {d[i]}");
                }
        }
    }
}
