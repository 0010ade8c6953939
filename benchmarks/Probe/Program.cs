// Times one op in a loop: `dotnet Probe.dll OP [CALLS] [SAMPLES]` prints the median and the minimum time per call over
// SAMPLES samples of CALLS calls each, after a warm-up of CALLS calls (give it a few hundred calls: tiered compilation
// must have promoted the kernels, and on a busy machine that takes longer). OP: matvec (256x30 @ 30x1), square256
// (256x256 @ 256x256), mnistfwd and mnistdx (256x784 @ 784x30, 256x30 @ a transposed 784x30), add and mul (1M + 1M
// into a new tensor), relu, exp, sigmoid (1M, new output), sum1 and mean1 (dim 1 of 4096x4096).
// For quick A/B checks without BenchmarkDotNet's start-up (copy bin/ aside per variant, run the copies in turn), and
// small enough to run under valgrind's callgrind tool, where instructions per call are the difference of two runs:
//   DOTNET_TieredCompilation=0 valgrind --tool=callgrind dotnet Probe.dll matvec 1000 1   (and 3000 1)
// gives (Ir(3000) - Ir(1000)) / 4000 per call (each run makes 2 x CALLS calls). Valgrind has no AVX-512, so .NET
// takes its Vector256 paths there.
using System.Diagnostics;
using Tensors;

var op = args.Length > 0 ? args[0] : "matvec";
int calls = args.Length > 1 ? int.Parse(args[1]) : 2000;
int samples = args.Length > 2 ? int.Parse(args[2]) : 11;
var g = new Generator(1);
Action run = op switch
{
    "matvec" => Op(Tensor.Randn([256, 30], g), Tensor.Randn([30, 1], g), (x, w) => x.MatMul(w)),
    "square256" => Op(Tensor.Randn([256, 256], g), Tensor.Randn([256, 256], g), (x, w) => x.MatMul(w)),
    "mnistdx" => Op(Tensor.Randn([256, 30], g), Tensor.Randn([784, 30], g).T, (x, w) => x.MatMul(w)),
    "mnistfwd" => Op(Tensor.Randn([256, 784], g), Tensor.Randn([784, 30], g), (x, w) => x.MatMul(w)),
    "add" => Op(Tensor.Randn([1 << 20], g), Tensor.Randn([1 << 20], g), (a, b) => a + b),
    "mul" => Op(Tensor.Randn([1 << 20], g), Tensor.Randn([1 << 20], g), (a, b) => a * b),
    "relu" => Unary(Tensor.Randn([1 << 20], g), a => a.Relu()),
    "exp" => Unary(Tensor.Randn([1 << 20], g), a => a.Exp()),
    "sigmoid" => Unary(Tensor.Randn([1 << 20], g), a => a.Sigmoid()),
    "sum1" => Unary(Tensor.Randn([4096, 4096], g), a => a.Sum(1)),
    "mean1" => Unary(Tensor.Randn([4096, 4096], g), a => a.Mean(1)),
    _ => throw new ArgumentException($"unknown op '{op}': matvec, square256, mnistfwd, mnistdx, add, mul, relu, exp, sigmoid, sum1 or mean1"),
};
for (int i = 0; i < calls; i++) run();
var times = new double[samples];
for (int s = 0; s < samples; s++)
{
    long t0 = Stopwatch.GetTimestamp();
    for (int i = 0; i < calls; i++) run();
    times[s] = Stopwatch.GetElapsedTime(t0).TotalMicroseconds / calls;
}
Array.Sort(times);
Console.WriteLine($"{op}: median {times[samples / 2]:F3} us, min {times[0]:F3} us per call ({samples} x {calls} calls)");

// An op with its operands bound, its result disposed at once (as the benchmarks' `using var r = ...` does).
static Action Op(Tensor a, Tensor b, Func<Tensor, Tensor, Tensor> f) => () => f(a, b).Dispose();
static Action Unary(Tensor a, Func<Tensor, Tensor> f) => () => f(a).Dispose();
