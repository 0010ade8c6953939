using System.Globalization;
using System.Text.Json;
using Tensors.NN;
using Tensors.Optim;

namespace Tensors.Training;

// Checkpoints: everything a fit needs to go on exactly where it stopped, in one safetensors file.
public sealed partial class Learner
{
    private const string CheckpointKind = "Tensors.Training.Learner";
    private const string CheckpointVersion = "1";

    // The scheduler state a loaded checkpoint holds until Resume makes the scheduler.
    private SavedState? _pendingScheduler;

    /// <summary>
    /// Writes a checkpoint to <paramref name="path"/> (one safetensors file): the model's state dict, the
    /// optimizer's state, the <see cref="Recorder"/>, the fit in progress (Fit or FitOneCycle, its epochs and
    /// learning rate, the epochs done and the scheduler's position) and the random state of the data order (the
    /// loaders' shuffling generators), of the model's <see cref="Dropout"/> layers and of
    /// <see cref="Generator.Default"/>. <see cref="LoadCheckpoint"/> into a learner built the same way, then
    /// <see cref="Resume"/>, trains on exactly as if the fit had not stopped. The file is written beside the target
    /// and moved over it at the end, so a failed save never leaves a half-written checkpoint or destroys an
    /// earlier one.
    /// <para>Take it before or after a fit, after a fit was cancelled (even in the middle of an epoch: the
    /// epoch goes on from the next batch, with its order and smoothed loss), or from a callback's <c>AfterEpoch</c>
    /// or <c>AfterBatch</c>.</para></summary>
    /// <param name="path">The file to write (replaced if it exists).</param>
    public void SaveCheckpoint(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var meta = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["checkpoint"] = CheckpointKind, ["version"] = CheckpointVersion,
            ["recorder.names"] = JsonSerializer.Serialize(Recorder.Names),
            ["recorder.iters"] = JsonSerializer.Serialize(Recorder.Iterations),
        };
        // The model's entries and the recorder's are ours to dispose; the optimizer's state tensors are its own.
        var owned = Model.StateDict().Select(kv => ("model." + kv.Key, kv.Value)).ToList();
        owned.Add(("recorder.values", Tensor.From(Recorder.Values.SelectMany(row => row).ToArray(), Recorder.Values.Count, Recorder.Names.Count)));
        owned.Add(("recorder.losses", Tensor.From(Recorder.Losses.ToArray())));
        owned.Add(("recorder.lrs", Tensor.From(Recorder.LearningRates.ToArray())));
        var tensors = new List<(string, Tensor)>(owned);
        try
        {
            if (Optimizer is not null) Add("optimizer.", Optimizer.StateDict());
            if ((_scheduler?.StateDict() ?? _pendingScheduler) is { } scheduler) Add("scheduler.", scheduler);
            if (_plan is { } plan)
            {
                meta["fit.kind"] = plan.Code;
                meta["fit.epochs"] = Text(plan.Epochs);
                meta["fit.lr"] = plan.Lr.ToString("R", CultureInfo.InvariantCulture);
                meta["fit.epochs_done"] = Text(_epochsDone);
                meta["fit.batches"] = Text(Dls.Train.Count);
                meta["fit.batches_done"] = Text(_batchesDone);
                meta["fit.smoothing"] = _smoothLoss.Average.ToString("R", CultureInfo.InvariantCulture);
                meta["fit.epoch_order_position"] = Text(_epochOrderPosition);
            }
            foreach (var (key, generator) in Generators().Append((DefaultGeneratorKey, Generator.Default)))
            {
                meta[key + ".seed"] = Text(generator.Seed);
                meta[key + ".position"] = Text(generator.Position);
            }
            Safetensors.Save(path, tensors, meta);
        }
        finally
        {
            foreach (var (_, t) in owned) t.Dispose();
        }

        void Add(string prefix, SavedState state)
        {
            foreach (var (key, value) in state.Values) meta[prefix + key] = value;
            tensors.AddRange(state.Tensors.Select(kv => (prefix + kv.Key, kv.Value)));
        }
    }

    /// <summary>
    /// Restores a checkpoint written by <see cref="SaveCheckpoint"/> into this learner, which must be built as the
    /// saved one was (the same model, optimizer kind and parameter groups, loaders with the same seeds): the
    /// model's parameters and buffers, the optimizer's state (made with the factory first if fitting has not
    /// started), the <see cref="Recorder"/>, the fit it was taken in and every random state it saved (including
    /// <see cref="Generator.Default"/>'s position, which is process-wide). Everything is read and checked before
    /// anything changes, so a missing, foreign or incompatible file leaves the learner as it was. Then
    /// <see cref="Resume"/> finishes that fit, or Fit/FitOneCycle start a new one.</summary>
    /// <param name="path">The file to read.</param>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">The file is not a learner checkpoint (or is corrupt), or it does not
    /// fit this learner (model names or shapes, optimizer, loader seeds, dropout layers).</exception>
    public void LoadCheckpoint(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"LoadCheckpoint: there is no file '{path}'.", path);
        using var file = Safetensors.Load(path, memoryMap: false);
        var saved = new CheckpointReader(file, path).Read(this);   // everything read and checked before anything changes

        // The model, then the optimizer (made first if fitting has not started); a failure of the optimizer puts
        // the model back, so that nothing changes.
        var before = Model.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.Clone());
        try
        {
            try { Model.LoadStateDict(saved.Model); }
            catch (ArgumentException e) { throw saved.Bad($"does not fit this learner's model: {e.Message}", e); }
            var optimizer = saved.Optimizer is null ? null : Optimizer ?? OptimizerFactory(Model.Parameters(), saved.Plan?.Lr ?? 1e-3);
            try { optimizer?.LoadStateDict(saved.Optimizer!); }
            catch (ArgumentException e)
            {
                Model.LoadStateDict(before);
                throw saved.Bad($"does not fit this learner's optimizer: {e.Message}", e);
            }
            Optimizer = optimizer;
        }
        finally
        {
            foreach (var t in before.Values) t.Dispose();
        }

        Recorder.Replace(saved.Recorder);
        (_plan, _epochsDone, _batchesDone, _scheduler, _pendingScheduler) = (saved.Plan, saved.EpochsDone, saved.BatchesDone, null, saved.Scheduler);
        (_smoothLoss, _epochOrderPosition, Epoch) = (new SmoothLoss(saved.Smoothing, saved.BatchesDone), saved.EpochOrderPosition, saved.EpochsDone);
        foreach (var (generator, position) in saved.Positions) generator.Position = position;
        Generator.Default = saved.DefaultGenerator;
    }

    /// <summary>
    /// Finishes the fit that a checkpoint was taken in (after <see cref="LoadCheckpoint"/>), or one that was
    /// cancelled: trains on from the batch after the last one that ran, with the epoch's data order, its smoothed
    /// loss and the learning rate schedule where they stopped, so that the weights and the <see cref="Recorder"/>
    /// come out as from the fit run straight through. An epoch resumed part way runs the callbacks'
    /// <c>BeforeEpoch</c> again, and its time in the table counts from the resumption.
    /// </summary>
    /// <param name="progress">Told after every training batch where the fit is; none by default (null).</param>
    /// <param name="cancellationToken">Stops the fit between batches, as in <see cref="FitOneCycle"/>; by default none.</param>
    /// <exception cref="InvalidOperationException">There is no fit to resume (none was started or loaded, or it ran
    /// all its epochs), or a loader has no batches.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled before the fit finished.</exception>
    public void Resume(IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var plan = _plan ?? throw new InvalidOperationException("Resume: there is no fit to resume; load a checkpoint taken during a Fit or FitOneCycle, or start one.");
        if (_epochsDone >= plan.Epochs)
            throw new InvalidOperationException($"Resume: the {plan.Name} ran all its {plan.Epochs} epoch(s); start a new one with Fit or FitOneCycle.");
        if (Dls.Train.Count == 0 || Dls.Valid.Count == 0)
            throw new InvalidOperationException($"Resume: a loader has no batches (training {Dls.Train.Count}, validation {Dls.Valid.Count}).");
        cancellationToken.ThrowIfCancellationRequested();
        var optimizer = Optimizer!;
        if (_scheduler is null && plan.Kind == FitKind.OneCycle)
        {
            // Making the scheduler applies its starting values; the saved optimizer state already holds the
            // values of where it stopped, so they are put back before the scheduler is moved there.
            var options = optimizer.ParamGroups.Select(g => g.Options.ToList()).ToList();
            _scheduler = plan.MakeScheduler(optimizer, Dls.Train.Count)!;
            for (int g = 0; g < options.Count; g++) optimizer.ParamGroups[g].ReplaceOptions(options[g]);
            _scheduler.LoadStateDict(_pendingScheduler!);
            _pendingScheduler = null;
        }
        Run(progress, cancellationToken);
    }

    // The random streams a fit draws from, by checkpoint key: the loaders' shuffles and the model's dropout layers
    // that have their own generator. The default generator (dropout without one, and anything else) is saved too and
    // replaced on load, seed and all, as PyTorch's set_rng_state does.
    private IEnumerable<(string Key, Generator Generator)> Generators()
    {
        yield return ("random.train_loader", Dls.Train.ShuffleGenerator);
        yield return ("random.valid_loader", Dls.Valid.ShuffleGenerator);
        foreach (var (name, module) in Model.NamedModules())
            if (module is Dropout { Generator: { } g }) yield return ($"random.model.{name}", g);
    }

    private const string DefaultGeneratorKey = "random.default";

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
    private static string Text(ulong value) => value.ToString(CultureInfo.InvariantCulture);
}
