using Tensors.Data;
using Tensors.NN;
using Tensors.Optim;
using Tensors.Training;
using Xunit;

namespace Tensors.Cuda.Tests;

/// <summary>The chapter's training stack on the device, unchanged: the same model trained on cuda and on the CPU
/// from the same start ends with the same weights and the same metrics.</summary>
[Collection(nameof(CudaTestDevice))]
public class TrainingTests
{
    private static (Tensor X, Tensor Y) Data(int n)
    {
        using var x = Tensor.Rand([n, 784], new Generator(3));
        using var w = Tensor.Randn([784, 1], new Generator(4));
        using var logits = x.MatMul(w) - 0.5 * w.Sum();
        return (x.Clone(), logits.Gt(0).To(DType.Float32));
    }

    private static Sequential Model() => new(new Linear(784, 30), new ReLU(), new Linear(30, 1));

    [SkippableFact]
    public void HandWrittenLoopMatchesTheCpu()
    {
        CudaTestDevice.Require();
        var (x, y) = Data(256);
        Tensor.ManualSeed(11);
        using var cpu = Model();
        Tensor.ManualSeed(11);
        using var gpu = (Sequential)Model().To(Device.Cuda());
        var cpuOpt = new SGD(cpu.Parameters(), 0.5, momentum: 0.9);
        var gpuOpt = new SGD(gpu.Parameters(), 0.5, momentum: 0.9);
        using var xg = x.To(Device.Cuda());
        using var yg = y.To(Device.Cuda());
        for (int step = 0; step < 10; step++)
            foreach (var (model, opt, xb, yb) in new[] { (cpu, cpuOpt, x, y), (gpu, gpuOpt, xg, yg) })
            {
                using var scope = Tensor.NewDisposeScope();
                var loss = Functional.BinaryCrossEntropyWithLogits(model.Forward(xb), yb);
                loss.Backward();
                opt.Step();
                opt.ZeroGrad();
            }
        foreach (var ((name, pc), (_, pg)) in cpu.NamedParameters().Zip(gpu.NamedParameters()))
        {
            Assert.Equal(Device.Cuda(), pg.Device);
            Tensors.Tests.TestUtil.AllClose(pc.ToArray<float>(), pg.To(Device.Cpu).ToArray<float>(), 1e-3f, 1e-4f);
        }
    }

    [SkippableFact]
    public void LearnerTrainsOnTheDeviceOfTheModel()
    {
        CudaTestDevice.Require();
        var (x, y) = Data(300);
        var (vx, vy) = Data(100);
        double Run(Device device)
        {
            Tensor.ManualSeed(5);
            using var model = Model().To(device);
            var dls = new DataLoaders(new DataLoader(new TensorDataset(x, y), 64, shuffle: true),
                new DataLoader(new TensorDataset(vx, vy), 64));
            var learn = new Learner(dls, model, (ps, lr) => new Adam(ps, lr), Functional.BinaryCrossEntropyWithLogits) { Verbose = false };
            learn.FitOneCycle(4, 0.05);
            return learn.Recorder.Values[^1][1];
        }
        double cpu = Run(Device.Cpu), gpu = Run(Device.Cuda());
        Assert.InRange(gpu, cpu - 1e-3, cpu + 1e-3);
        Assert.True(gpu < 0.69, $"the validation loss {gpu} did not fall below chance");
    }
}
