using Tensors.NN;
using Tensors.Optim;
using Xunit;

namespace Tensors.Cuda.Tests;

/// <summary>A model with a buffer, a LayerNorm, Dropout and an Embedding on the device: To moves its buffers,
/// training steps match the CPU's, and its StateDict comes back to a CPU model.</summary>
[Collection(nameof(CudaTestDevice))]
public class NNModuleTests
{
    private sealed class Tagger : Module
    {
        private readonly Embedding _embed;
        private readonly LayerNorm _norm;
        private readonly Linear _head;

        public Tagger()
        {
            _embed = Register("embed", new Embedding(10, 8, paddingIdx: 0, generator: new Generator(1)));
            _norm = Register("norm", new LayerNorm(8));
            Register("drop", new Dropout(0.1));
            _head = Register("head", new Linear(8, 3, generator: new Generator(2)));
            Shift = RegisterBuffer("shift", Tensor.Full([8], 0.25));
        }

        public Tensor Shift { get; }

        public override Tensor Forward(Tensor input)
        {
            using var scope = Tensor.NewDisposeScope();
            var h = _norm.Call(_embed.Call(input) + Shift);
            return scope.MoveToOuter(_head.Call(h));
        }
    }

    [SkippableFact]
    public void ModelWithBufferAndLayerNormTrainsLikeTheCpuAndRoundTripsItsState()
    {
        CudaTestDevice.Require();
        using var ids = Tensor.From(new long[,] { { 1, 2, 0 }, { 4, 9, 3 } });
        using var cls = Tensor.From(new long[,] { { 0, 2, -100 }, { 1, 1, 0 } });
        using var cpu = new Tagger();
        using var gpu = new Tagger();
        gpu.To(Device.Cuda());
        Assert.Equal(Device.Cuda(), gpu.Shift.Device);
        Assert.All(gpu.Buffers().Concat(gpu.Parameters()), t => Assert.Equal(Device.Cuda(), t.Device));
        using var idsG = ids.To(Device.Cuda());
        using var clsG = cls.To(Device.Cuda());
        var cpuOpt = new Adam(cpu.Parameters(), 0.05);
        var gpuOpt = new Adam(gpu.Parameters(), 0.05);
        cpu.Eval();
        gpu.Eval(); // dropout off, so both see the same function
        for (int step = 0; step < 5; step++)
            foreach (var (model, opt, x, y) in new[] { (cpu, cpuOpt, ids, cls), (gpu, gpuOpt, idsG, clsG) })
            {
                using var scope = Tensor.NewDisposeScope();
                var logits = model.Forward(x).Permute(0, 2, 1); // [N, C, L]: classes on dim 1
                Functional.CrossEntropy(logits, y, ignoreIndex: -100, labelSmoothing: 0.1).Backward();
                opt.Step();
                opt.ZeroGrad();
            }
        var state = gpu.StateDict();
        Assert.Equal(["shift", "embed.weight", "norm.weight", "norm.bias", "head.weight", "head.bias"], state.Keys); // own state first, as PyTorch
        foreach (var (name, g) in state)
        {
            using var c = cpu.StateDict()[name];
            Tensors.Tests.TestUtil.AllClose(c.ToArray<float>(), g.To(Device.Cpu).ToArray<float>(), 1e-4f, 1e-5f);
        }
        // The padding row was not trained on either device.
        Assert.All(state["embed.weight"].Select(0, 0).To(Device.Cpu).ToArray<float>(), v => Assert.Equal(0f, v));
        using var back = new Tagger();
        back.LoadStateDict(state);
        using var a = back.Forward(ids);
        using var b = gpu.Forward(idsG);
        Tensors.Tests.TestUtil.AllClose(a.ToArray<float>(), b.To(Device.Cpu).ToArray<float>(), 1e-4f, 1e-5f);
        Assert.Equal(DType.Float64, gpu.To(DType.Float64).Buffers().Single().DType);
        Assert.Equal(Device.Cuda(), gpu.Shift.Device);
        // A loss module's class weights are buffers: they move with it, and its Device is theirs.
        using var loss = new CrossEntropyLoss(Tensor.Ones(3));
        Assert.Equal(Device.Cuda(), loss.To(Device.Cuda()).Device);
    }
}
