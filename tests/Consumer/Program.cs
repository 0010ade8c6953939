// A user's first program: train a 2-8-1 network on XOR with the Tensor package. The gradients are written out
// by hand with the package's ops; the loss must fall, or the program exits with an error.
using Tensors;
using Tensors.Cuda;

Console.WriteLine($"CUDA available: {CudaBackend.IsAvailable}");
using var x = Tensor.From(new float[,] { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } });
using var y = Tensor.From(new float[,] { { 0 }, { 1 }, { 1 }, { 0 } });
var g = new Generator(0);
var w1 = Tensor.Randn([2, 8], g); var b1 = Tensor.Zeros(8);
var w2 = Tensor.Randn([8, 1], g); var b2 = Tensor.Zeros(1);
const double lr = 0.5;
float first = 0, last = 0;
for (int step = 0; step <= 2000; step++)
{
    using var z1 = x.MatMul(w1) + b1;
    using var h = z1.Tanh();
    using var z2 = h.MatMul(w2) + b2;
    using var p = z2.Sigmoid();
    using var err = p - y;
    using var loss = err.Pow(2).Mean();
    last = loss.Item<float>();
    if (step == 0) first = last;
    if (step % 400 == 0) Console.WriteLine($"step {step,4}  loss {last:F4}");

    // Backward pass of mean((sigmoid(tanh(x W1 + b1) W2 + b2) - y)^2).
    using var dz2 = err * (2.0 / 4) * p * (1 - p);
    using var dw2 = h.T.MatMul(dz2);
    using var db2 = dz2.Sum(0);
    using var dh = dz2.MatMul(w2.T);
    using var dz1 = dh * (1 - h * h);
    using var dw1 = x.T.MatMul(dz1);
    using var db1 = dz1.Sum(0);
    w1.Sub_(dw1 * lr); b1.Sub_(db1 * lr); w2.Sub_(dw2 * lr); b2.Sub_(db2 * lr);
}
using var final = (x.MatMul(w1) + b1).Tanh().MatMul(w2).Add(b2).Sigmoid();
Console.WriteLine($"predictions: {final.Reshape(-1)}");
if (!(last < first / 10 && last < 0.02))
{
    Console.Error.WriteLine($"FAILED: the loss did not fall enough ({first:F4} -> {last:F4}).");
    return 1;
}
Console.WriteLine($"OK: loss {first:F4} -> {last:F4}");
return 0;
