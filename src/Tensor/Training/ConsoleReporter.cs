using System.Globalization;
using Spectre.Console;

namespace Tensors.Training;

/// <summary>
/// The default <see cref="ILearnerReporter"/>: fastai's table (epoch, train_loss, valid_loss, metrics, time) on a
/// Spectre.Console console, with a progress bar over each epoch's batches only on an interactive terminal that
/// takes ANSI codes. <see cref="CreateConsole(TextWriter?)"/> makes the console it uses by default, with the
/// terminal manners a command-line tool owes: no escape codes when the output is redirected or <c>NO_COLOR</c> is
/// set, and no wrapping when redirected.
/// </summary>
public sealed class ConsoleReporter : ILearnerReporter
{
    /// <summary>The width given to a console whose output is redirected: a file or a pipe has no width, and
    /// Spectre.Console's default of 80 would wrap longer lines.</summary>
    public const int RedirectedWidth = 4096;

    private string[] _columns = [];
    private (TaskCompletionSource Done, Task Running, ProgressTask Task)? _bar;

    /// <summary>Reports to <paramref name="console"/>.</summary>
    /// <param name="console">Where the table and bar go; by default (null) <see cref="CreateConsole(TextWriter?)"/>
    /// on standard output.</param>
    public ConsoleReporter(IAnsiConsole? console = null) => Console = console ?? CreateConsole();

    /// <summary>Where the table and the progress bar go.</summary>
    public IAnsiConsole Console { get; }

    /// <summary>
    /// A console writing to <paramref name="output"/> (standard output by default) with terminal manners: when the
    /// output is redirected (or is any writer other than the console's), no ANSI escape codes, no progress bars
    /// (not interactive) and <see cref="RedirectedWidth"/> columns, so lines are not wrapped; when the
    /// <c>NO_COLOR</c> environment variable is set to anything non-empty (https://no-color.org), no escape codes
    /// either (so no colours and no progress bars); otherwise Spectre.Console's detection.
    /// </summary>
    /// <param name="output">The writer; by default (null) <see cref="System.Console.Out"/>.</param>
    public static IAnsiConsole CreateConsole(TextWriter? output = null)
    {
        bool redirected = output is null ? System.Console.IsOutputRedirected : !ReferenceEquals(output, System.Console.Out) || System.Console.IsOutputRedirected;
        return CreateConsole(output ?? System.Console.Out, redirected, NoColorRequested(), AnsiSupport.Detect);
    }

    /// <summary>True when the <c>NO_COLOR</c> environment variable is set to a non-empty value (https://no-color.org).</summary>
    internal static bool NoColorRequested() => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));

    /// <summary>As <see cref="CreateConsole(TextWriter?)"/>, with what it detects given (for tests).</summary>
    internal static IAnsiConsole CreateConsole(TextWriter output, bool redirected, bool noColor, AnsiSupport terminalAnsi)
    {
        bool plain = redirected || noColor;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = plain ? AnsiSupport.No : terminalAnsi,
            ColorSystem = plain ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = redirected ? InteractionSupport.No : InteractionSupport.Detect,
            Out = new AnsiConsoleOutput(output),
        });
        if (redirected) console.Profile.Width = RedirectedWidth;
        return console;
    }

    /// <inheritdoc />
    public void FitStarted(IReadOnlyList<string> names, int firstEpoch, int epochs)
    {
        ArgumentNullException.ThrowIfNull(names);
        // fastprogress's console table: names padded to 8, joined by two spaces; each value left-aligned under its name.
        _columns = new[] { "epoch" }.Concat(names).Append("time").Select(c => c.PadRight(8)).ToArray();
        Console.Profile.Out.Writer.WriteLine(string.Join("  ", _columns).TrimEnd());
    }

    /// <inheritdoc />
    public void EpochStarted(int epoch, int batches)
    {
        var caps = Console.Profile.Capabilities;
        if (!caps.Interactive || !caps.Ansi) return;
        // Spectre's progress display runs a callback until it returns; the loop is the learner's, so the callback
        // waits on a signal that EpochEnded or FitEnded gives, and the batches advance the task meanwhile.
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var ready = new TaskCompletionSource<ProgressTask>(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = Console.Progress().AutoClear(true).StartAsync(async ctx =>
        {
            ready.SetResult(ctx.AddTask($"epoch {epoch}", maxValue: batches));
            await done.Task.ConfigureAwait(false);
        });
        if (Task.WaitAny(ready.Task, running) == 1) running.GetAwaiter().GetResult(); // it failed to start
        _bar = (done, running, ready.Task.Result);
    }

    /// <inheritdoc />
    public void BatchEnded(TrainingProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        if (_bar is { } bar) bar.Task.Value = progress.Batch;   // not +1: a resumed epoch starts part way
    }

    /// <inheritdoc />
    public void EpochEnded(int epoch, IReadOnlyList<double> values, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(values);
        EndBar();
        var cells = new[] { epoch.ToString(CultureInfo.InvariantCulture) }
            .Concat(values.Select(v => v.ToString("F6", CultureInfo.InvariantCulture)))
            .Append(elapsed.ToString(@"mm\:ss", CultureInfo.InvariantCulture));
        Console.Profile.Out.Writer.WriteLine(string.Concat(cells.Select((text, i) => text.PadRight((i < _columns.Length ? _columns[i].Length : 8) + 2))).TrimEnd());
    }

    /// <inheritdoc />
    public void FitEnded(FitStatus status) => EndBar();

    private void EndBar()
    {
        if (_bar is not { } bar) return;
        _bar = null;
        bar.Done.SetResult();
        bar.Running.GetAwaiter().GetResult();
    }
}
