using BenchmarkDotNet.Attributes;
using Tensors.Data;
using Tensors.NN;
using Tensors.Optim;

namespace Tensors.Benchmarks;

/// <summary>
/// Anchor (f) of ../shared/bench (bench_mlp.py): one epoch of the fastai 784-30-1 MLP with mnist_loss and SGD
/// (lr 1), on random data of the MNIST 3s-and-7s training size: 12396 x 784, batch 256, 49 steps.
/// </summary>
public class MlpEpochBenchmarks
{
    private const int Samples = 12396, BatchSize = 256;
    private List<(Tensor X, Tensor Y)> _batches = null!;
    private DataLoader _shuffled = null!;
    private Sequential _model = null!;
    private SGD _opt = null!;
    private Tensor[] _manual = null!;

    private static Tensor MnistLoss(Tensor predictions, Tensor targets)
    {
        using var p = predictions.Sigmoid();
        return Tensor.Where(targets.Eq(1), 1 - p, p).Mean();
    }

    [GlobalSetup]
    public void Setup()
    {
        var g = new Generator(0);
        var x = Tensor.Rand([Samples, 784], g);
        using var r = Tensor.Rand([Samples, 1], g);
        var y = r.Gt(0.5).To(DType.Float32);
        _batches = Enumerable.Range(0, (Samples + BatchSize - 1) / BatchSize)
            .Select(i => (x.Narrow(0, i * BatchSize, Math.Min(BatchSize, Samples - i * BatchSize)),
                          y.Narrow(0, i * BatchSize, Math.Min(BatchSize, Samples - i * BatchSize))))
            .ToList();
        _shuffled = new DataLoader(new TensorDataset(x, y), BatchSize, shuffle: true);
        _model = new Sequential(new Linear(784, 30, generator: new Generator(1)), new ReLU(), new Linear(30, 1, generator: new Generator(2)));
        _opt = new SGD(_model.Parameters(), lr: 1.0);
        using var w1 = Tensor.Randn([784, 30], new Generator(3));
        using var w2 = Tensor.Randn([30, 1], new Generator(4));
        _manual = [(w1 * 0.05).RequiresGrad_(), Tensor.Zeros(30).RequiresGrad_(), (w2 * 0.05).RequiresGrad_(), Tensor.Zeros(1).RequiresGrad_()];
    }

    /// <summary>nn modules + optimizer over pre-made slices (bench_mlp.py's "module+optim").</summary>
    [Benchmark]
    public void ModuleAndOptimizer()
    {
        foreach (var (xb, yb) in _batches)
        {
            using var scope = Tensor.NewDisposeScope();
            var loss = MnistLoss(_model.Forward(xb), yb);
            loss.Backward();
            _opt.Step();
            _opt.ZeroGrad();
        }
    }

    /// <summary>The chapter's hand-written loop over raw tensors (bench_mlp.py's "manual").</summary>
    [Benchmark]
    public void Manual()
    {
        var (w1, b1, w2, b2) = (_manual[0], _manual[1], _manual[2], _manual[3]);
        foreach (var (xb, yb) in _batches)
        {
            using var scope = Tensor.NewDisposeScope();
            var h = (xb.MatMul(w1) + b1).Relu();
            var loss = MnistLoss(h.MatMul(w2) + b2, yb);
            loss.Backward();
            using (Autograd.NoGrad())
                foreach (var p in _manual)
                {
                    p.Sub_(p.Grad! * 1.0);
                    p.Grad!.Zero_();   // as the book and PyTorch's anchor: p.grad.zero_()
                }
        }
    }

    /// <summary>Module + optimizer with a shuffled DataLoader gathering every batch (bench_mlp.py's "shuffled").</summary>
    [Benchmark]
    public void Shuffled()
    {
        foreach (var (xb, yb) in _shuffled)
        {
            using (var scope = Tensor.NewDisposeScope())
            {
                var loss = MnistLoss(_model.Forward(xb), yb);
                loss.Backward();
                _opt.Step();
                _opt.ZeroGrad();
            }
            xb.Dispose();
            yb.Dispose();
        }
    }
}
