using FsCheck.Fluent;
using Tensors.NN;
using Xunit;
using F = Tensors.NN.Functional;

namespace Tensors.Tests.NN;

/// <summary>Dropout, LayerNorm, Embedding, Identity, ModuleList, ModuleDict and Unflatten.</summary>
public class LayerTests
{
    [Fact]
    public void DropoutZeroesAboutPAndScalesTheRestInTrainingOnly()
    {
        using var x = Tensor.Ones(200, 100);
        using var d = new Dropout(0.3, new Generator(5));
        using var y = d.Forward(x);
        var v = y.ToArray<float>();
        Assert.All(v, e => Assert.True(e == 0 || Math.Abs(e - 1 / 0.7f) < 1e-6, $"{e}"));
        double dropped = v.Count(e => e == 0) / (double)v.Length;
        Assert.InRange(dropped, 0.28, 0.32); // 20000 draws: the standard error is 0.003
        Assert.InRange(v.Average(), 0.97, 1.03);
        d.Eval();
        using var z = d.Forward(x);
        Assert.Equal(x.ToArray<float>(), z.ToArray<float>());
        Assert.NotSame(x, z);
    }

    [Fact]
    public void DropoutIsReproducibleWithASeedAndItsGradientIsTheMask()
    {
        using var x = Tensor.Randn([6, 7], new Generator(1), DType.Float64).RequiresGrad_();
        using var a = F.Dropout(x, 0.5, generator: new Generator(3));
        using var b = F.Dropout(x, 0.5, generator: new Generator(3));
        Assert.Equal(a.ToArray<double>(), b.ToArray<double>());
        using var loss = a.Sum();
        loss.Backward();
        var g = x.Grad!.ToArray<double>();
        var kept = a.ToArray<double>();
        for (int i = 0; i < g.Length; i++) Assert.Equal(kept[i] == 0 ? 0 : 2.0, g[i]);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Dropout(-0.1));
        Assert.StartsWith("Dropout:", Assert.Throws<ArgumentException>(() => F.Dropout(Tensor.Ones([2], DType.Int64))).Message);
    }

    [Fact]
    public void LayerNormMatchesHandValuesAndPassesGradCheck()
    {
        using var ln = new LayerNorm(3);
        using var x = Tensor.From(new float[,] { { 1, 2, 3 }, { -1, -1, 5 } });
        using var y = ln.Forward(x);
        // Row 1: mean 2, biased var 2/3; row 2: mean 1, var 8.
        double s1 = Math.Sqrt(2.0 / 3 + 1e-5), s2 = Math.Sqrt(8 + 1e-5);
        TestUtil.AllClose([(float)(-1 / s1), 0, (float)(1 / s1), (float)(-2 / s2), (float)(-2 / s2), (float)(4 / s2)], y.ToArray<float>(), 1e-5f, 1e-5f);
        Assert.Equal(["weight", "bias"], ln.NamedParameters().Select(p => p.Name));
        using var a = Tensor.Randn([2, 3, 4], new Generator(2), DType.Float64).RequiresGrad_();
        using var w = Tensor.Randn([3, 4], new Generator(3), DType.Float64).RequiresGrad_();
        using var b = Tensor.Randn([3, 4], new Generator(4), DType.Float64).RequiresGrad_();
        Tensors.Autograd.GradCheck(xs => F.LayerNorm(xs[0], [3, 4], xs[1], xs[2]), [a, w, b]);
        Tensors.Autograd.GradCheck(xs => F.LayerNorm(xs[0], [4], eps: 0.1), [a]);
        Assert.Null(new LayerNorm([2, 2], elementwiseAffine: false).Weight);
        Assert.StartsWith("LayerNorm:", Assert.Throws<ArgumentException>(() => ln.Forward(Tensor.Ones(2, 4))).Message);
    }

    [Fact]
    public void LayerNormOutputHasZeroMeanAndUnitVarianceForAnyShape()
    {
        var gen = from rows in Gen.Choose(1, 4)
                  from cols in Gen.Choose(2, 9)
                  from seed in Gen.Choose(0, 10000)
                  select (rows, cols, seed);
        TestUtil.Check(gen, p =>
        {
            using var scope = Tensor.NewDisposeScope();
            var x = Tensor.Randn([p.rows, p.cols], new Generator((ulong)p.seed), DType.Float64) * 3 + 1;
            var y = F.LayerNorm(x, [p.cols], eps: 0);
            var mean = y.Mean(1).ToArray<double>();
            var sq = (y * y).Mean(1).ToArray<double>();
            return mean.All(m => Math.Abs(m) < 1e-10) && sq.All(v => Math.Abs(v - 1) < 1e-9);
        });
    }

    [Fact]
    public void EmbeddingLooksUpRowsAndThePaddingRowGetsNoGradient()
    {
        using var e = new Embedding(5, 2, paddingIdx: 0, generator: new Generator(1));
        Assert.Equal([0f, 0f], e.Weight.Select(0, 0).ToArray<float>()); // the padding row starts at zero
        using var idx = Tensor.From(new long[,] { { 1, 0 }, { 4, 1 } });
        using var y = e.Forward(idx);
        Assert.Equal([2, 2, 2], y.Shape);
        Assert.Equal(e.Weight.Select(0, 4).ToArray<float>(), y.Select(0, 1).Select(0, 0).ToArray<float>());
        using var loss = y.Sum();
        loss.Backward();
        Assert.Equal([0f, 0, 2, 2, 0, 0, 0, 0, 1, 1], e.Weight.Grad!.ToArray<float>());
        Assert.Equal(4, new Embedding(5, 2, paddingIdx: -1).PaddingIdx);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Embedding(5, 2, paddingIdx: 5));
        Assert.Throws<IndexOutOfRangeException>(() => e.Forward(Tensor.From([5L])));
        Assert.Throws<IndexOutOfRangeException>(() => e.Forward(Tensor.From([-1L])));
        Assert.StartsWith("Embedding:", Assert.Throws<ArgumentException>(() => e.Forward(Tensor.From([1f]))).Message);
        using var w = Tensor.Randn([4, 3], new Generator(2), DType.Float64).RequiresGrad_();
        using var ids = Tensor.From([3L, 1, 3, 2]);
        Tensors.Autograd.GradCheck(xs => F.Embedding(ids, xs[0]), [w]); // (the padding row's zero gradient is by design)
    }

    [Fact]
    public void IdentityAndUnflattenKeepTheData()
    {
        using var x = TestUtil.Seq(2, 6);
        using var id = new Identity().Forward(x);
        Assert.NotSame(x, id);
        Assert.True(id.SharesStorageWith(x));
        using var u = new Unflatten(1, [2, -1]).Forward(x);
        Assert.Equal([2, 2, 3], u.Shape);
        Assert.Equal(x.ToArray<float>(), u.ToArray<float>());
        Assert.Equal([2, 6], new Flatten().Forward(u).Shape);
        Assert.StartsWith("Unflatten:", Assert.Throws<ArgumentException>(() => new Unflatten(1, [4, 2]).Forward(x)).Message);
        Assert.StartsWith("Unflatten:", Assert.Throws<ArgumentException>(() => new Unflatten(2, [1]).Forward(x)).Message);
    }

    private sealed class Tower : Module
    {
        private readonly ModuleList _layers;
        private readonly ModuleDict _heads;

        public Tower()
        {
            _layers = Register("layers", new ModuleList(new Linear(3, 3), new ReLU()).Append(new Linear(3, 2)));
            _heads = Register("heads", new ModuleDict(new Dictionary<string, Module> { ["a"] = new Linear(2, 1), ["b"] = new Identity() }));
        }

        public override Tensor Forward(Tensor input)
        {
            using var scope = Tensor.NewDisposeScope();
            var x = input;
            foreach (var m in _layers) x = m.Call(x);
            return scope.MoveToOuter(_heads["a"].Call(x));
        }
    }

    [Fact]
    public void ModuleListAndModuleDictRegisterTheirModules()
    {
        using var t = new Tower();
        Assert.Equal(["layers.0.weight", "layers.0.bias", "layers.2.weight", "layers.2.bias", "heads.a.weight", "heads.a.bias"],
            t.NamedParameters().Select(p => p.Name));
        using var y = t.Forward(Tensor.Ones(4, 3));
        Assert.Equal([4, 1], y.Shape);
        var list = (ModuleList)t.Children().First();
        Assert.Equal(3, list.Count);
        Assert.IsType<Linear>(list[-1]);
        Assert.Throws<IndexOutOfRangeException>(() => list[3]);
        Assert.StartsWith("ModuleList:", Assert.Throws<InvalidOperationException>(() => list.Forward(Tensor.Ones(1))).Message);
        var dict = (ModuleDict)t.Children().Last();
        Assert.Equal(["a", "b"], dict.Keys);
        Assert.True(dict.ContainsKey("b"));
        Assert.StartsWith("ModuleDict:", Assert.Throws<ArgumentException>(() => dict["c"]).Message);
        Assert.Matches(@"heads\.a \(Linear\)\s+\[4, 1\]\s+3", t.Summary([4, 3]));
    }
}
