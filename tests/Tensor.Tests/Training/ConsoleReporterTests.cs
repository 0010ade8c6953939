using Spectre.Console;
using Tensors.Training;
using Xunit;

namespace Tensors.Tests.Training;

/// <summary>The console reporter's terminal manners: no escape codes when redirected or under NO_COLOR, no wrapping
/// when redirected, fastai's table either way.</summary>
public class ConsoleReporterTests
{
    private const string Escape = "\u001b";
    private static readonly string LongLine = string.Join(" ", Enumerable.Range(0, 40).Select(i => $"word{i}"));

    private static string Write(Func<StringWriter, IAnsiConsole> make)
    {
        var output = new StringWriter();
        var console = make(output);
        console.MarkupLine("[red]red[/] and [bold]bold[/]");
        console.WriteLine(LongLine);
        return output.ToString();
    }

    [Fact]
    public void ARedirectedConsoleWritesNoEscapeCodesAndDoesNotWrap()
    {
        // The public factory: any writer but the console's own is redirected.
        var text = Write(w => ConsoleReporter.CreateConsole(w));
        Assert.DoesNotContain(Escape, text, StringComparison.Ordinal);
        Assert.Contains(LongLine + Environment.NewLine, text);   // 279 characters on one line
        Assert.Contains("red and bold", text);
        // Even where the terminal would take ANSI codes.
        Assert.DoesNotContain(Escape, Write(w => ConsoleReporter.CreateConsole(w, redirected: true, noColor: false, AnsiSupport.Yes)), StringComparison.Ordinal);
        var console = ConsoleReporter.CreateConsole(new StringWriter());
        Assert.False(console.Profile.Capabilities.Interactive);
        Assert.Equal(ConsoleReporter.RedirectedWidth, console.Profile.Width);
    }

    [Fact]
    public void NoColorMeansNoEscapeCodesOnATerminal()
    {
        // The control: a terminal that takes ANSI codes gets them for colour and bold.
        Assert.Contains(Escape, Write(w => ConsoleReporter.CreateConsole(w, redirected: false, noColor: false, AnsiSupport.Yes)), StringComparison.Ordinal);
        Assert.DoesNotContain(Escape, Write(w => ConsoleReporter.CreateConsole(w, redirected: false, noColor: true, AnsiSupport.Yes)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("", false)]      // no-color.org: set and non-empty
    [InlineData("1", true)]
    [InlineData("false", true)]  // any non-empty value
    public void NoColorIsReadFromTheEnvironment(string? value, bool expected)
    {
        var saved = Environment.GetEnvironmentVariable("NO_COLOR");
        try
        {
            Environment.SetEnvironmentVariable("NO_COLOR", value);
            Assert.Equal(expected, ConsoleReporter.NoColorRequested());
        }
        finally
        {
            Environment.SetEnvironmentVariable("NO_COLOR", saved);
        }
    }

    [Fact]
    public void TheLearnersTableOnARedirectedConsoleIsPlainText()
    {
        var output = new StringWriter();
        var learner = TrainingTestKit.Make(reporter: new ConsoleReporter(ConsoleReporter.CreateConsole(output)));
        learner.FitOneCycle(2, 0.01);
        var text = output.ToString();
        Assert.DoesNotContain(Escape, text, StringComparison.Ordinal);
        var lines = text.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Equal("epoch     train_loss  valid_loss  mae       time", lines[0]);
        Assert.Matches(@"^1 {9}\d\.\d{6} {4}\d\.\d{6} {4}\d\.\d{6}  \d\d:\d\d$", lines[2]);
    }

    [Fact]
    public void AnInteractiveTerminalGetsABarThatIsClearedBeforeEachRow()
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Yes, Interactive = InteractionSupport.Yes, ColorSystem = ColorSystemSupport.NoColors, Out = new AnsiConsoleOutput(output),
        });
        var learner = TrainingTestKit.Make(reporter: new ConsoleReporter(console));
        learner.Fit(2, 0.01);
        // A fit cancelled in the middle of an epoch takes its bar down too (no hang, no bar left running).
        using var cts = new CancellationTokenSource();
        Assert.ThrowsAny<OperationCanceledException>(() => learner.Fit(1, 0.01, new SyncProgress(p =>
        {
            if (p.Batch == 2) cts.Cancel();
        }), cts.Token));
        var text = output.ToString();
        Assert.Contains("epoch 0 ", text);   // the bar, with its cursor control
        Assert.Contains(Escape, text, StringComparison.Ordinal);   // the bar's cursor control
        Assert.Contains("epoch     train_loss  valid_loss  mae       time", text);
        Assert.Matches(@"(?m)\[\?25h1 {9}\d\.\d{6} {4}\d\.\d{6} {4}\d\.\d{6}  \d\d:\d\d", text);
    }
}
