using Tensors.Data;

namespace Tensors.Samples.MnistBasics.Data;

/// <summary>
/// MNIST_SAMPLE as fastai's <c>ImageDataLoaders.from_folder(path)</c> gives it to <c>cnn_learner</c>: each grey PNG
/// opened as a <c>PILImage</c> (converted to RGB, so the three channels are equal) and turned into a float
/// [3, 28, 28] tensor in [0, 1] (<c>IntToFloatTensor</c>; no Normalize, which cnn_learner adds only when
/// pretrained); labels are the folder names' indices in the sorted vocab ["3", "7"] (Int64, for cross entropy).
/// The images stay bytes until a batch is made.
/// </summary>
public sealed class ImageFolder : IDataset, IDisposable
{
    private readonly Tensor _images;   // [n, 28, 28] bytes, the 3s then the 7s
    private readonly Tensor _labels;   // [n] Int64

    /// <summary>The 3s (label 0) followed by the 7s (label 1).</summary>
    /// <param name="threes">The 3s, [n3, 28, 28] bytes.</param>
    /// <param name="sevens">The 7s, [n7, 28, 28] bytes.</param>
    public ImageFolder(Tensor threes, Tensor sevens)
    {
        _images = Tensor.Cat([threes, sevens]);
        var labels = new long[_images.Shape[0]];
        Array.Fill(labels, 1L, threes.Shape[0], sevens.Shape[0]);
        _labels = Tensor.From(labels);
    }

    /// <summary>fastai's DataLoaders for the cnn: batch size 64; the training set shuffled each epoch with its
    /// last short batch dropped (fastai's training DataLoader), the validation set in order; batches on
    /// <paramref name="device"/>, the next one built on a worker while the model trains on this one.</summary>
    /// <param name="data">The 3s and 7s.</param>
    /// <param name="seed">The shuffling seed.</param>
    /// <param name="device">Where batches go.</param>
    /// <param name="batchSize">Items per batch.</param>
    public static DataLoaders Loaders(MnistSample data, ulong seed, Device device, int batchSize = 64) => new(
        new DataLoader(new ImageFolder(data.Train3.Images, data.Train7.Images), batchSize, shuffle: true, seed: seed, dropLast: true, device: device, prefetch: true),
        new DataLoader(new ImageFolder(data.Valid3.Images, data.Valid7.Images), batchSize, device: device, prefetch: true));

    /// <inheritdoc />
    public int Count => _images.Shape[0];

    /// <inheritdoc />
    public (Tensor Input, Tensor Target) this[int index] => GetBatch([index]);

    /// <inheritdoc />
    public (Tensor Input, Tensor Target) GetBatch(int[] indices)
    {
        using var scope = Tensor.NewDisposeScope();
        var bytes = _images.IndexSelect(0, indices);
        var grey = bytes.To(DType.Float32) / 255;
        var rgb = grey.Unsqueeze(1).Expand(-1, 3, -1, -1).Contiguous();
        return (scope.MoveToOuter(rgb), scope.MoveToOuter(_labels.IndexSelect(0, indices)));
    }

    /// <summary>Releases the tensors.</summary>
    public void Dispose()
    {
        _images.Dispose();
        _labels.Dispose();
    }
}
