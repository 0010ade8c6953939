using Tensors.Backends;
using Xunit;

namespace Tensors.Tests.Overhead;

/// <summary>What the per-op fast paths must keep: the names in errors, the release of every temporary, and a
/// small op's allocations bounded to its own objects (bytes counted, never time).</summary>
public class OverheadTests
{
    private static void NamesMatch<TOp>() where TOp : unmanaged, Enum
    {
        foreach (var op in Enum.GetValues<TOp>()) Assert.Equal(op.ToString(), OpName<TOp>.Of(op));
        Assert.Equal("999", OpName<TOp>.Of((TOp)(object)999));
    }

    [Fact]
    public void OpNamesAreTheEnumNames()
    {
        NamesMatch<UnaryOp>();
        NamesMatch<BinaryOp>();
        NamesMatch<CompareOp>();
        NamesMatch<ReduceOp>();
    }

    [Fact]
    public void ErrorsStillNameTheOp()
    {
        using var a = Tensor.Zeros(2, 3);
        using var b = Tensor.Zeros(4);
        Assert.StartsWith("Add:", Assert.Throws<ArgumentException>(() => a + b).Message);
        Assert.StartsWith("Lt:", Assert.Throws<ArgumentException>(() => a.Lt(b)).Message);
        var gone = Tensor.Zeros(3);
        gone.Dispose();
        Assert.Contains("Sigmoid", Assert.Throws<ObjectDisposedException>(() => gone.Sigmoid()).Message);
        Assert.Contains("Mean", Assert.Throws<ArgumentOutOfRangeException>(() => a.Mean([2])).Message);
        Assert.Contains("same dim twice", Assert.Throws<ArgumentException>(() => a.Sum([1, -1])).Message);
    }

    [Fact]
    public void AWrappedNumberReleasesItsStorageWhenDisposed()
    {
        var number = Tensor.Wrap(2.5, Device.Cpu);
        var storage = number.StorageFor("test");
        Assert.Equal(2.5, number.Item<double>());
        number.Dispose();
        Assert.True(storage.IsReleased);
    }

    private static double BytesPerCall(Action op)
    {
        for (int i = 0; i < 200; i++) op();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++) op();
        return (GC.GetAllocatedBytesForCurrentThread() - before) / 1000.0;
    }

    [Fact]
    public void ASmallOpAllocatesOnlyItsOwnObjects()
    {
        using var a = Tensor.Randn([30], new Generator(1));
        using var b = Tensor.Randn([30], new Generator(2));
        // Computed at once, as a 30-element result is by default (CI also runs the suite with every result deferred).
        using var atOnce = Tensors.Fusion.Deferral.Suspend();
        // The result's tensor, layout (and its two arrays), storage and 30 floats, and the op's run plan: about 530
        // bytes. Boxed op names, closures and params arrays took it to 960.
        double add = BytesPerCall(() => { using var r = a + b; });
        Assert.True(add < 640, $"a 30-element add allocated {add} bytes per call");
        double relu = BytesPerCall(() => { using var r = a.Relu(); });
        Assert.True(relu < 600, $"a 30-element relu allocated {relu} bytes per call");
    }
}
