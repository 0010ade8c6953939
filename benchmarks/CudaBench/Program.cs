// GPU figures beside benchmarks/pytorch/cuda_bench.py (same shapes, same timing rule): elementwise bandwidth against
// a device-to-device copy, float32 GEMM against torch.matmul, and one epoch of the chapter's 784-30-1 network.
// Each figure is the median of the timed repetitions after warm-up, with the device synchronised around them.
// dotnet run -c Release --project benchmarks/CudaBench
using System.Diagnostics;
using Tensors;
using Tensors.Cuda;
using Tensors.NN;
using Tensors.Optim;

if (!CudaBackend.IsAvailable) { Console.Error.WriteLine(CudaBackend.Diagnose()); return 1; }
CudaBackend.Register();
var gpu = Device.Cuda();
Console.Write(CudaBackend.Diagnose());

double Median(int warmup, int reps, Action body)
{
    for (int i = 0; i < warmup; i++) body();
    CudaBackend.Synchronize();
    var times = new List<double>();
    for (int i = 0; i < reps; i++)
    {
        var clock = Stopwatch.StartNew();
        body();
        CudaBackend.Synchronize();
        times.Add(clock.Elapsed.TotalSeconds);
    }
    times.Sort();
    return times[times.Count / 2];
}

Console.WriteLine("| benchmark | Tensor | unit |");
Console.WriteLine("|---|---:|---|");
const int n = 1 << 26; // 64M floats, 256 MiB per tensor
using (var a = Tensor.Rand([n], new Generator(1), DType.Float32, gpu))
using (var b = Tensor.Rand([n], new Generator(2), DType.Float32, gpu))
using (var c = Tensor.Zeros([n], DType.Float32, gpu))
{
    double copy = Median(3, 20, () => c.CopyFrom_(a));
    double add = Median(3, 20, () => { using var r = a.Add(b); });
    double addInPlace = Median(3, 20, () => c.Add_(b));
    double relu = Median(3, 20, () => { using var r = a.Relu(); });
    double sum = Median(3, 20, () => { using var r = a.Sum(); });
    Console.WriteLine($"| copy 64M float32 (read + write) | {2.0 * 4 * n / copy / 1e9:F0} | GB/s |");
    Console.WriteLine($"| add 64M float32, new output (2 reads + write) | {3.0 * 4 * n / add / 1e9:F0} | GB/s |");
    Console.WriteLine($"| add_ 64M float32 in place | {3.0 * 4 * n / addInPlace / 1e9:F0} | GB/s |");
    Console.WriteLine($"| relu 64M float32 | {2.0 * 4 * n / relu / 1e9:F0} | GB/s |");
    Console.WriteLine($"| sum 64M float32 | {4.0 * n / sum / 1e9:F0} | GB/s |");
}
foreach (var size in new[] { 1024, 2048, 4096 })
{
    using var a = Tensor.Randn([size, size], new Generator(3), DType.Float32, gpu);
    using var b = Tensor.Randn([size, size], new Generator(4), DType.Float32, gpu);
    double t = Median(3, 10, () => { using var r = a.MatMul(b); });
    Console.WriteLine($"| sgemm {size}^3 | {2.0 * size * size * size / t / 1e12:F1} | TFLOP/s |");
}
{
    // The chapter's simple_net on MNIST_SAMPLE-sized data: 12396 images of 784 floats, batches of 256, SGD.
    using var x = Tensor.Rand([12396, 784], new Generator(5), DType.Float32, gpu);
    using var w = Tensor.Randn([784, 1], new Generator(6), DType.Float32, gpu);
    using var y = (x.MatMul(w) - 0.5 * w.Sum()).Gt(0).To(DType.Float32);
    Tensor.ManualSeed(7);
    using var model = new Sequential(new Linear(784, 30), new ReLU(), new Linear(30, 1)).To(gpu);
    var opt = new SGD(model.Parameters(), 0.1);
    double epoch = Median(2, 7, () =>
    {
        for (int start = 0; start < 12396; start += 256)
        {
            using var scope = Tensor.NewDisposeScope();
            int len = Math.Min(256, 12396 - start);
            var loss = Functional.BinaryCrossEntropyWithLogits(model.Forward(x.Narrow(0, start, len)), y.Narrow(0, start, len));
            loss.Backward();
            opt.Step();
            opt.ZeroGrad();
        }
    });
    Console.WriteLine($"| 784-30-1 MLP, one epoch (49 batches of 256) | {epoch * 1e3:F2} | ms |");
}
return 0;
