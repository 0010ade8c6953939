// fastai's chapter 4, "Under the Hood: Training a Digit Classifier", with the Tensor library.
// dotnet run -c Release --project samples/MnistBasics -- [--data DIR] [--device cpu|cuda] [--parts 1,2,...]
//     [--seed N] [--json FILE] [--out DIR] [--no-download] [--export-subset DIR]
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;
using Tensors.Samples.MnistBasics;
using Tensors.Samples.MnistBasics.Data;

// Terminal manners: no escape codes when redirected or under NO_COLOR, no wrapping at 80 columns when redirected.
return Cli.Run(args, Tensors.Training.ConsoleReporter.CreateConsole());

namespace Tensors.Samples.MnistBasics
{
    /// <summary>The command line: options, the chapter, the JSON report and the summary against the book.</summary>
    public static class Cli
    {
        /// <summary>Runs the sample; returns the exit code: 0, or 2 after one line on <paramref name="errors"/>
        /// (stderr by default) when an option, the data or an output folder is wrong, found before any work.
        /// Warnings go to <paramref name="errors"/> too.</summary>
        public static int Run(string[] args, IAnsiConsole console, TextWriter? errors = null)
        {
            errors ??= Console.Error;
            Options options;
            MnistSample data;
            bool subset;
            try
            {
                options = Options.Parse(args);
                if (options.Help)
                {
                    console.WriteLine(Options.Usage);
                    return 0;
                }
                options.CheckFiles();
                try
                {
                    (data, subset) = DataLocator.Find(options.DataDir, options.Download, console, errors);
                }
                catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
                {
                    throw new OptionException(options.DataDir is null ? null : "--data", e.Message.TrimEnd('.'));
                }
            }
            catch (OptionException e)
            {
                errors.WriteLine($"MnistBasics: {(e.Option is null ? "" : e.Option + ": ")}{e.Message}");
                return 2;
            }
            using (data)
            {
                console.MarkupLineInterpolated($"Data: {data.Source}: train {data.Train3.Names.Length} 3s + {data.Train7.Names.Length} 7s, valid {data.Valid3.Names.Length} 3s + {data.Valid7.Names.Length} 7s");
                if (options.Export is { } export)
                {
                    data.ExportSubset(export, train: 150, valid: 50);
                    console.WriteLine($"Wrote a subset to {export}.");
                    return 0;
                }
                var chapter = new Chapter(data, console, options.OutDir, options.Seed, Device.Parse(options.Device));
                chapter.Run(options.Parts);
                chapter.Results["device"] = options.Device;
                // The book's figures are on the whole of MNIST_SAMPLE; fewer images (the committed subset, an export) give others.
                subset |= data.Train3.Names.Length + data.Train7.Names.Length < BookTrainImages;
                chapter.Results["subset"] = subset;
                Summary(console, chapter.Results);
                if (options.Json is { } json)
                {
                    File.WriteAllText(json, chapter.Results.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
                    console.WriteLine($"Wrote {json}.");
                }
            }
            return 0;
        }

        // MNIST_SAMPLE's training 3s and 7s, on which the book's figures are measured.
        private const int BookTrainImages = 6131 + 6265;

        // Each figure beside the book's (MNIST_SAMPLE, fastbook chapter 4); on a subset, marked as such so that its
        // figures are not read against the book's.
        private static void Summary(IAnsiConsole console, JsonObject r)
        {
            bool subset = r["subset"]?.GetValue<bool>() == true;
            var table = new Table().Title(subset ? "This run on a subset beside the book" : "This run beside the book")
                .AddColumns("figure", subset ? "this run (subset)" : "this run", "book (full data)");

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
            Row("resnet18", "accuracy", "resnet18 (cnn_learner), 1 epoch", "0.997056");
            if (table.Rows.Count == 0) return;
            console.Write(table);
            if (subset && r["data"] is JsonObject d)
                console.WriteLine($"Measured on {d["train_3s"]} + {d["train_7s"]} training and {d["valid_3s"]} + {d["valid_7s"]} validation images, " +
                                  "not the book's 6131 + 6265 and 1010 + 1028: run on the full data to compare.");
        }
    }
}
