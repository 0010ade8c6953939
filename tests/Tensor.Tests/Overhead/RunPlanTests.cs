using FsCheck;
using FsCheck.Fluent;
using Tensors.Backends.Cpu;
using Xunit;

namespace Tensors.Tests.Overhead;

/// <summary>The run plan against its definition: whatever dims it drops, reorders and merges, the runs it hands to
/// kernels must visit exactly the elements a plain walk over every index visits, with every operand's offset.</summary>
public class RunPlanTests
{
    // Records every (o0, o1, o2) the plan's runs reach, one tuple per element.
    private readonly struct Recorder(List<(int, int, int)> seen, int s0, int s1, int s2) : IRunKernel
    {
        public void Run(int o0, int o1, int o2, int _, int n)
        {
            for (int i = 0; i < n; i++) seen.Add((o0 + i * s0, o1 + i * s1, o2 + i * s2));
        }
    }

    // A layout of the shape over some storage: permuted, sliced, strided or broadcast (stride 0 on size-1 dims stretched).
    private static Gen<Layout> LayoutOf(int[] shape) =>
        from kind in Gen.Choose(0, 3)
        from offset in Gen.Choose(0, 3)
        from step in Gen.Choose(1, 3)
        from perm in Gen.Shuffle(Enumerable.Range(0, shape.Length).ToArray())
        from zero in Gen.ArrayOf(Gen.Elements(true, false, false, false), shape.Length)
        select Make(shape, kind, offset, step, perm, zero);

    private static Layout Make(int[] shape, int kind, int offset, int step, int[] perm, bool[] zero)
    {
        var strides = new int[shape.Length];
        int stride = step;
        // Memory order given by perm (kind 1), row-major otherwise; kind 2 adds gaps; kind 3 broadcasts some dims.
        var order = kind == 1 ? perm : Enumerable.Range(0, shape.Length).ToArray();
        for (int i = order.Length - 1; i >= 0; i--)
        {
            int d = order[i];
            strides[d] = kind == 3 && zero[d] ? 0 : stride;
            stride *= Math.Max(shape[d], 1) + (kind == 2 ? 1 : 0);
        }
        return new Layout(shape, strides, kind == 0 ? 0 : offset);
    }

    private static Gen<(int[] Shape, Layout[] Layouts, int OrderBy)> Cases() =>
        from shape in Shapes.Shape(5, 4)
        from count in Gen.Choose(1, 3)
        from layouts in Gen.ArrayOf(LayoutOf(shape), count)
        from orderBy in Gen.Choose(0, count - 1)
        select (shape, layouts, orderBy);

    private static int Offset(Layout l, int[] index)
    {
        int o = l.Offset;
        for (int d = 0; d < index.Length; d++) o += index[d] * l.Strides[d];
        return o;
    }

    [Fact]
    public void RunsVisitEveryElementOnceWithEveryOperandsOffset()
    {
        TestUtil.Check(Cases(), c =>
        {
            var plan = RunPlan.Create(c.Shape, c.Layouts, c.OrderBy);
            var seen = new List<(int, int, int)>();
            var st = plan.InnerStrides;
            plan.Execute(new Recorder(seen, st[0], st[1], st[2]), parallel: false);

            var expected = new List<(int, int, int)>();
            int n = c.Shape.Aggregate(1, (a, b) => a * b);
            var index = new int[c.Shape.Length];
            for (int i = 0; i < n; i++)
            {
                int O(int k) => k < c.Layouts.Length ? Offset(c.Layouts[k], index) : 0;
                expected.Add((O(0), O(1), O(2)));
                for (int d = index.Length - 1; d >= 0 && ++index[d] == c.Shape[d]; d--) index[d] = 0;
            }
            // Operands past the layouts given mean nothing (a contiguous plan steps them too): compare them as 0.
            var got = seen.Select(t => (t.Item1, c.Layouts.Length > 1 ? t.Item2 : 0, c.Layouts.Length > 2 ? t.Item3 : 0));
            return plan.IsEmpty == (n == 0) && got.Order().SequenceEqual(expected.Order());
        }, maxTest: 400);
    }

    // Counts visits per operand-0 offset and checks operand 1 against the offset it must have there.
    private readonly struct Counter(int[] visits, int[] expectedO1, int s0, int s1) : IRunKernel
    {
        public void Run(int o0, int o1, int _, int __, int n)
        {
            for (int i = 0; i < n; i++)
            {
                Interlocked.Increment(ref visits[o0 + i * s0]);
                if (expectedO1[o0 + i * s0] != o1 + i * s1) Interlocked.Add(ref visits[o0 + i * s0], 1000);
            }
        }
    }

    [Theory]
    [InlineData(1, 300000, false)]   // one long run: split into pieces
    [InlineData(3, 70000, false)]    // fewer runs than jobs: pieces of each run
    [InlineData(300, 300, true)]     // a transposed operand: many runs, split by runs
    [InlineData(9, 8000, true)]      // runs fewer than four per core
    public void SplitAcrossCoresEveryElementIsVisitedOnce(int rows, int cols, bool transposed)
    {
        var d = Layout.Contiguous([rows, cols]);
        var s = transposed ? new Layout([rows, cols], [1, rows], 0) : Layout.Contiguous([rows, cols]);
        var plan = RunPlan.Create([rows, cols], [d, s]);
        var visits = new int[rows * cols];
        var expected = new int[rows * cols];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) expected[r * cols + c] = s.Offset + r * s.Strides[0] + c * s.Strides[1];
        plan.Execute(new Counter(visits, expected, plan.InnerStrides[0], plan.InnerStrides[1]), parallel: true);
        Assert.All(visits, v => Assert.Equal(1, v));
    }

    [Fact]
    public void MergedRunsAreAsLongAsTheLayoutsAllow()
    {
        // (2,3,4) row-major beside a (3,4) operand broadcast to (2,3,4), stride 0 on dim 0:
        // dims 1 and 2 merge for both (one run of 12), dim 0 stays outer.
        var a = Layout.Contiguous([2, 3, 4]);
        var b = new Layout([2, 3, 4], [0, 4, 1], 0);
        var plan = RunPlan.Create([2, 3, 4], [a, b]);
        Assert.Equal(12, plan.Inner);
        Assert.Equal(2, plan.OuterCount);
        Assert.Equal([1, 1, 0, 0], plan.InnerStrides);

        // A transposed operand ordered by itself: its unit stride becomes the inner dim.
        var t = new Layout([4, 3], [1, 4], 0);
        var byT = RunPlan.Create([4, 3], [Layout.Contiguous([4, 3]), t], orderBy: 1);
        Assert.Equal(4, byT.Inner);
        Assert.Equal(1, byT.InnerStrides[1]);
        Assert.Equal(3, byT.InnerStrides[0]);
    }
}
