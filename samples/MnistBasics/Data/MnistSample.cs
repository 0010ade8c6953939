namespace Tensors.Samples.MnistBasics.Data;

/// <summary>
/// fastai's MNIST_SAMPLE: the 3s and 7s of MNIST's training and test sets as [n, 28, 28] byte tensors, each in the
/// order fastai's <c>ls().sorted()</c> gives (file names sorted as text), so <c>Train3[1]</c> is the book's image.
/// </summary>
public sealed class MnistSample : IDisposable
{
    /// <summary>One split of one digit: the images and their file names (the MNIST index + ".png").</summary>
    public sealed record Part(Tensor Images, string[] Names);

    private MnistSample(Part train3, Part train7, Part valid3, Part valid7, string source)
    {
        (Train3, Train7, Valid3, Valid7, Source) = (train3, train7, valid3, valid7, source);
    }

    /// <summary>Training 3s.</summary>
    public Part Train3 { get; }
    /// <summary>Training 7s.</summary>
    public Part Train7 { get; }
    /// <summary>Validation 3s.</summary>
    public Part Valid3 { get; }
    /// <summary>Validation 7s.</summary>
    public Part Valid7 { get; }
    /// <summary>Where the data came from, for the report.</summary>
    public string Source { get; }

    /// <summary>True when the folder holds fastai's layout: train/3, train/7, valid/3, valid/7 of PNG files.</summary>
    public static bool IsFolderLayout(string dir) =>
        new[] { "train/3", "train/7", "valid/3", "valid/7" }.All(d => Directory.Exists(Path.Combine(dir, d)));

    /// <summary>The IDX file for a split and kind, gzipped or not, or null.</summary>
    private static string? IdxFile(string dir, string stem) =>
        new[] { stem + ".gz", stem }.Select(f => Path.Combine(dir, f)).FirstOrDefault(File.Exists);

    /// <summary>True when the folder holds the four original MNIST IDX files.</summary>
    public static bool IsIdxLayout(string dir) =>
        new[] { "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte" }
            .All(s => IdxFile(dir, s) is not null);

    /// <summary>Null when <paramref name="dir"/> holds either layout; otherwise why it cannot be loaded.</summary>
    public static string? WhyNotData(string dir)
    {
        if (File.Exists(dir)) return $"'{dir}' is a file; give the folder that holds the data";
        if (!Directory.Exists(dir)) return $"the folder '{dir}' does not exist";
        if (IsFolderLayout(dir) || IsIdxLayout(dir)) return null;
        return $"'{dir}' holds neither fastai's MNIST_SAMPLE layout (train/3, train/7, valid/3, valid/7 with PNG files) nor the MNIST IDX files " +
            "(train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz])";
    }

    /// <summary>Loads either layout, or explains what the folder lacks.</summary>
    public static MnistSample Load(string dir)
    {
        if (IsFolderLayout(dir)) return LoadFolder(dir);
        if (IsIdxLayout(dir)) return LoadIdx(dir);
        throw new DirectoryNotFoundException(WhyNotData(dir) + ".");
    }

    private static MnistSample LoadFolder(string dir)
    {
        Part Read(string sub)
        {
            var files = Directory.GetFiles(Path.Combine(dir, sub), "*.png").OrderBy(Path.GetFileName, StringComparer.Ordinal).ToArray();
            var pixels = new byte[files.Length * 28 * 28];
            for (int i = 0; i < files.Length; i++)
            {
                var img = Png.Read(files[i]);
                if (img.Width != 28 || img.Height != 28)
                    throw new InvalidDataException($"PNG '{files[i]}': {img.Width}x{img.Height}, but MNIST images are 28x28.");
                img.Pixels.CopyTo(pixels, i * 28 * 28);
            }
            return new Part(Tensor.From(pixels, files.Length, 28, 28), files.Select(Path.GetFileName).ToArray()!);
        }
        return new MnistSample(Read("train/3"), Read("train/7"), Read("valid/3"), Read("valid/7"), $"MNIST_SAMPLE folder {dir}");
    }

    private static MnistSample LoadIdx(string dir)
    {
        Part Select((int Count, int Rows, int Cols, byte[] Pixels) images, byte[] labels, int digit)
        {
            // MNIST_SAMPLE names each file by its MNIST index; fastai sorts the names as text.
            var indices = Enumerable.Range(0, labels.Length).Where(i => labels[i] == digit)
                .OrderBy(i => $"{i}.png", StringComparer.Ordinal).ToArray();
            int size = images.Rows * images.Cols;
            var pixels = new byte[indices.Length * size];
            for (int k = 0; k < indices.Length; k++) Array.Copy(images.Pixels, indices[k] * size, pixels, k * size, size);
            return new Part(Tensor.From(pixels, indices.Length, images.Rows, images.Cols), indices.Select(i => $"{i}.png").ToArray());
        }
        ((int Count, int Rows, int Cols, byte[] Pixels), byte[]) ReadPair(string split)
        {
            string imageFile = IdxFile(dir, $"{split}-images-idx3-ubyte")!, labelFile = IdxFile(dir, $"{split}-labels-idx1-ubyte")!;
            var images = Idx.ReadImages(imageFile);
            if (images.Rows != 28 || images.Cols != 28)
                throw new InvalidDataException($"IDX '{imageFile}': {images.Rows}x{images.Cols} images, but MNIST images are 28x28.");
            var labels = Idx.ReadLabels(labelFile);
            if (labels.Length != images.Count)
                throw new InvalidDataException($"IDX '{labelFile}': {labels.Length} labels for the {images.Count} images of '{imageFile}'.");
            return (images, labels);
        }
        var (trainImages, trainLabels) = ReadPair("train");
        var (testImages, testLabels) = ReadPair("t10k");
        return new MnistSample(Select(trainImages, trainLabels, 3), Select(trainImages, trainLabels, 7),
            Select(testImages, testLabels, 3), Select(testImages, testLabels, 7), $"MNIST IDX files in {dir}");
    }

    /// <summary>Writes the first <paramref name="train"/> and <paramref name="valid"/> images of each digit in fastai's
    /// PNG layout (how the repository's subset was made).</summary>
    public void ExportSubset(string dir, int train, int valid)
    {
        foreach (var (part, sub, n) in new[] { (Train3, "train/3", train), (Train7, "train/7", train), (Valid3, "valid/3", valid), (Valid7, "valid/7", valid) })
        {
            Directory.CreateDirectory(Path.Combine(dir, sub));
            var pixels = part.Images.ToArray<byte>();
            for (int i = 0; i < Math.Min(n, part.Names.Length); i++)
                Png.Write(Path.Combine(dir, sub, part.Names[i]), 28, 28, pixels.AsSpan(i * 784, 784));
        }
    }

    /// <summary>Releases the tensors.</summary>
    public void Dispose()
    {
        foreach (var p in new[] { Train3, Train7, Valid3, Valid7 }) p.Images.Dispose();
    }
}
