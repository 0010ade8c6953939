using Xunit;

namespace Tensors.Cuda.Tests;

/// <summary>The reductions area's tensor ops on a CUDA device: the CPU's values and indices (rows long enough for
/// the scan's carried prefix and the sort's global-memory path), and gradients computed on the device.</summary>
[Collection(nameof(CudaTestDevice))]
public class CudaReductionTests
{
    private static Device Gpu => Device.Cuda();

    // Values with many ties and a NaN now and then, in float64 so that CPU and device sorts see identical keys.
    private static Tensor Data(Device d, int rows, int cols, bool nans = true)
    {
        var rng = new System.Random(rows * 1000 + cols);
        var v = Enumerable.Range(0, rows * cols).Select(_ => nans && rng.Next(50) == 0 ? double.NaN : rng.Next(-20, 20) / 4.0).ToArray();
        using var t = Tensor.From(v, rows, cols);
        return t.To(d);
    }

    private static void Same(Func<Device, Tensor> f, double tolerance = 1e-9) => DeviceAgreement.Same(f, tolerance);

    [SkippableFact]
    public void ReductionsAndScansGiveTheCpuValues()
    {
        CudaTestDevice.Require();
        Same(d => { using var x = Data(d, 5, 7, nans: false); return x.Prod(1); });
        Same(d => { using var x = Data(d, 5, 7); return x.Any(0); });
        Same(d => { using var x = Data(d, 5, 7); return x.All(1, keepDim: true); });
        Same(d => { using var x = Data(d, 5, 7, nans: false); return x.Var(1); });
        Same(d => { using var x = Data(d, 5, 7, nans: false); return x.Norm(3, 0); });
        Same(d => { using var x = Data(d, 5, 7, nans: false); return x.LogSumExp(1); });
        // Rows around and beyond the scan's block of 256, along the last dim and along dim 0 (strided rows).
        foreach (var n in new[] { 3, 255, 256, 257, 700 })
        {
            Same(d => { using var x = Data(d, 3, n, nans: false); return x.CumSum(1); }, 1e-9);
            Same(d => { using var x = Data(d, n, 3, nans: false); return x.CumSum(0); }, 1e-9);
            Same(d => { using var x = Data(d, 2, n).To(DType.Int32); return x.CumSum(-1); });
        }
        Same(d => { using var x = Data(d, 4, 9, nans: false); using var s = x / 8 + 1; return s.CumProd(1); });
    }

    [SkippableFact]
    public void SortingGivesTheCpuValuesAndIndices()
    {
        CudaTestDevice.Require();
        // Rows that fit the sort's shared memory (1024) and rows that go through global scratch.
        foreach (var n in new[] { 1, 5, 1024, 1500 })
            foreach (bool descending in new[] { false, true })
            {
                Same(d => { using var x = Data(d, 3, n); return x.Sort(1, descending).Values; });
                Same(d => { using var x = Data(d, 3, n); return x.Sort(1, descending).Indices; });
                Same(d => { using var x = Data(d, n, 3); return x.ArgSort(0, descending); });
            }
        Same(d => { using var x = Data(d, 6, 40); return x.TopK(5, 1).Indices; });
        Same(d => { using var x = Data(d, 6, 40); return x.TopK(3, 0, largest: false).Values; });
        Same(d => { using var x = Data(d, 6, 41); return x.Median(1).Values; });
        Same(d => { using var x = Data(d, 6, 41); return x.Median(1).Indices; });
        Same(d => { using var x = Data(d, 6, 41); return x.MaxWithIndices(0).Indices; });
        Same(d => { using var x = Data(d, 6, 41); return x.MinWithIndices(1, keepDim: true).Values; });
    }

    [SkippableFact]
    public void GradientsOnTheDevice()
    {
        CudaTestDevice.Require();
        static Tensor Grad(Device d, Func<Tensor, Tensor> f)
        {
            using var x = Data(d, 4, 6, nans: false);
            var leaf = x.Detach().RequiresGrad_();
            using var weights = Tensor.Arange(1.0, 1.0 + leaf.Numel, 1, DType.Float64).To(d);
            using var y = f(leaf);
            using var w = weights.Narrow(0, 0, y.Numel).View(y.Shape);
            using var loss = (y * w).Sum();
            loss.Backward();
            return leaf.Grad!;
        }
        Same(d => Grad(d, t => t.Prod(1)));
        Same(d => Grad(d, t => t.CumProd(1)));
        Same(d => Grad(d, t => t.CumSum(0)));
        Same(d => Grad(d, t => t.Sort(1, descending: true).Values));
        Same(d => Grad(d, t => t.TopK(2, 0).Values));
        Same(d => Grad(d, t => t.Median(1).Values));
        Same(d => Grad(d, t => t.MaxWithIndices(1).Values));
        Same(d => Grad(d, t => t.Norm(2, 1)));
    }
}
