// fastai's chapter 4, "Under the Hood: Training a Digit Classifier", with the Tensor library.
// dotnet run -c Release --project samples/MnistBasics -- [--data DIR] [--device cpu|cuda] [--parts 1,2,...]
//     [--seed N] [--json FILE] [--out DIR] [--no-download] [--export-subset DIR]
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;
using Tensors.Samples.MnistBasics;
using Tensors.Samples.MnistBasics.Data;

return Cli.Run(args, AnsiConsole.Console);

namespace Tensors.Samples.MnistBasics
{
    /// <summary>The command line: options, the chapter, the JSON report and the summary against the book.</summary>
    public static class Cli
    {
        private const string Usage =
            "usage: MnistBasics [--data DIR] [--device cpu|cuda] [--parts 1,2,...] [--seed N] [--json FILE] [--out DIR] [--no-download] [--export-subset DIR]";

        /// <summary>Runs the sample; returns the exit code.</summary>
        public static int Run(string[] args, IAnsiConsole console)
        {
            string? dataDir = null, json = null, export = null;
            string device = "cpu", outDir = "mnist_basics_out";
            int[] parts = [1, 2, 3, 4, 5, 6];
            ulong seed = 42;
            bool download = true;
            try
            {
                for (int i = 0; i < args.Length; i++)
                {
                    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
                    switch (args[i])
                    {
                        case "--data": dataDir = Next(); break;
                        case "--device": device = Next().ToLowerInvariant(); break;
                        case "--parts": parts = Next().Split(',').Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray(); break;
                        case "--seed": seed = ulong.Parse(Next(), CultureInfo.InvariantCulture); break;
                        case "--json": json = Next(); break;
                        case "--out": outDir = Next(); break;
                        case "--no-download": download = false; break;
                        case "--export-subset": export = Next(); break;
                        case "-h" or "--help": console.WriteLine(Usage); return 0;
                        default: throw new ArgumentException($"unknown option '{args[i]}'.");
                    }
                }
                if (parts.Any(p => p is < 1 or > 6)) throw new ArgumentException("--parts takes numbers from 1 to 6.");
                if (device.StartsWith("cuda", StringComparison.Ordinal))
                    throw new ArgumentException("--device cuda: the CUDA backend is not available in this version of Tensor; use --device cpu.");
                if (device != "cpu") throw new ArgumentException($"--device {device}: use cpu or cuda.");
            }
            catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
            {
                console.MarkupLineInterpolated($"[red]{e.Message}[/]");
                console.WriteLine(Usage);
                return 2;
            }

            var (data, subset) = DataLocator.Find(dataDir, download, console);
            using (data)
            {
                console.MarkupLineInterpolated($"Data: {data.Source}: train {data.Train3.Names.Length} 3s + {data.Train7.Names.Length} 7s, valid {data.Valid3.Names.Length} 3s + {data.Valid7.Names.Length} 7s");
                if (export is not null)
                {
                    data.ExportSubset(export, train: 150, valid: 50);
                    console.WriteLine($"Wrote a subset to {export}.");
                    return 0;
                }
                var chapter = new Chapter(data, console, outDir, seed);
                chapter.Run(parts);
                chapter.Results["device"] = device;
                chapter.Results["subset"] = subset;
                Summary(console, chapter.Results);
                if (json is not null)
                {
                    File.WriteAllText(json, chapter.Results.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
                    console.WriteLine($"Wrote {json}.");
                }
            }
            return 0;
        }

        // Each figure beside the book's (MNIST_SAMPLE, fastbook chapter 4).
        private static void Summary(IAnsiConsole console, JsonObject r)
        {
            var table = new Table().Title("This run beside the book").AddColumns("figure", "this run", "book");
            void Row(string section, string key, string label, string book)
            {
                if (r[section] is JsonObject o && o[key] is JsonNode v)
                    table.AddRow(label, v.GetValue<double>().ToString("F4", CultureInfo.InvariantCulture), book);
            }
            Row("pixel_similarity", "dist_3_abs", "a_3 to mean 3, L1", "0.1114");
            Row("pixel_similarity", "dist_3_sqr", "a_3 to mean 3, RMSE", "0.2021");
            Row("pixel_similarity", "dist_7_abs", "a_3 to mean 7, L1", "0.1586");
            Row("pixel_similarity", "dist_7_sqr", "a_3 to mean 7, RMSE", "0.3021");
            Row("pixel_similarity", "accuracy_3s", "pixel similarity, 3s", "0.9168");
            Row("pixel_similarity", "accuracy_7s", "pixel similarity, 7s", "0.9854");
            Row("pixel_similarity", "accuracy", "pixel similarity, mean", "0.9511");
            Row("linear_by_hand", "accuracy", "linear model by hand, 20 epochs", "about 0.97");
            Row("linear_learner", "accuracy", "Learner + nn.Linear, 10 epochs", "about 0.97");
            Row("simple_net", "accuracy", "simple_net, 40 epochs", "0.9828");
            if (table.Rows.Count > 0) console.Write(table);
        }
    }
}
