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

    /// <summary>Moves one step along the schedule and sets every group's learning rate; a step the schedule refuses
    /// changes nothing.</summary>
    public void Step()
    {
        LastEpoch++;
        try
        {
            Apply();
        }
        catch
        {
            LastEpoch--;
            throw;
        }
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
    protected double[] CurrentLrs() => Optimizer.GroupLrs();

    /// <summary>The groups' learning rates now, times <paramref name="factor"/> (PyTorch's chainable form).</summary>
    /// <param name="factor">The factor.</param>
    protected double[] ScaledLrs(double factor) => CurrentLrs().Select(lr => lr * factor).ToArray();

    /// <summary>
    /// The scheduler's state (PyTorch's <c>state_dict()</c>): its kind, <see cref="LastEpoch"/> and the last
    /// learning rates. The learning rates themselves live in the optimizer's state dict: restore both.
    /// </summary>
    public SavedState StateDict()
    {
        var state = SavedState.OfScheduler(GetType().Name, _lastLr);
        state.Values["last_epoch"] = LastEpoch.ToString(CultureInfo.InvariantCulture);
        return state;
    }

    /// <summary>Restores a state from <see cref="StateDict"/> into a scheduler of the same kind and configuration.</summary>
    /// <param name="state">The saved state.</param>
    /// <exception cref="ArgumentException">The state is another kind of scheduler's or has another number of groups.</exception>
    public void LoadStateDict(SavedState state)
    {
        var lastLr = state.SchedulerLastLr(GetType().Name, Optimizer.ParamGroups.Count);
        (LastEpoch, _lastLr) = ((int)state.GetLong("last_epoch", GetType().Name), lastLr);
    }
}
