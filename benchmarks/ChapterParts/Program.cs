// The chapter sample (samples/MnistBasics), part by part, in this fresh process:
//     dotnet ChapterParts.dll --data DIR [--parts 1,2,3,4,5,6] [--passes 2] [--json FILE]
// Pass 1 is what a user's run costs (each part's first calls pay the JIT); later passes run the same parts again in
// this process, compiled, so pass 1 minus the last pass is what the first calls cost. Each part is timed twice:
// wall clock ("passes") and the CPU time of the whole process ("cpu_passes": every thread, the JIT's background
// compiles and the library's worker threads included), which other processes on a shared machine disturb much
// less. And what the JIT did during each part, from the runtime's own counters (System.Runtime.JitInfo): methods
// compiled ("jit_methods": every tier, so a method compiled at tier 0 then tier 1 counts twice) and the time spent
// compiling them ("jit_seconds", all threads). The chapter's own console output is discarded; the figures go to
// --json (and stdout) as {"process_to_main_s", "load_data_s", "passes": [{part: seconds}, ...], "cpu_passes",
// "jit_methods", "jit_seconds"}.
using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;
using Tensors.Samples.MnistBasics;
using Tensors.Samples.MnistBasics.Data;

double toMain = (DateTime.Now - Process.GetCurrentProcess().StartTime).TotalSeconds;
string? dataDir = null, json = null;
int[] parts = [1, 2, 3, 4, 5, 6];
int passes = 2;
for (int i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"ChapterParts: {args[i]} needs a value");
    switch (args[i])
    {
        case "--data": dataDir = Next(); break;
        case "--json": json = Next(); break;
        case "--parts": parts = Next().Split(',').Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray(); break;
        case "--passes": passes = int.Parse(Next(), CultureInfo.InvariantCulture); break;
        default:
            Console.Error.WriteLine($"ChapterParts: unknown option '{args[i]}'; usage: ChapterParts --data DIR [--parts 1,2,...] [--passes N] [--json FILE]");
            return 2;
    }
}
string? why = dataDir is null ? "needed (a folder with the MNIST IDX files or MNIST_SAMPLE)" : MnistSample.WhyNotData(dataDir);
if (why is not null)
{
    Console.Error.WriteLine($"ChapterParts: --data: {why}");
    return 2;
}

var quiet = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null), Interactive = InteractionSupport.No });
var clock = Stopwatch.StartNew();
using var data = MnistSample.Load(dataDir!);
double load = clock.Elapsed.TotalSeconds;
string outDir = Path.Combine(Path.GetTempPath(), $"chapter-parts-{Environment.ProcessId}");
var report = new JsonObject { ["process_to_main_s"] = Math.Round(toMain, 3), ["load_data_s"] = Math.Round(load, 3) };
var (wall, cpu, jitMethods, jitSeconds) = (new JsonArray(), new JsonArray(), new JsonArray(), new JsonArray());
var process = Process.GetCurrentProcess();
for (int pass = 0; pass < passes; pass++)
{
    // One chapter per pass, its parts run one at a time in order: the state a part leaves for the next (the stacked
    // images) carries over as in the sample's own run.
    var chapter = new Chapter(data, quiet, outDir, seed: 42);
    var (w, c, jm, js) = (new JsonObject(), new JsonObject(), new JsonObject(), new JsonObject());
    foreach (int part in parts)
    {
        process.Refresh();
        var cpu0 = process.TotalProcessorTime;
        long methods0 = JitInfo.GetCompiledMethodCount();
        var jit0 = JitInfo.GetCompilationTime();
        var partClock = Stopwatch.StartNew();
        chapter.Run([part]);
        double seconds = partClock.Elapsed.TotalSeconds;
        process.Refresh();
        string name = chapter.Results["seconds"]!.AsObject().Last().Key;
        w[name] = Math.Round(seconds, 3);
        c[name] = Math.Round((process.TotalProcessorTime - cpu0).TotalSeconds, 3);
        jm[name] = JitInfo.GetCompiledMethodCount() - methods0;
        js[name] = Math.Round((JitInfo.GetCompilationTime() - jit0).TotalSeconds, 3);
    }
    wall.Add((JsonNode)w);
    cpu.Add((JsonNode)c);
    jitMethods.Add((JsonNode)jm);
    jitSeconds.Add((JsonNode)js);
}
report["passes"] = wall;
report["cpu_passes"] = cpu;
report["jit_methods"] = jitMethods;
report["jit_seconds"] = jitSeconds;
Directory.Delete(outDir, recursive: true);
string text = report.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
Console.WriteLine(text);
if (json is not null) File.WriteAllText(json, text);
return 0;
