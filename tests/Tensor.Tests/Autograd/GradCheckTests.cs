using FsCheck.Fluent;
using Xunit;

namespace Tensors.Tests.Autograd;

/// <summary>Every differentiable op against finite differences, on contiguous, broadcast and non-contiguous inputs.</summary>
public class GradCheckTests
{
    private static Tensor Input(int[] shape, int seed, double lo = -2, double hi = 2, bool transposed = false)
    {
        var g = new Generator((ulong)seed);
        if (transposed && shape.Length >= 2)
        {
            // The same values, stored transposed: a non-contiguous leaf.
            int[] flipped = [.. shape[..^2], shape[^1], shape[^2]];
            using var raw = Tensor.Rand(flipped, g, DType.Float64);
            using var scaled = raw * (hi - lo) + lo;
            var t = scaled.Detach().Transpose(-1, -2);
            Assert.True(!t.IsContiguous || shape[^1] == 1 || shape[^2] == 1);
            return t.RequiresGrad_();
        }
        using var r = Tensor.Rand(shape, g, DType.Float64);
        return (r * (hi - lo) + lo).Detach().RequiresGrad_();
    }

    public static IEnumerable<object[]> UnaryCases() =>
        new[] { "Neg", "Abs", "Relu", "Sqrt", "Exp", "Log", "Sigmoid", "Tanh", "Pow2", "Pow3.5", "Clamp" }
            .SelectMany(op => new[] { false, true }.Select(t => new object[] { op, t }));

    [Theory, MemberData(nameof(UnaryCases))]
    public void UnaryOps(string op, bool transposed)
    {
        bool positive = op is "Sqrt" or "Log" or "Pow3.5";
        using var x = Input([3, 4], op.Length, positive ? 0.5 : -2, 2, transposed);
        Func<Tensor, Tensor> f = op switch
        {
            "Neg" => t => -t, "Abs" => t => t.Abs(), "Relu" => t => t.Relu(), "Sqrt" => t => t.Sqrt(),
            "Exp" => t => t.Exp(), "Log" => t => t.Log(), "Sigmoid" => t => t.Sigmoid(), "Tanh" => t => t.Tanh(),
            "Pow2" => t => t.Pow(2), "Pow3.5" => t => t.Pow(3.5), _ => t => t.Clamp(-0.5, 0.7),
        };
        Tensors.Autograd.GradCheck(xs => f(xs[0]), [x]);
    }

    public static IEnumerable<object[]> BinaryCases()
    {
        int[][][] shapes = [[[2, 3], [2, 3]], [[2, 3], [3]], [[4, 1], [1, 5]], [[2, 1, 3], [4, 1]], [[3], []]];
        foreach (var op in new[] { "Add", "Sub", "Mul", "Div", "Pow", "Maximum", "Minimum" })
            foreach (var s in shapes)
                yield return [op, s[0], s[1]];
    }

    [Theory, MemberData(nameof(BinaryCases))]
    public void BinaryOpsWithBroadcasting(string op, int[] shapeA, int[] shapeB)
    {
        bool positive = op is "Div" or "Pow";
        using var a = Input(shapeA, 1, positive ? 0.5 : -2, 2);
        using var b = Input(shapeB, 2, positive ? 0.5 : -2, 2);
        Func<Tensor, Tensor, Tensor> f = op switch
        {
            "Add" => (x, y) => x + y, "Sub" => (x, y) => x - y, "Mul" => (x, y) => x * y, "Div" => (x, y) => x / y,
            "Pow" => (x, y) => x.Pow(y), "Maximum" => (x, y) => x.Maximum(y), _ => (x, y) => x.Minimum(y),
        };
        Tensors.Autograd.GradCheck(xs => f(xs[0], xs[1]), [a, b]);
    }

    [Fact]
    public void BinaryOpsOnRandomBroadcastShapes()
    {
        // Random compatible shapes (rank 0..3, sizes 1..3), the first operand sometimes stored transposed.
        var gen = from p in Shapes.Compatible(3, 3).Where(p => !p.A.Contains(0) && !p.B.Contains(0))
                  from op in Gen.Elements("Add", "Sub", "Mul", "Div", "Maximum")
                  from transposed in Gen.Elements(true, false)
                  from seed in Gen.Choose(0, 1000)
                  select (p.A, p.B, op, transposed, seed);
        TestUtil.Check(gen, c =>
        {
            using var a = Input(c.A, c.seed, 0.5, 2, c.transposed);
            using var b = Input(c.B, c.seed + 1, 0.5, 2);
            Func<Tensor, Tensor, Tensor> f = c.op switch
            {
                "Add" => (x, y) => x + y, "Sub" => (x, y) => x - y, "Mul" => (x, y) => x * y,
                "Div" => (x, y) => x / y, _ => (x, y) => x.Maximum(y),
            };
            Tensors.Autograd.GradCheck(xs => f(xs[0], xs[1]), [a, b]);
            return true;
        }, maxTest: 60);
    }

    [Fact]
    public void NumbersOnEitherSide()
    {
        using var x = Input([2, 3], 3, 0.5, 2, transposed: true);
        Tensors.Autograd.GradCheck(xs => 3.0 - xs[0] * 2 + 1 / xs[0] - xs[0] / 4, [x]);
    }

    [Fact]
    public void Where()
    {
        using var x = Input([3, 4], 4);
        using var y = Input([4], 5);
        using var cond = x.Detach().Gt(0);
        Tensors.Autograd.GradCheck(xs => Tensor.Where(cond, xs[0], xs[1]), [x, y]);
        Tensors.Autograd.GradCheck(xs => Tensor.Where(cond, xs[0], 0.0), [x]);
    }

    public static IEnumerable<object[]> ReductionCases()
    {
        foreach (var op in new[] { "Sum", "Mean", "Max", "Min" })
        {
            yield return [op, Array.Empty<int>(), false];
            yield return [op, new[] { 0 }, false];
            yield return [op, new[] { -1 }, true];
            yield return [op, new[] { 0, 2 }, false];
        }
    }

    [Theory, MemberData(nameof(ReductionCases))]
    public void Reductions(string op, int[] dims, bool keepDim)
    {
        using var x = Input([2, 3, 4], 6, transposed: true);
        Func<Tensor, Tensor> f = (op, dims.Length) switch
        {
            ("Sum", 0) => t => t.Sum(), ("Mean", 0) => t => t.Mean(), ("Max", 0) => t => t.Max(), ("Min", 0) => t => t.Min(),
            ("Sum", _) => t => t.Sum(dims, keepDim), ("Mean", _) => t => t.Mean(dims, keepDim),
            ("Max", _) => t => t.Max(dims, keepDim), _ => t => t.Min(dims, keepDim),
        };
        Tensors.Autograd.GradCheck(xs => f(xs[0]), [x]);
    }

    [Fact]
    public void MaxSplitsTheGradientAmongTies()
    {
        using var x = Tensor.From([1.0, 3, 3, 2]).RequiresGrad_();
        using var m = x.Max();
        m.Backward();
        Assert.Equal([0, 0.5, 0.5, 0], x.Grad!.ToArray<double>());
    }

    public static IEnumerable<object[]> MatMulCases() =>
    [
        [new[] { 3, 4 }, new[] { 4, 5 }], [new[] { 4 }, new[] { 4, 2 }], [new[] { 3, 4 }, new[] { 4 }], [new[] { 4 }, new[] { 4 }],
        [new[] { 2, 3, 4 }, new[] { 4, 2 }], [new[] { 2, 1, 3, 4 }, new[] { 3, 4, 2 }],
    ];

    [Theory, MemberData(nameof(MatMulCases))]
    public void MatMulIncludingBatchedAndBroadcast(int[] shapeA, int[] shapeB)
    {
        using var a = Input(shapeA, 7, transposed: true);
        using var b = Input(shapeB, 8);
        Tensors.Autograd.GradCheck(xs => xs[0].MatMul(xs[1]), [a, b]);
    }

    [Fact]
    public void EveryView()
    {
        using var x = Input([2, 3, 4], 9, transposed: true);
        var views = new Func<Tensor, Tensor>[]
        {
            t => t[1], t => t[.., 1..3], t => t[^1, .., 2], t => t[TensorIndex.Ellipsis, TensorIndex.NewAxis, 0],
            t => t.Permute(2, 0, 1), t => t.Transpose(0, 2), t => t.T, t => t.Narrow(2, 1, 2), t => t.Slice(1, 0, 3, 2),
            t => t.Select(2, -1), t => t.Unsqueeze(1).Squeeze(1), t => t.Reshape(6, 4), t => t.Contiguous().View(4, 6),
            t => t.Flatten(), t => t.Unsqueeze(0).Expand(3, 2, 3, 4), t => t[.., .., ..1].BroadcastTo(2, 3, 5),
            t => t.Contiguous(), t => t.Clone(),
        };
        foreach (var v in views)
            Tensors.Autograd.GradCheck(xs => v(xs[0]) * v(xs[0]), [x]);
    }

    [Fact]
    public void IndexSelectWithRepeatedAndNegativeIndices()
    {
        using var x = Input([4, 3, 5], 17, transposed: true);
        int[][] picks = [[2, 0, 2], [-1, 1, -1, -1], [], [0]];
        for (int dim = -3; dim < 3; dim++)
            foreach (var p in picks)
            {
                int size = x.Size(dim);
                var idx = p.Where(i => i < size).ToArray();
                Tensors.Autograd.GradCheck(xs => xs[0].IndexSelect(dim, idx).Exp(), [x]);
            }
        // A reduction after it hands IndexAdd a broadcast (stride-0) gradient.
        Tensors.Autograd.GradCheck(xs => xs[0].IndexSelect(0, 3, 3, -4).Sum(1), [x]);
    }

    [Fact]
    public void IndexSelectGradientMatchesPyTorch()
    {
        // x = torch.arange(6.).view(2, 3).requires_grad_(); y = x.index_select(1, torch.tensor([2, 0, 2]))
        // (y * torch.tensor([[1., 2, 3], [4, 5, 6]])).sum().backward(); x.grad == [[2, 0, 4], [5, 0, 10]]
        using var x = Tensor.Arange(0.0, 6.0).View(2, 3).Detach().RequiresGrad_();
        using var y = x.IndexSelect(1, 2, 0, -1);
        Assert.Equal("IndexSelectBackward", y.GradFn!.Name);
        using var w = Tensor.From([1f, 2, 3, 4, 5, 6], 2, 3);
        using var loss = (y * w).Sum();
        loss.Backward();
        Assert.Equal([2f, 0, 4, 5, 0, 10], x.Grad!.ToArray<float>());
    }

    [Fact]
    public void TypeCasts()
    {
        // Through float32 the differences need a larger step and tolerance.
        using var x = Input([2, 3], 16);
        Tensors.Autograd.GradCheck(xs => xs[0].To(DType.Float32).Exp().To(DType.Float64), [x], eps: 1e-2, atol: 1e-3, rtol: 1e-3);
    }

    [Fact]
    public void StackAndCat()
    {
        using var a = Input([2, 3], 10);
        using var b = Input([2, 3], 11, transposed: true);
        using var c = Input([1, 3], 12);
        Tensors.Autograd.GradCheck(xs => Tensor.Stack([xs[0], xs[1]], 1) * 2, [a, b]);
        Tensors.Autograd.GradCheck(xs => Tensor.Cat([xs[0], xs[2], xs[1]]).Exp(), [a, b, c]);
    }

    [Fact]
    public void CompositesFromTheChapter()
    {
        // mnist_loss: where(target == 1, 1 - sigmoid(p), sigmoid(p)).mean(), and a linear layer.
        using var w = Input([4, 1], 13);
        using var bias = Input([1], 14);
        using var xb = Tensor.Rand([5, 4], new Generator(15), DType.Float64);
        using var target = Tensor.From([1.0, 0, 1, 1, 0], 5, 1);
        Tensors.Autograd.GradCheck(ps =>
        {
            using var p = (xb.MatMul(ps[0]) + ps[1]).Sigmoid();
            return Tensor.Where(target.Eq(1), 1 - p, p).Mean();
        }, [w, bias]);
    }
}
