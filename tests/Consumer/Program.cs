// A user's first program: train a 2-8-1 network on XOR with the Tensor package (autograd, nn, optim).
// The loss must fall, or the program exits with an error.
using Tensors;
using Tensors.Cuda;
using Tensors.NN;
using Tensors.Optim;

Console.WriteLine($"CUDA available: {CudaBackend.IsAvailable}");
using var x = Tensor.From(new float[,] { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } });
using var y = Tensor.From(new float[,] { { 0 }, { 1 }, { 1 }, { 0 } });
using var model = new Sequential(new Linear(2, 8, generator: new Generator(0)), new ReLU(), new Linear(8, 1, generator: new Generator(1)));
using var optimizer = new Adam(model.Parameters(), lr: 0.05);
float first = 0, last = 0;
for (int step = 0; step <= 400; step++)
{
    using var scope = Tensor.NewDisposeScope();
    var loss = Functional.BinaryCrossEntropyWithLogits(model.Forward(x), y);
    loss.Backward();
    optimizer.Step();
    optimizer.ZeroGrad();
    last = loss.Item<float>();
    if (step == 0) first = last;
    if (step % 100 == 0) Console.WriteLine($"step {step,3}  loss {last:F4}");
}
using var predictions = model.Forward(x).Gt(0);
Console.WriteLine($"predictions: {predictions.Reshape(-1)}");
if (!(last < first / 10) || !predictions.ToArray<bool>().SequenceEqual([false, true, true, false]))
{
    Console.Error.WriteLine($"FAILED: the network did not learn XOR (loss {first:F4} -> {last:F4}).");
    return 1;
}
Console.WriteLine($"OK: loss {first:F4} -> {last:F4}");
return 0;
