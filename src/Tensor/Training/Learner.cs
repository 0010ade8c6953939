using System.Diagnostics;
using Spectre.Console;
using Tensors.Data;
using Tensors.NN;
using Tensors.Optim;

namespace Tensors.Training;

/// <summary>
/// fastai's Learner: a model, its data, an optimizer factory, a loss and metrics, trained with <see cref="Fit"/> or
/// <see cref="FitOneCycle"/>. Prints fastai's table (epoch, train_loss, valid_loss, metrics, time) with a progress
/// bar, and records the values. Each batch runs inside a <see cref="DisposeScope"/>, so temporaries never pile up.
/// </summary>
public sealed partial class Learner
{
    /// <summary>Creates a learner; the optimizer is made by <paramref name="optimizerFactory"/>(parameters, lr) when
    /// fitting starts.</summary>
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
    /// <summary>Where the table and progress bar go.</summary>
    public IAnsiConsole Console { get; set; } = AnsiConsole.Console;
    /// <summary>Set false to print nothing.</summary>
    public bool Verbose { get; set; } = true;
    /// <summary>The epoch being trained (0-based).</summary>
    public int Epoch { get; private set; }
    /// <summary>The current training batch, during BeforeBatch and AfterBatch.</summary>
    public (Tensor Input, Tensor Target) Batch { get; private set; }
    /// <summary>The current batch's loss, during AfterBatch.</summary>
    public double Loss { get; private set; }

    /// <summary>Writes the optimizer's state (momentum buffers, moments, step counts, every group's hyperparameters)
    /// to a safetensors file, so that a later <see cref="LoadOptimizer"/> resumes training exactly; save the model
    /// beside it with <c>Model.Save</c>.</summary>
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

    /// <summary>Trains for <paramref name="epochs"/> epochs at a constant learning rate.</summary>
    public void Fit(int epochs, double lr) => Run(epochs, lr, null);

    /// <summary>Trains with fastai's one-cycle schedule peaking at <paramref name="maxLr"/>.</summary>
    public void FitOneCycle(int epochs, double maxLr) =>
        Run(epochs, maxLr, opt => Scheduler.OneCycle(opt, epochs * Dls.Train.Count, maxLr));

    private void Run(int epochs, double lr, Func<Optimizer, Scheduler>? schedule)
    {
        if (epochs <= 0) throw new ArgumentOutOfRangeException(nameof(epochs), epochs, "Fit: epochs must be positive.");
        if (Dls.Train.Count == 0)
            throw new InvalidOperationException(
                $"Fit: the training loader has no batches ({Dls.Train.Dataset.Count} items, batch size {Dls.Train.BatchSize}); give it data or a smaller batch size.");
        if (Dls.Valid.Count == 0)
            throw new InvalidOperationException($"Fit: the validation loader has no batches ({Dls.Valid.Dataset.Count} items, batch size {Dls.Valid.BatchSize}).");
        Optimizer ??= OptimizerFactory(Model.Parameters(), lr);
        Optimizer.LearningRate = lr;
        var scheduler = schedule?.Invoke(Optimizer);
        if (Recorder.Names.Count == 0) Recorder.Names.AddRange(["train_loss", "valid_loss", .. Metrics.Select(m => m.Name)]);
        // fastprogress's console table: names padded to 8, joined by two spaces; each value left-aligned under its name.
        var columns = new[] { "epoch" }.Concat(Recorder.Names).Append("time").Select(c => c.PadRight(8)).ToArray();
        if (Verbose) Console.WriteLine(string.Join("  ", columns).TrimEnd());
        Callbacks.ForEach(c => c.BeforeFit(this));
        for (Epoch = 0; Epoch < epochs; Epoch++)
        {
            var clock = Stopwatch.StartNew();
            double trainLoss = TrainEpoch(scheduler);
            var (validLoss, metrics) = Validate();
            double[] row = [trainLoss, validLoss, .. metrics];
            Recorder.Values.Add(row);
            Recorder.Iterations.Add(Recorder.Losses.Count);
            if (Verbose)
                Console.WriteLine(string.Concat(new[] { Epoch.ToString() }
                    .Concat(row.Select(v => v.ToString("F6", System.Globalization.CultureInfo.InvariantCulture)))
                    .Append(clock.Elapsed.ToString(@"mm\:ss"))
                    .Select((text, i) => text.PadRight(columns[i].Length + 2))).TrimEnd());
            Callbacks.ForEach(c => c.AfterEpoch(this));
        }
        Callbacks.ForEach(c => c.AfterFit(this));
    }

    private double TrainEpoch(Scheduler? scheduler)
    {
        Model.Train();
        Callbacks.ForEach(c => c.BeforeEpoch(this));
        var smooth = new SmoothLoss();
        void Loop(Action? tick)
        {
            foreach (var raw in Dls.Train)
            {
                var batch = DataLoader.MoveTo(raw, Model.Device);
                using (var scope = DisposeScope.Enter())
                {
                    Batch = batch;
                    Callbacks.ForEach(c => c.BeforeBatch(this));
                    Recorder.LearningRates.Add(Optimizer!.LearningRate);
                    Loss = TrainBatch(batch);
                    scheduler?.Step();
                    Recorder.Losses.Add(Loss);
                    smooth.Add(Loss);
                    Callbacks.ForEach(c => c.AfterBatch(this));
                }
                batch.Input.Dispose();
                batch.Target.Dispose();
                tick?.Invoke();
            }
        }
        if (Verbose && Console.Profile.Capabilities.Interactive)
            Console.Progress().AutoClear(true).Start(ctx =>
            {
                var task = ctx.AddTask($"epoch {Epoch}", maxValue: Dls.Train.Count);
                Loop(() => task.Increment(1));
            });
        else Loop(null);
        return smooth.Value;
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
}
