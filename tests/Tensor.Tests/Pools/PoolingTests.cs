using Tensors.NN;
using Xunit;
using F = Tensors.NN.Functional;

namespace Tensors.Tests.Pools;

/// <summary>Max, average and adaptive pooling: hand values, PyTorch's output-size and divisor rules, GradCheck in
/// float64 over kernel/stride/padding/dilation/ceil cases, first-maximum gradients, modules and errors.</summary>
public class PoolingTests
{
    private static Tensor Seq(int[] shape, DType dtype = DType.Float64) =>
        Tensor.From(Enumerable.Range(0, shape.Aggregate(1, (a, b) => a * b)).Select(i => (double)i).ToArray(), shape).To(dtype);

    private static Tensor Rand(int[] shape, ulong seed) => Tensor.Randn(shape, new Generator(seed), DType.Float64);

    private static double[] Values(Tensor t) { using (t) return t.ToArray<double>(); }

    [Fact]
    public void MaxPoolOfA4x4GridTakesEachWindowsMaximum()
    {
        using var x = Seq([1, 1, 4, 4]);
        using var y = F.MaxPool2d(x, 2);
        Assert.Equal([1, 1, 2, 2], y.Shape);
        Assert.Equal([5, 7, 13, 15], y.ToArray<double>());
        // Stride 1 with padding 1: windows overlap and read -inf outside.
        Assert.Equal([0, 1, 2, 3, 3, 4, 5, 6, 7, 7, 8, 9, 10, 11, 11, 12, 13, 14, 15, 15, 12, 13, 14, 15, 15],
            Values(F.MaxPool2d(x, 2, stride: 1, padding: 1)));
        // Dilation 2: window (0, 0) reads 0, 2, 8, 10.
        Assert.Equal([10, 11, 14, 15], Values(F.MaxPool2d(x, 2, stride: 1, dilation: 2)));
    }

    [Fact]
    public void CeilModeKeepsALastPartialWindowOnlyIfItStartsInsideTheInput()
    {
        using var x = Seq([1, 5, 5]);
        using (var floor = F.MaxPool2d(x, 2)) Assert.Equal([1, 2, 2], floor.Shape);
        using var ceil = F.MaxPool2d(x, 2, ceilMode: true);
        Assert.Equal([1, 3, 3], ceil.Shape);
        Assert.Equal([6, 8, 9, 16, 18, 19, 21, 23, 24], ceil.ToArray<double>());
        // Size 4, kernel 2, stride 2, padding 1: ceil gives 3 windows starting at -1, 1, 3 (3 < 4 + 1 keeps it).
        using var x4 = Seq([1, 1, 4, 4]);
        using (var y = F.MaxPool2d(x4, 2, stride: 2, padding: 1, ceilMode: true)) Assert.Equal([1, 1, 3, 3], y.Shape);
        // Size 3, kernel 2, stride 2, padding 1: a third window would start at padded 4 >= 3 + 1, in the right padding: dropped.
        using var x3 = Seq([1, 1, 3, 3]);
        using (var y = F.MaxPool2d(x3, 2, stride: 2, padding: 1, ceilMode: true)) Assert.Equal([1, 1, 2, 2], y.Shape);
    }

    [Fact]
    public void AvgPoolDividesByTheWindowClippedToThePaddingOrByTheInputCount()
    {
        using var x = Seq([1, 1, 3, 3]);
        // Kernel 2, stride 2, padding 1: windows [-1, 0] x [-1, 0] etc. Sums: 0; 1+2; 3+6; 4+5+7+8.
        Assert.Equal([0 / 4.0, 3 / 4.0, 9 / 4.0, 24 / 4.0], Values(F.AvgPool2d(x, 2, stride: 2, padding: 1)));
        Assert.Equal([0, 3 / 2.0, 9 / 2.0, 24 / 4.0], Values(F.AvgPool2d(x, 2, stride: 2, padding: 1, countIncludePad: false)));
        // Ceil mode: kernel 2 stride 2 on 3x3: the last window is clipped to the input (padding 0): divisors 4, 2, 2, 1.
        Assert.Equal([(0 + 1 + 3 + 4) / 4.0, (2 + 5) / 2.0, (6 + 7) / 2.0, 8], Values(F.AvgPool2d(x, 2, ceilMode: true)));
        Assert.Equal([4], Values(F.AvgPool2d(x, 3)));
    }

    [Fact]
    public void AdaptivePoolsUsePyTorchsFloorAndCeilWindows()
    {
        using var x = Seq([1, 1, 5, 5]);
        // Output 3 from 5: rows [0, 2), [1, 4), [3, 5): overlapping and of sizes 2, 3, 2.
        using var avg = F.AdaptiveAvgPool2d(x, 3);
        double Mean(int r0, int r1, int c0, int c1)
        {
            double s = 0; int n = 0;
            for (int r = r0; r < r1; r++) for (int c = c0; c < c1; c++) { s += r * 5 + c; n++; }
            return s / n;
        }
        var ranges = new[] { (0, 2), (1, 4), (3, 5) };
        var expected = ranges.SelectMany(r => ranges.Select(c => Mean(r.Item1, r.Item2, c.Item1, c.Item2))).ToArray();
        TestUtil.AllClose(expected, avg.ToArray<double>());
        var expectedMax = ranges.SelectMany(r => ranges.Select(c => (double)((r.Item2 - 1) * 5 + c.Item2 - 1))).ToArray();
        Assert.Equal(expectedMax, Values(F.AdaptiveMaxPool2d(x, 3)));
        Assert.Equal([12], Values(F.AdaptiveAvgPool2d(x, 1)));
        Assert.Equal([24], Values(F.AdaptiveMaxPool2d(x, 1)));
        // Divisible: 4x4 to 2x2 is a 2x2 stride-2 pool. Larger than the input: windows repeat rows.
        using var x4 = Seq([1, 4, 4]);
        Assert.Equal([2.5, 4.5, 10.5, 12.5], Values(F.AdaptiveAvgPool2d(x4, 2)));
        using var x2 = Seq([1, 2, 2]);
        Assert.Equal([0, 0.5, 1, 1, 1.5, 2, 2, 2.5, 3], Values(F.AdaptiveAvgPool2d(x2, 3)));
        // Columns 2 -> 3: [0, 1), [0, 2), [1, 2).
        using (var rect = F.AdaptiveMaxPool2d(x2, (1, 3))) Assert.Equal([2, 3, 3], rect.ToArray<double>());
    }

    [Fact]
    public void MaxPoolGradientGoesToTheFirstMaximumOfEachWindowAndAccumulatesOverlaps()
    {
        // All equal: every window's first element takes the gradient (PyTorch's rule; not split among ties).
        using var x = Tensor.Zeros([1, 1, 3, 3], DType.Float64).RequiresGrad_();
        using var y = F.MaxPool2d(x, 2, stride: 1);
        using var s = y.Sum();
        s.Backward();
        Assert.Equal([1, 1, 0, 1, 1, 0, 0, 0, 0], x.Grad!.ToArray<double>());
        // Overlapping windows that share their maximum (the centre) add up at it.
        using var z = Tensor.From(new double[] { 0, 0, 0, 0, 9, 0, 0, 0, 0 }, 1, 1, 3, 3).RequiresGrad_();
        using var yz = F.MaxPool2d(z, 2, stride: 1);
        using var sz = yz.Sum();
        sz.Backward();
        Assert.Equal([0, 0, 0, 0, 4, 0, 0, 0, 0], z.Grad!.ToArray<double>());
    }

    [Fact]
    public void MaxPoolPropagatesNaNAndSendsItsGradientThere()
    {
        using var x = Tensor.From(new double[] { 1, double.NaN, 3, 4 }, 1, 1, 2, 2).RequiresGrad_();
        using var y = F.MaxPool2d(x, 2);
        Assert.True(double.IsNaN(y.Item<double>()));
        y.Backward(Tensor.Ones([1, 1, 1, 1], DType.Float64));
        Assert.Equal([0, 1, 0, 0], x.Grad!.ToArray<double>());
    }

    public static TheoryData<int, int, int, int, bool, int[]> MaxCases => new()
    {
        { 2, 2, 0, 1, false, new[] { 2, 3, 6, 7 } },
        { 3, 2, 1, 1, false, new[] { 1, 2, 7, 7 } },
        { 3, 2, 1, 1, true, new[] { 1, 2, 6, 6 } },
        { 2, 1, 1, 2, false, new[] { 1, 1, 5, 4 } },
        { 3, 3, 1, 1, true, new[] { 2, 1, 5, 5 } },
        { 1, 2, 0, 1, false, new[] { 1, 2, 5, 5 } },
        { 3, 1, 1, 1, false, new[] { 2, 4, 4 } },
    };

    [Theory]
    [MemberData(nameof(MaxCases))]
    public void PoolsPassGradCheck(int kernel, int stride, int padding, int dilation, bool ceil, int[] shape)
    {
        using var x = Rand(shape, (ulong)(kernel * 100 + stride * 10 + padding)).RequiresGrad_();
        Tensors.Autograd.GradCheck(xs => F.MaxPool2d(xs[0], kernel, stride, padding, dilation, ceil), [x]);
        Tensors.Autograd.GradCheck(xs => F.AvgPool2d(xs[0], kernel, stride, padding, ceil), [x]);
        Tensors.Autograd.GradCheck(xs => F.AvgPool2d(xs[0], kernel, stride, padding, ceil, countIncludePad: false), [x]);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 3)]
    [InlineData(3, 2)]
    [InlineData(4, 4)]
    [InlineData(7, 6)]
    public void AdaptivePoolsPassGradCheck(int oh, int ow)
    {
        using var x = Rand([2, 2, 5, 4], (ulong)(oh * 10 + ow)).RequiresGrad_();
        Tensors.Autograd.GradCheck(xs => F.AdaptiveAvgPool2d(xs[0], (oh, ow)), [x]);
        Tensors.Autograd.GradCheck(xs => F.AdaptiveMaxPool2d(xs[0], (oh, ow)), [x]);
    }

    [Fact]
    public void ModulesForwardTheirArguments()
    {
        using var x = Rand([2, 3, 7, 7], 5);
        using (var a = new MaxPool2d(3, stride: 2, padding: 1).Forward(x))
        using (var b = F.MaxPool2d(x, 3, 2, 1))
            Assert.Equal(b.ToArray<double>(), a.ToArray<double>());
        using (var a = new AvgPool2d((3, 2), (1, 2), (1, 0), ceilMode: true, countIncludePad: false).Forward(x))
        using (var b = F.AvgPool2d(x, (3, 2), (1, 2), (1, 0), true, false))
            Assert.Equal(b.ToArray<double>(), a.ToArray<double>());
        using (var a = new AdaptiveAvgPool2d(1).Forward(x)) Assert.Equal([2, 3, 1, 1], a.Shape);
        using (var a = new AdaptiveMaxPool2d((2, 3)).Forward(x)) Assert.Equal([2, 3, 2, 3], a.Shape);
        Assert.Equal((2, 2), new MaxPool2d(2).Stride);
    }

    [Fact]
    public void Float32AndHalfInputsKeepTheirDType()
    {
        using var x = Seq([1, 2, 4, 4], DType.Float32);
        using (var y = F.MaxPool2d(x, 2)) Assert.Equal(DType.Float32, y.DType);
        using (var y = F.AvgPool2d(x, 3, 1, 1, countIncludePad: false)) Assert.Equal(DType.Float32, y.DType);
        using var h = x.To(DType.Half);
        using (var y = F.AdaptiveAvgPool2d(h, 3)) Assert.Equal(DType.Half, y.DType);
    }

    [Fact]
    public void BadArgumentsNameTheOpAndWhatIsValid()
    {
        using var x = Seq([1, 1, 4, 4]);
        Assert.Contains("at most half", Assert.Throws<ArgumentException>(() => F.MaxPool2d(x, 2, padding: 2)).Message);
        Assert.StartsWith("AvgPool2d:", Assert.Throws<ArgumentException>(() => F.AvgPool2d(x, 0)).Message);
        Assert.Contains("too small", Assert.Throws<ArgumentException>(() => F.MaxPool2d(x, 5)).Message);
        using var flat = Seq([4, 4]);
        Assert.Contains("[C, H, W]", Assert.Throws<ArgumentException>(() => F.MaxPool2d(flat, 2)).Message);
        using var ints = Tensor.Zeros([1, 1, 4, 4], DType.Int64);
        Assert.Contains("floating point", Assert.Throws<ArgumentException>(() => F.AvgPool2d(ints, 2)).Message);
        Assert.Contains("positive", Assert.Throws<ArgumentException>(() => F.AdaptiveAvgPool2d(x, 0)).Message);
    }
}
