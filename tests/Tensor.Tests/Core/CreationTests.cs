using Xunit;

namespace Tensors.Tests.Core;

[Collection(DefaultGeneratorCollection.Name)]
public class CreationTests
{
    [Fact]
    public void FromFlatAndMultiDimensionalArrays()
    {
        using var a = Tensor.From(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        Assert.Equal(new[] { 2, 3 }, a.Shape);
        Assert.Equal(DType.Float32, a.DType);
        Assert.Equal([1f, 2, 3, 4, 5, 6], a.ToArray<float>());
        using var b = Tensor.From(new long[,,] { { { 1 }, { 2 } } });
        Assert.Equal(new[] { 1, 2, 1 }, b.Shape);
        Assert.Equal(DType.Int64, b.DType);
        using var c = Tensor.From([true, false]);
        Assert.Equal(DType.Bool, c.DType);
        using var s = Tensor.From([7.5], []);
        Assert.Equal(0, s.Rank);
        Assert.Equal(7.5, s.Item<double>());
        Assert.Throws<ArgumentException>(() => Tensor.From([1f, 2, 3], 2, 2));
    }

    [Fact]
    public void FromANullArrayNamesTheArgument()
    {
        var e = Assert.Throws<ArgumentNullException>(() => Tensor.From((float[])null!));
        Assert.Equal("data", e.ParamName);
        Assert.Throws<ArgumentNullException>(() => Tensor.From((int[])null!, 2, 3));
    }

    [Fact]
    public void ZerosOnesFullArangeLinspaceEye()
    {
        Assert.All(Tensor.Zeros(2, 3).ToArray<float>(), v => Assert.Equal(0f, v));
        Assert.All(Tensor.Ones([4], DType.Int32).ToArray<int>(), v => Assert.Equal(1, v));
        Assert.Equal([2.5, 2.5], Tensor.Full([2], 2.5, DType.Float64).ToArray<double>());
        using var r = Tensor.Arange(5);
        Assert.Equal(DType.Int64, r.DType);
        Assert.Equal([0L, 1, 2, 3, 4], r.ToArray<long>());
        Assert.Equal([1f, 1.5f, 2f, 2.5f], Tensor.Arange(1.0, 3.0, 0.5).ToArray<float>());
        Assert.Equal([0f, 0.25f, 0.5f, 0.75f, 1f], Tensor.Linspace(0, 1, 5).ToArray<float>());
        Assert.Equal([1f, 0, 0, 0, 1, 0], Tensor.Eye(2, 3).ToArray<float>());
        Assert.Equal([1f, 0, 0, 1], Tensor.Eye(2).ToArray<float>());
    }

    [Fact]
    public void RecycledStorageIsNeverVisibleInZerosOrResults()
    {
        // Disposed storages go back to a pool and are handed out again without clearing: every creation and op
        // must write all of its output.
        for (int round = 0; round < 3; round++)
        {
            using (var junk = Tensor.Full([100, 100], 7)) { }
            using var z = Tensor.Zeros(100, 100);
            Assert.All(z.ToArray<float>(), v => Assert.Equal(0f, v));
            using (var junk = Tensor.Full([100, 100], 7)) { }
            using var eye = Tensor.Eye(100);
            Assert.Equal(100f, eye.Sum().Item<float>());
            using (var junk = Tensor.Full([64, 64], 7)) { }
            using var a = Tensor.Ones(64, 32);
            using var p = a.MatMul(Tensor.Ones(32, 64));
            Assert.All(p.ToArray<float>(), v => Assert.Equal(32f, v));
        }
    }

    [Fact]
    public void RandomTensorsAreSeededAndPlausible()
    {
        using var a = Tensor.Rand([1000], new Generator(7));
        using var b = Tensor.Rand([1000], new Generator(7));
        using var c = Tensor.Rand([1000], new Generator(8));
        Assert.Equal(a.ToArray<float>(), b.ToArray<float>());
        Assert.NotEqual(a.ToArray<float>(), c.ToArray<float>());
        Assert.All(a.ToArray<float>(), v => Assert.InRange(v, 0f, 1f));
        Assert.InRange(a.Mean().Item<float>(), 0.45f, 0.55f);
        using var n = Tensor.Randn([20000], new Generator(9));
        Assert.InRange(n.Mean().Item<float>(), -0.03f, 0.03f);
        using var sq = n.Pow(2);
        Assert.InRange(sq.Mean().Item<float>(), 0.95f, 1.05f);
        // Successive draws from one generator differ; reseeding repeats them.
        Tensor.ManualSeed(3);
        var first = Tensor.Randn(5).ToArray<float>();
        var second = Tensor.Randn(5).ToArray<float>();
        Tensor.ManualSeed(3);
        Assert.Equal(first, Tensor.Randn(5).ToArray<float>());
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void StackAndCat()
    {
        using var a = Tensor.From([1f, 2], 1, 2);
        using var b = Tensor.From([3f, 4, 5, 6], 2, 2);
        using var cat = Tensor.Cat([a, b]);
        Assert.Equal(new[] { 3, 2 }, cat.Shape);
        Assert.Equal([1f, 2, 3, 4, 5, 6], cat.ToArray<float>());
        using var c1 = Tensor.Cat([b, b], 1);
        Assert.Equal([3f, 4, 3, 4, 5, 6, 5, 6], c1.ToArray<float>());
        using var x = Tensor.From([1f, 2]);
        using var y = Tensor.From([3f, 4]);
        using var s0 = Tensor.Stack([x, y]);
        using var s1 = Tensor.Stack([x, y], 1);
        Assert.Equal([1f, 2, 3, 4], s0.ToArray<float>());
        Assert.Equal([1f, 3, 2, 4], s1.ToArray<float>());
        var ex = Assert.Throws<ArgumentException>(() => Tensor.Stack([x, b]));
        Assert.Contains("[2, 2]", ex.Message);
    }

    [Fact]
    public void ConversionsBetweenDtypes()
    {
        using var f = Tensor.From([-1.7f, 0f, 2.9f]);
        Assert.Equal([-1, 0, 2], f.To(DType.Int32).ToArray<int>());
        Assert.Equal([true, false, true], f.To(DType.Bool).ToArray<bool>());
        using var pixels = Tensor.From(new byte[] { 0, 128, 255 });
        Assert.Equal([0f, 128f, 255f], pixels.To(DType.Float32).ToArray<float>());
        using var mask = Tensor.From([true, false]);
        Assert.Equal([1f, 0f], mask.To(DType.Float32).ToArray<float>());
        var ex = Assert.Throws<InvalidOperationException>(() => f.ToArray<double>());
        Assert.Contains("float32", ex.Message);
    }
}
