using System.Diagnostics;
using Tensors.Data;
using Tensors.NN;
using Tensors.Optim;

namespace Tensors.Training;

/// <summary>
/// fastai's Learner: a model, its data, an optimizer factory, a loss and metrics, trained with <see cref="Fit"/> or
/// <see cref="FitOneCycle"/>. Reports each fit to <see cref="Reporter"/> (by default fastai's table with a progress
/// bar on the console) and records the values. Each batch runs inside a <see cref="DisposeScope"/>, so temporaries
/// never pile up.
/// </summary>
public sealed partial class Learner
{
    private ILearnerReporter? _reporter;
    // The fit in progress (or the last one) and how far it got, which a checkpoint saves so that it can resume.
    private FitPlan? _plan;
    private Scheduler? _scheduler;
    private int _epochsDone;
    private int _batchesDone;
    // Within the epoch in progress: the training loader's random position before it drew the epoch's order, and
    // fastai's smoothed loss over the epoch's batches so far.
    private ulong _epochOrderPosition;
    private SmoothLoss _smoothLoss = new();

    /// <summary>Creates a learner; the optimizer is made by <paramref name="optimizerFactory"/>(parameters, lr) when
    /// fitting starts.</summary>
    /// <param name="dls">The training and validation data.</param>
    /// <param name="model">The model to train.</param>
    /// <param name="optimizerFactory">Makes the optimizer from the model's parameters and the learning rate (fastai's
    /// <c>opt_func</c>), e.g. <c>(ps, lr) =&gt; new SGD(ps, lr)</c>.</param>
    /// <param name="lossFunction">loss(predictions, targets), returning a one-element tensor (fastai's
    /// <c>loss_func</c>).</param>
    /// <param name="metrics">Measured on the validation set after each epoch; none by default.</param>
    public Learner(DataLoaders dls, Module model, Func<IEnumerable<Tensor>, double, Optimizer> optimizerFactory,
        Func<Tensor, Tensor, Tensor> lossFunction, params Metric[] metrics)
    {
        Dls = dls;
        Model = model;
        OptimizerFactory = optimizerFactory;
        LossFunction = lossFunction;
        Metrics = metrics;
    }

    /// <summary>The data.</summary>
    public DataLoaders Dls { get; }
    /// <summary>The model.</summary>
    public Module Model { get; }
    /// <summary>Makes the optimizer from the parameters and learning rate.</summary>
    public Func<IEnumerable<Tensor>, double, Optimizer> OptimizerFactory { get; }
    /// <summary>loss(predictions, targets).</summary>
    public Func<Tensor, Tensor, Tensor> LossFunction { get; }
    /// <summary>Measured on the validation set after each epoch.</summary>
    public IReadOnlyList<Metric> Metrics { get; }
    /// <summary>The optimizer, once fitting has started (kept across Fit calls, as in fastai).</summary>
    public Optimizer? Optimizer { get; private set; }
    /// <summary>Every value recorded so far.</summary>
    public Recorder Recorder { get; } = new();
    /// <summary>Hooks run at each stage.</summary>
    public List<Callback> Callbacks { get; } = new();

    /// <summary>Where fits are reported: by default a <see cref="ConsoleReporter"/> on standard output (fastai's
    /// table, and a progress bar on an interactive terminal); <see cref="QuietReporter.Instance"/> for nothing, or
    /// one's own.</summary>
    /// <exception cref="ArgumentNullException">Set to null (use <see cref="QuietReporter.Instance"/>).</exception>
    public ILearnerReporter Reporter
    {
        get => _reporter ??= new ConsoleReporter();
        set => _reporter = value ?? throw new ArgumentNullException(nameof(value), "Learner.Reporter: use QuietReporter.Instance to report nothing.");
    }

    /// <summary>Set false to report nothing (the <see cref="Reporter"/> is not called).</summary>
    public bool Verbose { get; set; } = true;
    /// <summary>The epoch being trained (0-based).</summary>
    public int Epoch { get; private set; }
    /// <summary>The current training batch, during BeforeBatch and AfterBatch.</summary>
    public (Tensor Input, Tensor Target) Batch { get; private set; }
    /// <summary>The current batch's loss, during AfterBatch.</summary>
    public double Loss { get; private set; }

    /// <summary>Writes the optimizer's state (momentum buffers, moments, step counts, every group's hyperparameters)
    /// to a safetensors file, so that a later <see cref="LoadOptimizer"/> resumes training exactly; save the model
    /// beside it with <c>Model.Save</c>, or save both and the rest with <see cref="SaveCheckpoint"/>.</summary>
    /// <param name="path">The file to write.</param>
    /// <exception cref="InvalidOperationException">Fitting has not started, so there is no optimizer yet.</exception>
    public void SaveOptimizer(string path) =>
        (Optimizer ?? throw new InvalidOperationException("SaveOptimizer: the learner has no optimizer until Fit or FitOneCycle has run.")).Save(path);

    /// <summary>Restores an optimizer state written by <see cref="SaveOptimizer"/>, first making the optimizer with
    /// the factory when fitting has not started (fastai's <c>create_opt</c>); the next Fit sets its learning rate.</summary>
    /// <param name="path">The file to read.</param>
    public void LoadOptimizer(string path)
    {
        Optimizer ??= OptimizerFactory(Model.Parameters(), 1e-3);
        Optimizer.Load(path);
    }

    /// <summary>Trains for <paramref name="epochs"/> epochs at a constant learning rate (fastai's <c>fit</c>).</summary>
    /// <param name="epochs">The number of epochs; positive.</param>
    /// <param name="lr">The learning rate.</param>
    /// <param name="progress">Told after every training batch where the fit is (see <see cref="TrainingProgress"/>);
    /// none by default (null). It is called on the training thread (a <see cref="Progress{T}"/> posts to its
    /// synchronization context).</param>
    /// <param name="cancellationToken">Stops the fit between batches: see <see cref="FitOneCycle"/>; by default none.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epochs"/> is not positive.</exception>
    /// <exception cref="InvalidOperationException">A loader has no batches.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled before the fit finished.</exception>
    public void Fit(int epochs, double lr, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Start(new FitPlan(FitKind.Constant, epochs, lr), progress, cancellationToken);

    /// <summary>Trains with fastai's one-cycle schedule peaking at <paramref name="maxLr"/> (fastai's
    /// <c>fit_one_cycle</c>).
    /// <para>Cancellation, as .NET methods do it: when <paramref name="cancellationToken"/> is cancelled the fit
    /// stops after the batch in progress (its optimizer step, scheduler step and callbacks done), runs the
    /// callbacks' <c>AfterFit</c>, and throws <see cref="OperationCanceledException"/>. The model and the optimizer
    /// are then as after that batch, the <see cref="Recorder"/> holds every batch that ran and a row for every
    /// epoch that was validated (the epoch in progress gets none), and <see cref="Epoch"/> is the epoch that was
    /// stopped. A token cancelled before the call throws at once, training nothing. <see cref="Resume"/> goes on
    /// from there, and <see cref="SaveCheckpoint"/> saves it to go on later.</para></summary>
    /// <param name="epochs">The number of epochs; positive.</param>
    /// <param name="maxLr">The peak learning rate.</param>
    /// <param name="progress">Told after every training batch where the fit is (see <see cref="TrainingProgress"/>);
    /// none by default (null). It is called on the training thread (a <see cref="Progress{T}"/> posts to its
    /// synchronization context).</param>
    /// <param name="cancellationToken">Stops the fit between batches, as described above; by default none.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epochs"/> is not positive.</exception>
    /// <exception cref="InvalidOperationException">A loader has no batches.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled before the fit finished.</exception>
    public void FitOneCycle(int epochs, double maxLr, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Start(new FitPlan(FitKind.OneCycle, epochs, maxLr), progress, cancellationToken);

    private void Start(FitPlan plan, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        string op = plan.Kind == FitKind.OneCycle ? "FitOneCycle" : "Fit";
        if (plan.Epochs <= 0) throw new ArgumentOutOfRangeException("epochs", plan.Epochs, $"{op}: epochs must be positive.");
        if (Dls.Train.Count == 0)
            throw new InvalidOperationException(
                $"{op}: the training loader has no batches ({Dls.Train.Dataset.Count} items, batch size {Dls.Train.BatchSize}); give it data or a smaller batch size.");
        if (Dls.Valid.Count == 0)
            throw new InvalidOperationException($"{op}: the validation loader has no batches ({Dls.Valid.Dataset.Count} items, batch size {Dls.Valid.BatchSize}).");
        cancellationToken.ThrowIfCancellationRequested();
        Optimizer ??= OptimizerFactory(Model.Parameters(), plan.Lr);
        Optimizer.LearningRate = plan.Lr;
        (_plan, _epochsDone, _batchesDone, _pendingScheduler) = (plan, 0, 0, null);
        _scheduler = plan.MakeScheduler(Optimizer, Dls.Train.Count);
        Run(progress, cancellationToken);
    }

    // Trains the plan's epochs from _epochsDone on, with _scheduler where it stands.
    private void Run(IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var plan = _plan!;
        if (Recorder.Names.Count == 0) Recorder.Names.AddRange(["train_loss", "valid_loss", .. Metrics.Select(m => m.Name)]);
        var reporter = Verbose ? Reporter : QuietReporter.Instance;
        reporter.FitStarted(Recorder.Names, _epochsDone, plan.Epochs);
        var status = FitStatus.Faulted;
        try
        {
            Callbacks.ForEach(c => c.BeforeFit(this));
            bool cancelled = false;
            for (Epoch = _epochsDone; Epoch < plan.Epochs; Epoch++)
            {
                var clock = Stopwatch.StartNew();
                if (cancellationToken.IsCancellationRequested || TrainEpoch(plan, reporter, progress, cancellationToken) is not { } trainLoss)
                {
                    cancelled = true;
                    break;
                }
                var (validLoss, metrics) = Validate();
                double[] row = [trainLoss, validLoss, .. metrics];
                Recorder.Values.Add(row);
                Recorder.Iterations.Add(Recorder.Losses.Count);
                (_epochsDone, _batchesDone) = (_epochsDone + 1, 0);
                reporter.EpochEnded(Epoch, row, clock.Elapsed);
                Callbacks.ForEach(c => c.AfterEpoch(this));
            }
            Callbacks.ForEach(c => c.AfterFit(this));
            status = cancelled ? FitStatus.Cancelled : FitStatus.Completed;
        }
        finally
        {
            reporter.FitEnded(status);
        }
        if (status == FitStatus.Cancelled) throw new OperationCanceledException($"{plan.Name}: cancelled in epoch {Epoch} after {_batchesDone} of {Dls.Train.Count} batches.", cancellationToken);
    }

    // One epoch's training batches, from _batchesDone on (past 0 when resuming in the middle of the epoch); the
    // smoothed loss, or null when cancelled before the epoch's end.
    private double? TrainEpoch(FitPlan plan, ILearnerReporter reporter, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        Model.Train();
        Callbacks.ForEach(c => c.BeforeEpoch(this));
        int batches = Dls.Train.Count;
        reporter.EpochStarted(Epoch, batches);
        var shuffle = Dls.Train.ShuffleGenerator;
        if (_batchesDone == 0) (_epochOrderPosition, _smoothLoss) = (shuffle.Position, new SmoothLoss());
        else shuffle.Position = _epochOrderPosition;   // resuming: the epoch's order again, its first batches skipped
        foreach (var raw in Dls.Train.Batches(_batchesDone))
        {
            var batch = DataLoader.MoveTo(raw, Model.Device);
            double lr;
            using (var scope = DisposeScope.Enter())
            {
                Batch = batch;
                Callbacks.ForEach(c => c.BeforeBatch(this));
                lr = Optimizer!.LearningRate;   // after BeforeBatch, which may set it
                Recorder.LearningRates.Add(lr);
                Loss = TrainBatch(batch);
                _scheduler?.Step();
                Recorder.Losses.Add(Loss);
                _smoothLoss.Add(Loss);
                _batchesDone++;
                Callbacks.ForEach(c => c.AfterBatch(this));
            }
            batch.Input.Dispose();
            batch.Target.Dispose();
            var report = new TrainingProgress(Epoch, plan.Epochs, _batchesDone, batches, Loss, _smoothLoss.Value, lr);
            reporter.BatchEnded(report);
            progress?.Report(report);
            if (cancellationToken.IsCancellationRequested) return null;
        }
        return _smoothLoss.Value;
    }

    /// <summary>One training step on <paramref name="batch"/> (forward, loss, backward, optimizer step, gradients
    /// cleared), inside the caller's dispose scope; returns the batch's loss.</summary>
    private double TrainBatch((Tensor Input, Tensor Target) batch)
    {
        var predictions = Model.Forward(batch.Input);
        var loss = LossFunction(predictions, batch.Target);
        loss.Backward();
        Optimizer!.Step();
        Optimizer.ZeroGrad();
        return loss.Item<double>();
    }

    private (double Loss, double[] Metrics) Validate()
    {
        Model.Eval();
        using var _ = Autograd.NoGrad();
        double lossSum = 0;
        var metricSums = new double[Metrics.Count];
        int n = 0;
        foreach (var raw in Dls.Valid)
        {
            var batch = DataLoader.MoveTo(raw, Model.Device);
            using (DisposeScope.Enter())
            {
                int size = batch.Input.Layout.Shape[0];
                var predictions = Model.Forward(batch.Input);
                lossSum += LossFunction(predictions, batch.Target).Item<double>() * size;
                for (int i = 0; i < Metrics.Count; i++) metricSums[i] += Metrics[i].Compute(predictions, batch.Target).Item<double>() * size;
                n += size;
            }
            batch.Input.Dispose();
            batch.Target.Dispose();
        }
        return (lossSum / n, metricSums.Select(s => s / n).ToArray());
    }

    /// <summary>How a fit schedules its learning rate: the parameters of a Fit or FitOneCycle call.</summary>
    private sealed record FitPlan(FitKind Kind, int Epochs, double Lr)
    {
        public string Name => Kind == FitKind.OneCycle ? "FitOneCycle" : "Fit";
        public string Code => Kind == FitKind.OneCycle ? "fit_one_cycle" : "fit";
        public Scheduler? MakeScheduler(Optimizer optimizer, int batches) =>
            Kind == FitKind.OneCycle ? Scheduler.OneCycle(optimizer, Epochs * batches, Lr) : null;
    }

    private enum FitKind { Constant, OneCycle }
}
