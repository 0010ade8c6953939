using Tensors.NN;
using Xunit;

namespace Tensors.Tests.NN;

/// <summary>Module buffers, StateDict/LoadStateDict, To(DType), Apply, NamedModules and Summary.</summary>
public class ModuleStateTests
{
    /// <summary>A layer with a parameter, a persistent float buffer, an integer buffer and a non-persistent one.</summary>
    private sealed class Scaler : Module
    {
        public Scaler(int n)
        {
            Weight = Parameter("weight", Tensor.Ones(n));
            Running = RegisterBuffer("running_mean", Tensor.Full([n], 0.5));
            Count = RegisterBuffer("num_batches_tracked", Tensor.Scalar(3, DType.Int64));
            Scratch = RegisterBuffer("scratch", Tensor.Zeros(n), persistent: false);
        }

        public Tensor Weight { get; }
        public Tensor Running { get; }
        public Tensor Count { get; }
        public Tensor Scratch { get; }

        public override Tensor Forward(Tensor input) => (input - Running) * Weight;
    }

    private static Sequential Model() => new(new Linear(3, 2, generator: new Generator(1)), new Scaler(2), new LayerNorm(2));

    [Fact]
    public void BuffersAreStateButNotParameters()
    {
        using var m = Model();
        Assert.Equal(["0.weight", "0.bias", "1.weight", "2.weight", "2.bias"], m.NamedParameters().Select(p => p.Name));
        Assert.Equal(["1.running_mean", "1.num_batches_tracked", "1.scratch"], m.NamedBuffers().Select(b => b.Name));
        Assert.All(m.Buffers(), b => Assert.False(b.RequiresGrad));
        Assert.DoesNotContain(m.Parameters(), p => m.Buffers().Contains(p));
        var s = (Scaler)m[1];
        using var y = s.Forward(Tensor.Ones(2));
        using var loss = y.Sum();
        loss.Backward();
        Assert.Null(s.Running.Grad);
        Assert.NotNull(s.Weight.Grad);
    }

    [Fact]
    public void StateDictHasPyTorchsNamesAndOrderWithPersistentBuffers()
    {
        using var m = Model();
        var state = m.StateDict();
        Assert.Equal(["0.weight", "0.bias", "1.weight", "1.running_mean", "1.num_batches_tracked", "2.weight", "2.bias"], state.Keys);
        // The values share memory with the module but are detached; disposing them leaves the module intact.
        Assert.True(state["0.weight"].SharesStorageWith(m.Parameters().First()));
        Assert.False(state["0.weight"].RequiresGrad);
        foreach (var t in state.Values) t.Dispose();
        Assert.Equal(6, m.Parameters().First().Numel);
    }

    [Fact]
    public void LoadStateDictRoundTripsAndConvertsDTypes()
    {
        using var a = Model();
        using var b = new Sequential(new Linear(3, 2, generator: new Generator(7)), new Scaler(2), new LayerNorm(2));
        using (Tensors.Autograd.NoGrad()) ((Scaler)a[1]).Running.Fill_(-2.0);
        var state = a.StateDict();
        // A float64 checkpoint loads into float32 parameters, as load_state_dict's copy_ converts.
        var doubles = state.ToDictionary(kv => kv.Key, kv => kv.Value.DType == DType.Float32 ? kv.Value.To(DType.Float64) : kv.Value);
        var result = b.LoadStateDict(doubles);
        Assert.Empty(result.MissingKeys);
        Assert.Empty(result.UnexpectedKeys);
        foreach (var ((name, x), (_, y)) in a.NamedParameters().Zip(b.NamedParameters()))
        {
            Assert.Equal(DType.Float32, y.DType);
            Assert.True(x.ToArray<float>().SequenceEqual(y.ToArray<float>()), name);
        }
        Assert.Equal([-2f, -2f], ((Scaler)b[1]).Running.ToArray<float>());
        Assert.Equal(3L, ((Scaler)b[1]).Count.Item<long>());
    }

    [Fact]
    public void StrictLoadReportsEveryProblemByNameAndChangesNothing()
    {
        using var m = Model();
        var before = m.Parameters().Select(p => p.ToArray<float>()).ToList();
        var state = m.StateDict();
        state.Remove("1.running_mean");
        state["extra.weight"] = Tensor.Zeros(1);
        state["2.bias"] = Tensor.Ones(3);
        var ex = Assert.Throws<ArgumentException>(() => m.LoadStateDict(state));
        Assert.StartsWith("LoadStateDict: Error(s) in loading state_dict for Sequential", ex.Message);
        Assert.Contains("Missing key(s) in state_dict: \"1.running_mean\"", ex.Message);
        Assert.Contains("Unexpected key(s) in state_dict: \"extra.weight\"", ex.Message);
        Assert.Contains("size mismatch for 2.bias: copying a param with shape [3] from checkpoint, the shape in current model is [2]", ex.Message);
        Assert.Equal(before, m.Parameters().Select(p => p.ToArray<float>()).ToList());
        // Not strict: the keys are returned, but shapes are still refused.
        Assert.Throws<ArgumentException>(() => m.LoadStateDict(state, strict: false));
        state["2.bias"] = Tensor.Full([2], 4.0);
        var result = m.LoadStateDict(state, strict: false);
        Assert.Equal(["1.running_mean"], result.MissingKeys);
        Assert.Equal(["extra.weight"], result.UnexpectedKeys);
        Assert.Equal([4f, 4f], ((LayerNorm)m[2]).Bias!.ToArray<float>());
    }

    [Fact]
    public void SaveAndLoadIncludePersistentBuffers()
    {
        var path = Path.Combine(Path.GetTempPath(), $"nn-state-{Guid.NewGuid():N}.safetensors");
        try
        {
            using var a = Model();
            using (Tensors.Autograd.NoGrad()) ((Scaler)a[1]).Running.Fill_(9.0);
            a.Save(path);
            Assert.Equal(7, Safetensors.Load(path).Count);
            using var b = Model();
            b.Load(path);
            Assert.Equal([9f, 9f], ((Scaler)b[1]).Running.ToArray<float>());
            using var other = new Sequential(new Linear(3, 2));
            var ex = Assert.Throws<InvalidDataException>(() => other.Load(path));
            Assert.Contains("Unexpected key(s) in state_dict: ", ex.Message);
            Assert.Contains("\"1.running_mean\"", ex.Message);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void ToDTypeConvertsFloatingParametersGradientsAndBuffersInPlace()
    {
        using var m = Model();
        var first = m.Parameters().First();
        using (var y = m.Forward(Tensor.Ones(1, 3)))
        using (var loss = y.Sum())
            loss.Backward();
        var s = (Scaler)m[1];
        Assert.Same(m, m.To(DType.Float64));
        Assert.Same(first, m.Parameters().First()); // the same objects, now float64
        Assert.All(m.Parameters(), p => Assert.Equal(DType.Float64, p.DType));
        Assert.Equal(DType.Float64, first.Grad!.DType);
        Assert.Equal(DType.Float64, s.Running.DType);
        Assert.Equal(DType.Float64, s.Scratch.DType);
        Assert.Equal(DType.Int64, s.Count.DType); // integer buffers keep their dtype, as in PyTorch
        using var y64 = m.Forward(Tensor.Ones([1, 3], DType.Float64));
        Assert.Equal(DType.Float64, y64.DType);
        m.Float();
        Assert.All(m.Parameters(), p => Assert.Equal(DType.Float32, p.DType));
        var ex = Assert.Throws<ArgumentException>(() => m.To(DType.Int32));
        Assert.StartsWith("To:", ex.Message);
    }

    [Fact]
    public void ApplyVisitsChildrenBeforeParentsAndNamedModulesIsPreOrder()
    {
        using var m = new Sequential(new Linear(2, 2), new Sequential(new ReLU(), new Linear(2, 1)));
        var visited = new List<string>();
        m.Apply(x => visited.Add(x.GetType().Name));
        Assert.Equal(["Linear", "ReLU", "Linear", "Sequential", "Sequential"], visited);
        Assert.Equal(["", "0", "1", "1.0", "1.1"], m.NamedModules().Select(n => n.Name));
        Assert.Equal(2, m.Children().Count());
        Assert.Equal(["0.weight", "0.bias", "1.1.weight", "1.1.bias"], m.NamedParameters().Select(p => p.Name));
        // Initialising weights through Apply, as PyTorch code does.
        m.Apply(x => { if (x is Linear l) using (Tensors.Autograd.NoGrad()) l.Weight.Fill_(0.25); });
        Assert.All(m.Parameters().Where(p => p.Rank == 2), p => Assert.All(p.ToArray<float>(), v => Assert.Equal(0.25f, v)));
    }

    [Fact]
    public void NamesMustBeUniqueAndDotless()
    {
        using var s = new Scaler(2);
        Assert.Throws<ArgumentException>(() => s.RegisterBuffer("weight", Tensor.Zeros(1)));
        Assert.Throws<ArgumentException>(() => s.RegisterBuffer("a.b", Tensor.Zeros(1)));
        Assert.Throws<ArgumentException>(() => s.RegisterBuffer("", Tensor.Zeros(1)));
        using var d = new ModuleDict();
        Assert.Throws<ArgumentException>(() => d.Add("x.y", new ReLU()));
    }

    [Fact]
    public void SummaryListsLayersOutputShapesAndParameterCounts()
    {
        using var m = new Sequential(new Linear(4, 3), new ReLU(), new Dropout(0.5), new Sequential(new Linear(3, 2), new Unflatten(1, [2, 1])));
        m.Train();
        var text = m.Summary([5, 4]);
        var lines = text.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^Layer \(type\)\s+Output Shape\s+Param #$", lines[0]);
        Assert.Matches(@"^Sequential\s+\[5, 2, 1\]\s+0$", lines[2]);
        Assert.Matches(@"^0 \(Linear\)\s+\[5, 3\]\s+15$", lines[3]);
        Assert.Matches(@"^1 \(ReLU\)\s+\[5, 3\]\s+0$", lines[4]);
        Assert.Matches(@"^2 \(Dropout\)\s+\[5, 3\]\s+0$", lines[5]);
        Assert.Matches(@"^3 \(Sequential\)\s+\[5, 2, 1\]\s+0$", lines[6]);
        Assert.Matches(@"^3\.0 \(Linear\)\s+\[5, 2\]\s+8$", lines[7]);
        Assert.Matches(@"^3\.1 \(Unflatten\)\s+\[5, 2, 1\]\s+0$", lines[8]);
        Assert.Contains("Total params: 23", text);
        Assert.Contains("Trainable params: 23", text);
        Assert.Contains("Non-trainable params: 0", text);
        Assert.True(m[2].IsTraining); // the modes are restored
        using var frozen = Embedding.FromPretrained(Tensor.Ones(10, 3));
        var e = frozen.Summary([2, 7], DType.Int64);
        Assert.Matches(@"Embedding\s+\[2, 7, 3\]\s+30", e);
        Assert.Contains("Non-trainable params: 30", e);
    }
}
