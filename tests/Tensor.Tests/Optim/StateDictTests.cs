using Tensors.NN;
using Tensors.Optim;
using Xunit;

namespace Tensors.Tests.Optim;

/// <summary>Optimizer and scheduler state dicts: training N steps, saving, loading into a fresh model, optimizer and
/// scheduler and training M more gives bit for bit the weights of N + M uninterrupted steps.</summary>
public class StateDictTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("optim-state").FullName;

    public void Dispose()
    {
        Directory.Delete(_dir, recursive: true);
        GC.SuppressFinalize(this);
    }

    private static readonly Tensor X = Tensor.Rand([16, 3], new Generator(7)).DetachFromDisposeScope();
    private static readonly Tensor Y = Tensor.Randn([16, 1], new Generator(8)).DetachFromDisposeScope();

    // A setup: an optimizer over the model's two layers as two groups, and optionally a scheduler.
    public sealed record Setup(string Name, Func<Sequential, Optimizer> Optimizer, Func<Optimizer, object?> Scheduler)
    {
        public override string ToString() => Name;
    }

    private static ParamGroup[] Groups(Sequential m, double? headLr = null) =>
    [
        new(m.NamedParameters().Where(p => p.Name.StartsWith("0.")).Select(p => p.Tensor)),
        new(m.NamedParameters().Where(p => p.Name.StartsWith("2.")).Select(p => p.Tensor), lr: headLr),
    ];

    public static TheoryData<Setup> Setups() => new(
        new Setup("sgd_nesterov_steplr", m => new SGD(Groups(m, 0.02), 0.05, momentum: 0.9, nesterov: true, weightDecay: 1e-3), o => new StepLR(o, 3, 0.5)),
        new Setup("adam_onecycle", m => new Adam(Groups(m), 0.01), o => new OneCycleLR(o, [0.05, 0.02], totalSteps: 20)),
        new Setup("adamw_exponential", m => new AdamW(Groups(m, 0.003), 0.01), o => new ExponentialLR(o, 0.9)),
        new Setup("rmsprop_centered_momentum_multistep", m => new RMSprop(Groups(m), 0.01, momentum: 0.5, centered: true), o => new MultiStepLR(o, [2, 6, 9])),
        new Setup("sgd_plateau", m => new SGD(Groups(m), 0.1, momentum: 0.5), o => new ReduceLROnPlateau(o, patience: 0, factor: 0.5)),
        new Setup("sgd_fastai_one_cycle", m => new SGD(Groups(m, 0.01), 0.1, momentum: 0.9), o => Scheduler.OneCycle(o, 20, 0.2)),
        new Setup("adam_no_scheduler", m => new Adam(m.Parameters(), 0.02), _ => null));

    private static Sequential Model(ulong seed) =>
        new(new Linear(3, 4, generator: new Generator(seed)), new ReLU(), new Linear(4, 1, generator: new Generator(seed + 1)));

    private static void Train(Sequential model, Optimizer opt, object? scheduler, int steps, int first = 0)
    {
        for (int i = first; i < first + steps; i++)
        {
            using var scope = DisposeScope.Enter();
            var loss = Functional.MseLoss(model.Forward(X), Y);
            loss.Backward();
            opt.Step();
            opt.ZeroGrad();
            switch (scheduler)
            {
                case LRScheduler s: s.Step(); break;
                case ReduceLROnPlateau p: p.Step(i % 3 == 0 ? 1.0 : loss.Item<double>()); break; // plateaus and reductions both happen
            }
        }
    }

    private static SavedState? SchedulerState(object? s) => s switch
    {
        LRScheduler l => l.StateDict(),
        ReduceLROnPlateau p => p.StateDict(),
        _ => null,
    };

    [Theory]
    [MemberData(nameof(Setups))]
    public void ResumingFromAFileMatchesUninterruptedTraining(Setup setup)
    {
        const int n = 7, m = 6;
        using var straight = Model(1);
        using var straightOpt = setup.Optimizer(straight);
        Train(straight, straightOpt, setup.Scheduler(straightOpt), n + m);

        using var first = Model(1);
        using var firstOpt = setup.Optimizer(first);
        var firstScheduler = setup.Scheduler(firstOpt);
        Train(first, firstOpt, firstScheduler, n);
        first.Save(Path.Combine(_dir, "model.safetensors"));
        firstOpt.Save(Path.Combine(_dir, "optimizer.safetensors"));
        SchedulerState(firstScheduler)?.Save(Path.Combine(_dir, "scheduler.safetensors"));

        using var resumed = Model(99); // other weights, replaced by the file's
        resumed.Load(Path.Combine(_dir, "model.safetensors"));
        using var resumedOpt = setup.Optimizer(resumed);
        var resumedScheduler = setup.Scheduler(resumedOpt);
        resumedOpt.Load(Path.Combine(_dir, "optimizer.safetensors"));
        if (SchedulerState(resumedScheduler) is not null)
        {
            var state = SavedState.Load(Path.Combine(_dir, "scheduler.safetensors"));
            if (resumedScheduler is LRScheduler l) l.LoadStateDict(state);
            else ((ReduceLROnPlateau)resumedScheduler!).LoadStateDict(state);
        }
        Train(resumed, resumedOpt, resumedScheduler, m, first: n);

        foreach (var ((name, a), (_, b)) in straight.NamedParameters().Zip(resumed.NamedParameters()))
            Assert.True(a.ToArray<float>().SequenceEqual(b.ToArray<float>()), $"{setup.Name}: {name} differs after resuming");
        Assert.Equal(straightOpt.ParamGroups.Select(g => g.Lr), resumedOpt.ParamGroups.Select(g => g.Lr));
        Assert.Equal(straightOpt.ParamGroups.Select(straightOpt.GetMomentum), resumedOpt.ParamGroups.Select(resumedOpt.GetMomentum));
    }

    [Fact]
    public void WithoutTheOptimizerStateResumingDiffers()
    {
        // The check above can fail: restoring only the weights does not reproduce Adam's trajectory.
        using var straight = Model(1);
        using var straightOpt = new Adam(straight.Parameters(), 0.02);
        Train(straight, straightOpt, null, 10);
        using var first = Model(1);
        using var firstOpt = new Adam(first.Parameters(), 0.02);
        Train(first, firstOpt, null, 5);
        using var fresh = new Adam(first.Parameters(), 0.02);
        Train(first, fresh, null, 5);
        Assert.False(straight.Parameters().First().ToArray<float>().SequenceEqual(first.Parameters().First().ToArray<float>()));
    }

    [Fact]
    public void StateDictNamesFollowPyTorch()
    {
        using var p = Tensor.From([1.0, 2.0]).RequiresGrad_();
        using var q = Tensor.From([3.0]).RequiresGrad_();
        using var opt = new Adam([new ParamGroup([p], lr: 0.5), new ParamGroup([q], betas: (0.8, 0.9))], lr: 0.1);
        using (var loss = (p * p).Sum() + q * 2) loss.Backward();
        opt.Step();
        var state = opt.StateDict();
        Assert.Equal(["state.0.exp_avg", "state.0.exp_avg_sq", "state.1.exp_avg", "state.1.exp_avg_sq"], state.Tensors.Keys.Order());
        Assert.Equal("Adam", state.Values["optimizer"]);
        Assert.Equal("0", state.Values["param_groups.0.params"]);
        Assert.Equal("1", state.Values["param_groups.1.params"]);
        Assert.Equal("0.5", state.Values["param_groups.0.lr"]);
        Assert.Equal("0.1", state.Values["param_groups.1.lr"]);
        Assert.Equal("0.8", state.Values["param_groups.1.beta1"]);
        Assert.Equal("1", state.Values["state.0.step"]);
        // exp_avg after one step is (1 - beta1) * grad.
        TestUtil.AllClose([0.2, 0.4], state.Tensors["state.0.exp_avg"].ToArray<double>());
    }

    [Fact]
    public void SavedStateRoundTripsExactlyThroughSafetensors()
    {
        var state = new SavedState();
        state.SetDouble("third", 1.0 / 3);
        state.SetDouble("tiny", double.Epsilon);
        state.SetDouble("inf", double.PositiveInfinity);
        state.Values["word"] = "Adam";
        state.Tensors["t"] = Tensor.From([1f, 2f]);
        var path = Path.Combine(_dir, "state.safetensors");
        state.Save(path);
        var back = SavedState.Load(path);
        Assert.Equal(state.Values, back.Values);
        Assert.Equal(1.0 / 3, back.GetDouble("third", "test"));
        Assert.Equal(double.Epsilon, back.GetDouble("tiny", "test"));
        Assert.Equal(double.PositiveInfinity, back.GetDouble("inf", "test"));
        Assert.Equal([1f, 2f], back.Tensors["t"].ToArray<float>());
    }

    [Fact]
    public void LoadingAMismatchedStateThrowsClearly()
    {
        using var p = Tensor.Zeros([2], DType.Float64).RequiresGrad_();
        using var q = Tensor.Zeros([3], DType.Float64).RequiresGrad_();
        using var sgd = new SGD([p, q], 0.1, momentum: 0.9);
        p.Grad = Tensor.Ones([2], DType.Float64);
        q.Grad = Tensor.Ones([3], DType.Float64);
        sgd.Step();
        var state = sgd.StateDict();

        using var adam = new Adam([p, q]);
        Assert.Contains("saved by SGD, not by Adam", Assert.Throws<ArgumentException>(() => adam.LoadStateDict(state)).Message);
        using var twoGroups = new SGD([new ParamGroup([p]), new ParamGroup([q])], 0.1, momentum: 0.9);
        Assert.Contains("1 parameter group(s) but this optimizer has 2", Assert.Throws<ArgumentException>(() => twoGroups.LoadStateDict(state)).Message);
        using var swapped = new SGD([q, p], 0.1, momentum: 0.9);
        var ex = Assert.Throws<ArgumentException>(() => swapped.LoadStateDict(state));
        Assert.Contains("'momentum_buffer' of parameter 0 is [2] but the parameter is [3]", ex.Message);
        using var one = new SGD([p], 0.1);
        Assert.Contains("has 1 parameter(s) but the saved one has 2", Assert.Throws<ArgumentException>(() => one.LoadStateDict(state)).Message);

        var scheduler = new StepLR(sgd, 2).StateDict();
        Assert.Contains("saved by StepLR, not by ExponentialLR", Assert.Throws<ArgumentException>(() => new ExponentialLR(sgd, 0.5).LoadStateDict(scheduler)).Message);
        Assert.Contains("no 'optimizer'", Assert.Throws<ArgumentException>(() => sgd.LoadStateDict(scheduler)).Message);
    }

    [Fact]
    public void LoadedStateIsACopy()
    {
        // Loading another optimizer's live state must not alias its buffers.
        using var p = Tensor.Zeros([2], DType.Float64).RequiresGrad_();
        using var a = new SGD([p], 0.1, momentum: 0.9);
        p.Grad = Tensor.Ones([2], DType.Float64);
        a.Step();
        using var b = new SGD([p], 0.1, momentum: 0.9);
        b.LoadStateDict(a.StateDict());
        b.Step();
        TestUtil.AllClose([1.0, 1.0], a.StateDict().Tensors["state.0.momentum_buffer"].ToArray<double>());
        TestUtil.AllClose([1.9, 1.9], b.StateDict().Tensors["state.0.momentum_buffer"].ToArray<double>());
    }
}

/// <summary>The Learner's optimizer state: saving after one epoch and loading into a fresh learner resumes exactly.</summary>
public class LearnerOptimizerStateTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("learner-state").FullName;

    public void Dispose()
    {
        Directory.Delete(_dir, recursive: true);
        GC.SuppressFinalize(this);
    }

    private static Tensors.Training.Learner MakeLearner(ulong seed)
    {
        using var x = Tensor.Rand([40, 2], new Generator(1));
        using var w = Tensor.From([2f, -3f], 2, 1);
        using var y = x.MatMul(w);
        var dls = new Tensors.Data.DataLoaders(
            new Tensors.Data.DataLoader(new Tensors.Data.TensorDataset(x[..32].Contiguous(), y[..32].Contiguous()), 8),
            new Tensors.Data.DataLoader(new Tensors.Data.TensorDataset(x[32..].Contiguous(), y[32..].Contiguous()), 8));
        return new(dls, new Linear(2, 1, generator: new Generator(seed)), (ps, lr) => new Adam(ps, lr), Functional.MseLoss) { Verbose = false };
    }

    [Fact]
    public void ResumingALearnerMatchesUninterruptedTraining()
    {
        var straight = MakeLearner(2);
        straight.Fit(1, 0.05);
        straight.Fit(1, 0.05);

        var first = MakeLearner(2);
        Assert.Contains("no optimizer until Fit", Assert.Throws<InvalidOperationException>(() => first.SaveOptimizer(Path.Combine(_dir, "x"))).Message);
        first.Fit(1, 0.05);
        first.Model.Save(Path.Combine(_dir, "model.safetensors"));
        first.SaveOptimizer(Path.Combine(_dir, "opt.safetensors"));

        var resumed = MakeLearner(3);
        resumed.Model.Load(Path.Combine(_dir, "model.safetensors"));
        resumed.LoadOptimizer(Path.Combine(_dir, "opt.safetensors"));
        resumed.Fit(1, 0.05);
        foreach (var ((name, a), (_, b)) in straight.Model.NamedParameters().Zip(resumed.Model.NamedParameters()))
            Assert.True(a.ToArray<float>().SequenceEqual(b.ToArray<float>()), $"{name} differs after resuming");
    }
}
