using FsCheck;
using FsCheck.Fluent;
using Xunit;
using F = Tensors.NN.Functional;

namespace Tensors.Tests.Pools;

/// <summary>Max and average pooling against a direct loop over each window (PyTorch's definitions), for random sizes,
/// kernels, strides, paddings, dilations and ceil modes; settings PyTorch refuses must throw.</summary>
public class PoolingProperties
{
    private sealed record Setting(int H, int W, int K, int S, int P, int D, bool Ceil, bool CountIncludePad, int Seed);

    private static readonly Gen<Setting> Settings =
        from h in Gen.Choose(1, 8)
        from w in Gen.Choose(1, 8)
        from k in Gen.Choose(1, 4)
        from s in Gen.Choose(1, 3)
        from p in Gen.Choose(0, k / 2)
        from d in Gen.Choose(1, 2)
        from ceil in Gen.Elements(false, true)
        from cip in Gen.Elements(false, true)
        from seed in Gen.Choose(0, 1000)
        select new Setting(h, w, k, s, p, d, ceil, cip, seed);

    // PyTorch's output size: floor or ceil of (n + 2p - d(k - 1) - 1) / s + 1; a ceil window must start before n + p.
    private static int OutSize(int n, int k, int s, int p, int d, bool ceil)
    {
        double exact = (double)(n + 2 * p - d * (k - 1) - 1) / s;
        int o = (int)(ceil ? Math.Ceiling(exact) : Math.Floor(exact)) + 1;
        if (ceil && (o - 1) * s >= n + p) o--;
        return o;
    }

    private static double[] Direct(double[] x, Setting c, int oh, int ow, bool max, int d)
    {
        var y = new double[oh * ow];
        for (int i = 0; i < oh; i++)
            for (int j = 0; j < ow; j++)
            {
                int r0 = i * c.S - c.P, c0 = j * c.S - c.P;
                double best = double.NegativeInfinity, sum = 0;
                int count = 0;
                for (int a = 0; a < c.K; a++)
                    for (int b = 0; b < c.K; b++)
                    {
                        int r = r0 + a * d, col = c0 + b * d;
                        if (r < 0 || r >= c.H || col < 0 || col >= c.W) continue;
                        best = Math.Max(best, x[r * c.W + col]);
                        sum += x[r * c.W + col];
                        count++;
                    }
                int padded = (Math.Min(r0 + c.K, c.H + c.P) - r0) * (Math.Min(c0 + c.K, c.W + c.P) - c0);
                y[i * ow + j] = max ? best : sum / (c.CountIncludePad ? padded : count);
            }
        return y;
    }

    [Fact]
    public void PoolsMatchADirectLoopOverEachWindow()
    {
        TestUtil.Check(Settings, c =>
        {
            using var x = Tensor.Randn([1, 1, c.H, c.W], new Generator((ulong)c.Seed), DType.Float64);
            var values = x.ToArray<double>();
            foreach (bool max in new[] { true, false })
            {
                int d = max ? c.D : 1;
                int oh = OutSize(c.H, c.K, c.S, c.P, d, c.Ceil), ow = OutSize(c.W, c.K, c.S, c.P, d, c.Ceil);
                Tensor Run() => max ? F.MaxPool2d(x, c.K, c.S, c.P, d, c.Ceil) : F.AvgPool2d(x, c.K, c.S, c.P, c.Ceil, c.CountIncludePad);
                if (oh < 1 || ow < 1)
                {
                    if (!Assert.Throws<ArgumentException>(() => Run()).Message.Contains("too small")) return false;
                    continue;
                }
                using var y = Run();
                if (!y.Shape.SequenceEqual([1, 1, oh, ow])) return false;
                TestUtil.AllClose(Direct(values, c, oh, ow, max, d), y.ToArray<double>());
            }
            return true;
        }, maxTest: 300);
    }
}
