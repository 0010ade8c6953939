using System.Globalization;

namespace Tensors.Optim;

/// <summary>
/// PyTorch's <c>lr_scheduler.LRScheduler</c>: sets the learning rate of every parameter group of an optimizer once
/// per <see cref="Step"/> (call it after <see cref="Optimizer.Step"/>). Creating one records each group's
/// <see cref="ParamGroup.InitialLr"/>; <see cref="GetLastLr"/> gives the rates it set last.
/// </summary>
public abstract class LRScheduler
{
    private double[] _lastLr;

    /// <summary>Starts at epoch 0 with the groups' current learning rates.</summary>
    /// <param name="optimizer">The optimizer whose groups it sets.</param>
    protected LRScheduler(Optimizer optimizer)
    {
        Optimizer = optimizer;
        foreach (var g in optimizer.ParamGroups) g.InitialLr ??= g.Lr;
        _lastLr = CurrentLrs();
    }

    /// <summary>The optimizer whose learning rates this sets.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>How many times <see cref="Step"/> ran (PyTorch's <c>last_epoch</c>, 0 after construction).</summary>
    public int LastEpoch { get; private set; }

    /// <summary>Moves one step along the schedule and sets every group's learning rate.</summary>
    public void Step()
    {
        LastEpoch++;
        Apply();
    }

    /// <summary>The learning rate of each group, as this scheduler set it last (PyTorch's <c>get_last_lr()</c>).</summary>
    public IReadOnlyList<double> GetLastLr() => _lastLr;

    /// <summary>Each group's learning rate at <see cref="LastEpoch"/> (PyTorch's <c>get_lr()</c>); may read and
    /// change other group options, as OneCycleLR's momentum.</summary>
    protected abstract double[] ComputeLrs();

    /// <summary>Sets every group's learning rate from <see cref="ComputeLrs"/> and remembers them.</summary>
    protected void Apply()
    {
        var lrs = ComputeLrs();
        for (int i = 0; i < lrs.Length; i++) Optimizer.ParamGroups[i].Lr = lrs[i];
        _lastLr = lrs;
    }

    /// <summary>The groups' learning rates now.</summary>
    protected double[] CurrentLrs() => Optimizer.ParamGroups.Select(g => g.Lr).ToArray();

    /// <summary>
    /// The scheduler's state (PyTorch's <c>state_dict()</c>): its kind, <see cref="LastEpoch"/> and the last
    /// learning rates. The learning rates themselves live in the optimizer's state dict: restore both.
    /// </summary>
    public SavedState StateDict()
    {
        var state = new SavedState();
        state.Values["scheduler"] = GetType().Name;
        state.Values["last_epoch"] = LastEpoch.ToString(CultureInfo.InvariantCulture);
        for (int i = 0; i < _lastLr.Length; i++) state.SetDouble($"last_lr.{i}", _lastLr[i]);
        return state;
    }

    /// <summary>Restores a state from <see cref="StateDict"/> into a scheduler of the same kind and configuration.</summary>
    /// <param name="state">The saved state.</param>
    /// <exception cref="ArgumentException">The state is another kind of scheduler's or has another number of groups.</exception>
    public void LoadStateDict(SavedState state)
    {
        string name = GetType().Name;
        var saved = state.Get("scheduler", name);
        if (saved != name) throw new ArgumentException($"{name}.LoadStateDict: the state was saved by {saved}, not by {name}.", nameof(state));
        int groups = state.Values.Keys.Count(k => k.StartsWith("last_lr.", StringComparison.Ordinal));
        if (groups != Optimizer.ParamGroups.Count)
            throw new ArgumentException($"{name}.LoadStateDict: the state has {groups} parameter group(s) but the optimizer has {Optimizer.ParamGroups.Count}.", nameof(state));
        long epoch = state.GetLong("last_epoch", name);
        var lastLr = Enumerable.Range(0, groups).Select(i => state.GetDouble($"last_lr.{i}", name)).ToArray();
        (LastEpoch, _lastLr) = ((int)epoch, lastLr);
    }
}
