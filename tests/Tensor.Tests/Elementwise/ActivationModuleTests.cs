using Tensors.NN;
using Xunit;
using F = Tensors.NN.Functional;

namespace Tensors.Tests.Elementwise;

/// <summary>The activation modules and Functional forms: each is its tensor function, has no parameters, and
/// trains inside a Sequential.</summary>
public class ActivationModuleTests
{
    private static Tensor X() => Tensor.From(new[] { -2.5f, -1f, -0f, 0.5f, 3f }, 5, 1);

    public static TheoryData<string> Names() =>
        ["LeakyReLU", "GELU", "GELUTanh", "SiLU", "Tanh", "Softmax", "LogSoftmax", "Softplus", "ELU", "Hardtanh", "Hardsigmoid", "LogSigmoid"];

    [Theory, MemberData(nameof(Names))]
    public void ModulesAreTheirFunctions(string name)
    {
        using var x = X();
        (Module m, Func<Tensor, Tensor> f) = name switch
        {
            "LeakyReLU" => ((Module)new LeakyReLU(0.3), (Func<Tensor, Tensor>)(t => t.LeakyRelu(0.3))),
            "GELU" => (new GELU(), t => t.Gelu()),
            "GELUTanh" => (new GELU("tanh"), t => t.Gelu("tanh")),
            "SiLU" => (new SiLU(), t => t.Silu()),
            "Tanh" => (new Tanh(), t => t.Tanh()),
            "Softmax" => (new Softmax(0), t => F.Softmax(t, 0)),
            "Softplus" => (new Softplus(2, 3), t => t.Softplus(2, 3)),
            "ELU" => (new ELU(0.7), t => t.Elu(0.7)),
            "Hardtanh" => (new Hardtanh(-0.5, 2), t => t.Hardtanh(-0.5, 2)),
            "Hardsigmoid" => (new Hardsigmoid(), t => t.Hardsigmoid()),
            "LogSigmoid" => (new LogSigmoid(), t => t.LogSigmoid()),
            _ => (new LogSoftmax(-2), t => F.LogSoftmax(t, 0)),
        };
        using (m)
        {
            Assert.Empty(m.Parameters());
            using var y = m.Forward(x);
            using var want = f(x);
            Assert.Equal(want.ToArray<float>(), y.ToArray<float>());
        }
    }

    [Fact]
    public void FunctionalFormsAreTheTensorMethods()
    {
        using var x = X();
        var pairs = new (Tensor A, Tensor B)[]
        {
            (F.Gelu(x), x.Gelu()), (F.Gelu(x, "tanh"), x.Gelu("tanh")), (F.Silu(x), x.Silu()), (F.LeakyRelu(x, 0.2), x.LeakyRelu(0.2)),
            (F.Softplus(x, 2, 1), x.Softplus(2, 1)), (F.Elu(x, 0.5), x.Elu(0.5)), (F.Hardtanh(x, -2, 2), x.Hardtanh(-2, 2)),
            (F.Hardsigmoid(x), x.Hardsigmoid()), (F.LogSigmoid(x), x.LogSigmoid()),
        };
        foreach (var (a, b) in pairs) Assert.Equal(b.ToArray<float>(), a.ToArray<float>());
        // Hand values: leaky_relu(-2.5, 0.2) = -0.5; hardtanh(3, -2, 2) = 2; elu(-1, 0.5) = 0.5 (e^-1 - 1).
        Assert.Equal(-0.5f, pairs[3].A.ToArray<float>()[0]);
        Assert.Equal(2f, pairs[6].A.ToArray<float>()[4]);
        Assert.Equal((float)(0.5 * (Math.Exp(-1) - 1)), pairs[5].A.ToArray<float>()[1], 6);
    }

    [Fact]
    public void ConstructorsRefuseBadArguments()
    {
        var ex = Assert.Throws<ArgumentException>(() => new GELU("fast"));
        Assert.StartsWith("GELU:", ex.Message);
        Assert.Contains("\"tanh\"", ex.Message);
        Assert.StartsWith("Hardtanh:", Assert.Throws<ArgumentException>(() => new Hardtanh(2, 1)).Message);
    }

    [Fact]
    public void ANetworkWithTheNewActivationsLearns()
    {
        // XOR with GELU, SiLU and LeakyReLU hidden layers: the loss must fall well below its start.
        using var x = Tensor.From(new float[,] { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } });
        using var t = Tensor.From(new float[] { 0, 1, 1, 0 }, 4, 1);
        using var model = new Sequential(new Linear(2, 8, generator: new Generator(7)), new GELU(), new Linear(8, 8, generator: new Generator(8)),
            new SiLU(), new Linear(8, 8, generator: new Generator(9)), new LeakyReLU(), new Linear(8, 1, generator: new Generator(10)));
        var opt = new Tensors.Optim.Adam(model.Parameters(), 0.03);
        double first = 0, last = 0;
        for (int step = 0; step < 300; step++)
        {
            using var scope = Tensor.NewDisposeScope();
            var loss = F.BinaryCrossEntropyWithLogits(model.Forward(x), t);
            if (step == 0) first = loss.Item<float>();
            last = loss.Item<float>();
            opt.ZeroGrad();
            loss.Backward();
            opt.Step();
        }
        Assert.True(last < first * 0.1, $"loss {first} -> {last}");
    }
}
