using Tensors.Backends;
using Xunit;

namespace Tensors.Tests.Core;

/// <summary>Bad input gets an exception that names the op and the offending shapes, dims, dtypes or devices.</summary>
[Collection(nameof(BackendRegistry))]
public class ErrorTests
{
    [Fact]
    public void ShapeMismatch()
    {
        using var a = Tensor.Zeros(2, 3);
        using var b = Tensor.Zeros(4);
        var ex = Assert.Throws<ArgumentException>(() => a + b);
        Assert.Contains("Add", ex.Message);
        Assert.Contains("[2, 3]", ex.Message);
        Assert.Contains("[4]", ex.Message);
        var mm = Assert.Throws<ArgumentException>(() => a.MatMul(a));
        Assert.Contains("MatMul", mm.Message);
        Assert.Contains("3 columns", mm.Message);
        var v = Assert.Throws<ArgumentException>(() => a.View(4, 2));
        Assert.Contains("6 elements", v.Message);
    }

    [Fact]
    public void DimOutOfRange()
    {
        using var a = Tensor.Zeros(2, 3);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => a.Sum(2));
        Assert.Contains("Sum", ex.Message);
        Assert.Contains("-2..1", ex.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => a.Transpose(0, -3));
        Assert.Throws<ArgumentOutOfRangeException>(() => a.Unsqueeze(4));
        Assert.Contains("twice", Assert.Throws<ArgumentException>(() => a.Sum([1, -1])).Message);
    }

    [Fact]
    public void IndexOutOfRange()
    {
        using var a = Tensor.Zeros(2, 3);
        var ex = Assert.Throws<IndexOutOfRangeException>(() => a[0, 3]);
        Assert.Contains("index 3", ex.Message);
        Assert.Contains("size 3", ex.Message);
        Assert.Throws<IndexOutOfRangeException>(() => a[^3]);
        Assert.Throws<IndexOutOfRangeException>(() => a[0, 0, 0]);
        Assert.Throws<IndexOutOfRangeException>(() => a.Select(1, -4));
    }

    [Fact]
    public void ViewOnAnIncompatibleLayout()
    {
        using var a = Tensor.Zeros(3, 4).T;
        var ex = Assert.Throws<InvalidOperationException>(() => a.View(12));
        Assert.Contains("View", ex.Message);
        Assert.Contains("strides [1, 4]", ex.Message);
    }

    [Fact]
    public void MixingDevicesAndMissingBackends()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => Tensor.Zeros([2], DType.Float32, Device.Cuda(0)));
        Assert.Contains("cuda:0", ex.Message);
        // A second host-memory "device" is enough to check the device check itself.
        BackendRegistry.Register(DeviceType.Cuda, _ => new FakeDevice());
        try
        {
            using var g = Tensor.Zeros([2], DType.Float32, Device.Cuda(1));
            using var c = Tensor.Zeros(2);
            var mix = Assert.Throws<InvalidOperationException>(() => c + g);
            Assert.Contains("Add", mix.Message);
            Assert.Contains("cpu", mix.Message);
            Assert.Contains("cuda:1", mix.Message);
            using var moved = g.To(Device.Cpu);
            Assert.Equal(Device.Cpu, moved.Device);
            using var w = Tensor.Zeros(2).RequiresGrad_();
            var grad = Assert.Throws<ArgumentException>(() => w.Grad = g);
            Assert.Contains("cuda:1", grad.Message);
            Assert.Contains("cpu", grad.Message);
        }
        finally { BackendRegistry.Unregister(DeviceType.Cuda); }
    }

    [Fact]
    public void WrongDtypes()
    {
        using var f = Tensor.Zeros(2);
        Assert.Contains("Bool", Assert.Throws<ArgumentException>(() => Tensor.Where(f, f, f)).Message);
        Assert.Contains("int64", Assert.Throws<ArgumentException>(() => Tensor.Arange(3).Mean()).Message);
        Assert.Contains("Rand", Assert.Throws<ArgumentException>(() => Tensor.Rand([2], null, DType.Int32)).Message);
        Assert.Contains("Max", Assert.Throws<ArgumentException>(() => Tensor.Zeros(0, 2).Max(0)).Message);
        Assert.Contains("one-element", Assert.Throws<InvalidOperationException>(() => f.Item<float>()).Message);
    }

    /// <summary>Host memory under a device name: lets the device-mixing rules be tested without a GPU.</summary>
    private sealed class FakeDevice : IBackend
    {
        private readonly IBackend _cpu = Backends.Reference.ReferenceBackend.Instance;
        public Device Device => Device.Cuda(1);
        public Storage Allocate(DType dtype, int length) => new Backends.Cpu.CpuStorage(this, dtype, length);
        public void CopyFromHost(ReadOnlySpan<byte> source, Storage destination, int offset) => _cpu.CopyFromHost(source, destination, offset);
        public void CopyToHost(Storage source, int offset, Span<byte> destination) => _cpu.CopyToHost(source, offset, destination);
        public void Fill(Storage d, Layout l, Scalar v) => _cpu.Fill(d, l, v);
        public void Copy(Storage s, Layout ls, Storage d, Layout ld) => _cpu.Copy(s, ls, d, ld);
        public void Unary(UnaryOp op, Storage s, Layout ls, Storage d, Layout ld) => _cpu.Unary(op, s, ls, d, ld);
        public void Binary(BinaryOp op, Storage a, Layout la, Storage b, Layout lb, Storage d, Layout ld) => _cpu.Binary(op, a, la, b, lb, d, ld);
        public void Compare(CompareOp op, Storage a, Layout la, Storage b, Layout lb, Storage d, Layout ld) => _cpu.Compare(op, a, la, b, lb, d, ld);
        public void Where(Storage c, Layout lc, Storage a, Layout la, Storage b, Layout lb, Storage d, Layout ld) => _cpu.Where(c, lc, a, la, b, lb, d, ld);
        public void Reduce(ReduceOp op, Storage s, Layout ls, ReadOnlySpan<int> dims, Storage d, Layout ld) => _cpu.Reduce(op, s, ls, dims, d, ld);
        public void MatMul(Storage a, Layout la, Storage b, Layout lb, Storage d, Layout ld) => _cpu.MatMul(a, la, b, lb, d, ld);
        public void Scan(ScanOp op, Storage s, Layout ls, int dim, Storage d, Layout ld) => _cpu.Scan(op, s, ls, dim, d, ld);
        public void Sort(Storage s, Layout ls, int dim, bool descending, Storage v, Layout lv, Storage i, Layout li) => _cpu.Sort(s, ls, dim, descending, v, lv, i, li);
        public void Gather(Storage s, Layout ls, int dim, Storage i, Layout li, Storage d, Layout ld) => _cpu.Gather(s, ls, dim, i, li, d, ld);
        public void Scatter(ScatterMode mode, Storage s, Layout ls, int dim, Storage i, Layout li, Storage d, Layout ld) => _cpu.Scatter(mode, s, ls, dim, i, li, d, ld);
        public void FillRandom(RandomKind kind, ulong seed, ulong counter, Storage d, Layout l) => _cpu.FillRandom(kind, seed, counter, d, l);
    }
}
