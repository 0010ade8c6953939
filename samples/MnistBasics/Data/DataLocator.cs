using System.Formats.Tar;
using System.IO.Compression;
using Spectre.Console;

namespace Tensors.Samples.MnistBasics.Data;

/// <summary>
/// Finds the data as a user would have it, in order: <c>--data DIR</c>, the <c>MNIST_SAMPLE</c> environment variable,
/// fastai's <c>~/.fastai/data/mnist_sample</c>, a download of fastai's mnist_sample.tgz, and last the small real
/// subset that ships with the sample.
/// </summary>
public static class DataLocator
{
    /// <summary>fastai's archive of MNIST_SAMPLE.</summary>
    public const string Url = "https://s3.amazonaws.com/fast-ai-sample/mnist_sample.tgz";

    /// <summary>The subset copied beside the program.</summary>
    public static string SubsetDir => Path.Combine(AppContext.BaseDirectory, "data", "mnist_subset");

    /// <summary>fastai's default location.</summary>
    public static string FastaiDir => Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".fastai", "data", "mnist_sample");

    /// <summary>Loads the first source that works: <paramref name="dataArg"/>, the MNIST_SAMPLE variable, fastai's
    /// folder, a download, then the committed subset.</summary>
    /// <param name="dataArg">The --data folder, or null.</param>
    /// <param name="allowDownload">False for --no-download.</param>
    /// <param name="console">Where the download's progress goes.</param>
    /// <param name="warnings">Where a failed download and the fall-back to the subset are told (stderr in the program).</param>
    public static (MnistSample Data, bool IsSubset) Find(string? dataArg, bool allowDownload, IAnsiConsole console, TextWriter warnings)
    {
        if (dataArg is not null) return (MnistSample.Load(dataArg), false);
        var env = Environment.GetEnvironmentVariable("MNIST_SAMPLE");
        if (!string.IsNullOrEmpty(env)) return (MnistSample.Load(env), false);
        if (MnistSample.IsFolderLayout(FastaiDir)) return (MnistSample.Load(FastaiDir), false);
        if (allowDownload)
        {
            try
            {
                Download(FastaiDir, console);
                return (MnistSample.Load(FastaiDir), false);
            }
            catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException or InvalidDataException or UnauthorizedAccessException)
            {
                warnings.WriteLine($"warning: could not download {Url} ({e.Message}).");
            }
        }
        warnings.WriteLine($"warning: using the small subset that ships with the sample ({SubsetDir}); the book's figures need the full data (--data DIR).");
        return (MnistSample.Load(SubsetDir), true);
    }

    /// <summary>Downloads and extracts the archive into <paramref name="target"/>. Everything happens in a temporary
    /// folder that is moved into place only when complete, so a failure leaves nothing half-extracted.</summary>
    public static void Download(string target, IAnsiConsole console, string url = Url)
    {
        var parent = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(parent);
        var work = Path.Combine(parent, $".mnist_sample-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            var archive = Path.Combine(work, "mnist_sample.tgz");
            using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) })
            {
                console.Progress().Start(ctx =>
                {
                    var task = ctx.AddTask($"downloading {url}");
                    using var response = http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead).GetAwaiter().GetResult();
                    response.EnsureSuccessStatusCode();
                    long? total = response.Content.Headers.ContentLength;
                    task.MaxValue = total ?? 1;
                    using var input = response.Content.ReadAsStream();
                    using var output = File.Create(archive);
                    var buffer = new byte[1 << 16];
                    int n;
                    while ((n = input.Read(buffer)) > 0)
                    {
                        output.Write(buffer, 0, n);
                        if (total is not null) task.Increment(n);
                    }
                    task.Value = task.MaxValue;
                });
            }
            var extracted = Path.Combine(work, "extracted");
            Directory.CreateDirectory(extracted);
            using (var file = File.OpenRead(archive))
            using (var gz = new GZipStream(file, CompressionMode.Decompress))
                TarFile.ExtractToDirectory(gz, extracted, overwriteFiles: false);
            var root = MnistSample.IsFolderLayout(extracted) ? extracted : Path.Combine(extracted, "mnist_sample");
            if (!MnistSample.IsFolderLayout(root)) throw new InvalidDataException($"{url} did not contain the MNIST_SAMPLE folders.");
            if (Directory.Exists(target)) Directory.Delete(target, recursive: true);
            Directory.Move(root, target);
        }
        finally
        {
            if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
        }
    }
}
