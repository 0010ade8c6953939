using System.Globalization;
using System.Text;

namespace Tensors;

// ToString in PyTorch's style: tensor([[1., 2.], [3., 4.]]) with four decimals, scientific notation for wide
// ranges, "..." summaries past 1000 elements, and dtype/device suffixes when they are not the defaults. Only the
// printed elements are read.
public sealed partial class Tensor
{
    private const int SummarizeAbove = 1000;
    private const int EdgeItems = 3;
    private const int LineWidth = 80;

    /// <summary>The values as PyTorch 1.13 prints them (the first and last three of each dim past 1000 elements), then
    /// the shape when empty, the dtype unless float32, int64 or bool, and the device unless the CPU.</summary>
    public override string ToString()
    {
        if (_disposed) return $"tensor(<disposed>, shape={Layout.Format(Layout.Shape)}, dtype={DType.Name()})";
        bool summarize = Numel > SummarizeAbove;
        var (values, shown) = ShownValues(summarize);
        var formatter = new ElementFormatter(DType, values);
        var sb = new StringBuilder("tensor(");
        if (Numel == 0) sb.Append("[]");
        else if (Rank == 0) sb.Append(formatter.Format(values[0]));
        else AppendDim(sb, values, shown, 0, 0, summarize, formatter, indent: 7);
        var suffix = new List<string>();
        if (Numel == 0 && Rank != 1) suffix.Add($"size=({string.Join(", ", Shape)})");
        if (DType is not (DType.Float32 or DType.Int64 or DType.Bool)) suffix.Add($"dtype={DType.Name()}");
        if (Device != Device.Cpu) suffix.Add($"device='{Device}'");
        if (GradFn is not null) suffix.Add($"grad_fn={GradFn}");
        else if (RequiresGrad) suffix.Add("requires_grad=True");
        foreach (var s in suffix) sb.Append(", ").Append(s);
        return sb.Append(')').ToString();
    }

    // Only the elements that will be printed (all, or the first and last EdgeItems of each long dim when
    // summarizing), as float64 in row-major order with the shape they form. A long dim of size n and stride s
    // becomes two dims, (2, stride (n - EdgeItems) * s) and (EdgeItems, s): one strided view over exactly the
    // edges, so the copy is as small as the text (a 5000x5000 tensor reads 36 elements, not 25 million).
    private (double[] Values, int[] Shape) ShownValues(bool summarize)
    {
        var shape = new List<int>();
        var strides = new List<int>();
        var shown = new int[Rank];
        for (int d = 0; d < Rank; d++)
        {
            int size = Layout.Shape[d], stride = Layout.Strides[d];
            if (summarize && size > 2 * EdgeItems)
            {
                shape.AddRange([2, EdgeItems]);
                strides.AddRange([(size - EdgeItems) * stride, stride]);
                shown[d] = 2 * EdgeItems;
            }
            else
            {
                shape.Add(size);
                strides.Add(stride);
                shown[d] = size;
            }
        }
        using var _ = Autograd.NoGrad();
        using var edges = ViewAs("ToString", l => new Layout([.. shape], [.. strides], l.Offset));
        using var d64 = edges.To(DType.Float64);
        return (d64.ToArray<double>(), shown);
    }

    // Prints dim `dim` of the shown values (row-major, shape `shown`) from `offset`; a summarized long dim shows
    // its first EdgeItems, "...", then its last EdgeItems.
    private void AppendDim(StringBuilder sb, double[] values, int[] shown, int dim, int offset, bool summarize, ElementFormatter f, int indent)
    {
        int size = shown[dim];
        int stride = Layout.ContiguousStrides(shown)[dim];
        var items = Enumerable.Range(0, size).ToList();
        if (summarize && Layout.Shape[dim] > 2 * EdgeItems)
            items = [.. Enumerable.Range(0, EdgeItems), -1, .. Enumerable.Range(EdgeItems, EdgeItems)];
        sb.Append('[');
        if (dim == Rank - 1)
        {
            int perLine = Math.Max(1, (LineWidth - indent) / (f.Width + 2));
            for (int j = 0; j < items.Count; j++)
            {
                if (j > 0) sb.Append(j % perLine == 0 ? ",\n" + new string(' ', indent + 1) : ", ");
                sb.Append(items[j] < 0 ? " ..." : f.Format(values[offset + items[j]])); // PyTorch pads the row ellipsis
            }
        }
        else
        {
            string separator = "," + new string('\n', Rank - dim - 1) + new string(' ', indent + 1);
            for (int j = 0; j < items.Count; j++)
            {
                if (j > 0) sb.Append(separator);
                if (items[j] < 0) sb.Append("...");
                else AppendDim(sb, values, shown, dim + 1, offset + items[j] * stride, summarize, f, indent + 1);
            }
        }
        sb.Append(']');
    }

    private sealed class ElementFormatter
    {
        private readonly DType _dtype;
        private readonly bool _intMode, _sciMode;

        // PyTorch 1.13's _Formatter: the mode and the width come from the shown nonzero finite values (floats) or
        // from every shown value (integers and bools).
        public ElementFormatter(DType dtype, IReadOnlyList<double> shown)
        {
            _dtype = dtype;
            var widthFrom = shown;
            if (dtype.IsFloatingPoint())
            {
                var nonzero = shown.Where(v => double.IsFinite(v) && v != 0).ToList();
                _intMode = nonzero.All(v => v == Math.Ceiling(v));
                if (nonzero.Count > 0)
                {
                    double max = nonzero.Max(Math.Abs), min = nonzero.Min(Math.Abs);
                    _sciMode = max / min > 1000 || max > 1e8 || (!_intMode && min < 1e-4);
                }
                widthFrom = nonzero;
            }
            Width = Math.Max(1, widthFrom.Count == 0 ? 1 : widthFrom.Max(v => Raw(v).Length));
        }

        public int Width { get; }

        private string Raw(double v)
        {
            if (_dtype == DType.Bool) return v != 0 ? "True" : "False";
            if (!_dtype.IsFloatingPoint()) return ((long)v).ToString(CultureInfo.InvariantCulture);
            if (double.IsNaN(v)) return "nan";
            if (double.IsInfinity(v)) return v > 0 ? "inf" : "-inf";
            if (_sciMode) return v.ToString("0.0000e+00", CultureInfo.InvariantCulture);
            if (_intMode) return v.ToString("0", CultureInfo.InvariantCulture) + ".";
            return v.ToString("0.0000", CultureInfo.InvariantCulture);
        }

        public string Format(double v) => Raw(v).PadLeft(Width);
    }
}
