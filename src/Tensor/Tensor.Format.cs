using System.Globalization;
using System.Text;

namespace Tensors;

// ToString in PyTorch's style: tensor([[1., 2.], [3., 4.]]) with four decimals, scientific notation for wide
// ranges, "..." summaries past 1000 elements, and dtype/device suffixes when they are not the defaults.
public sealed partial class Tensor
{
    private const int SummarizeAbove = 1000;
    private const int EdgeItems = 3;
    private const int LineWidth = 80;

    /// <summary>The values as PyTorch prints them, then the shape when summarized, the dtype unless float32, int64
    /// or bool, and the device unless the CPU.</summary>
    public override string ToString()
    {
        if (_disposed) return $"tensor(<disposed>, shape={Layout.Format(Layout.Shape)}, dtype={DType.Name()})";
        if (DType is DType.Half or DType.BFloat16) return $"tensor(shape={Layout.Format(Layout.Shape)}, dtype={DType.Name()})";
        bool summarize = Numel > SummarizeAbove;
        var values = ToDoubles();
        var formatter = new ElementFormatter(DType, Summarized(values, summarize));
        var sb = new StringBuilder("tensor(");
        if (Numel == 0) sb.Append("[]");
        else if (Rank == 0) sb.Append(formatter.Format(values[0]));
        else AppendDim(sb, values, 0, 0, summarize, formatter, indent: 7);
        var suffix = new List<string>();
        if (Numel == 0 && Rank != 1 || summarize) suffix.Add($"size=({string.Join(", ", Shape)}{(Rank == 1 ? "," : "")})");
        if (DType is not (DType.Float32 or DType.Int64 or DType.Bool)) suffix.Add($"dtype={DType.Name()}");
        if (Device != Device.Cpu) suffix.Add($"device='{Device}'");
        if (GradFn is not null) suffix.Add($"grad_fn={GradFn}");
        else if (RequiresGrad) suffix.Add("requires_grad=True");
        foreach (var s in suffix) sb.Append(", ").Append(s);
        return sb.Append(')').ToString();
    }

    private double[] ToDoubles()
    {
        using var _ = Autograd.NoGrad();
        using var d = DType == DType.Float64 ? ViewAs("ToString") : To(DType.Float64);
        return d.ToArray<double>();
    }

    // The values that will be shown: all, or the edges of each dim when summarizing (they set the width).
    private IEnumerable<double> Summarized(double[] values, bool summarize)
    {
        if (!summarize) return values;
        var shown = new List<double>();
        var index = new int[Rank];
        var strides = Layout.ContiguousStrides(Layout.Shape);
        for (int i = 0; i < values.Length; i++)
        {
            int rem = i;
            bool visible = true;
            for (int d = 0; d < Rank; d++)
            {
                index[d] = rem / strides[d];
                rem %= strides[d];
                int size = Layout.Shape[d];
                if (size > 2 * EdgeItems && index[d] >= EdgeItems && index[d] < size - EdgeItems) visible = false;
            }
            if (visible) shown.Add(values[i]);
        }
        return shown;
    }

    private void AppendDim(StringBuilder sb, double[] values, int dim, int offset, bool summarize, ElementFormatter f, int indent)
    {
        int size = Layout.Shape[dim];
        int stride = Layout.ContiguousStrides(Layout.Shape)[dim];
        var items = Enumerable.Range(0, size).ToList();
        bool cut = summarize && size > 2 * EdgeItems;
        if (cut) items = [.. Enumerable.Range(0, EdgeItems), -1, .. Enumerable.Range(size - EdgeItems, EdgeItems)];
        sb.Append('[');
        if (dim == Rank - 1)
        {
            int perLine = Math.Max(1, (LineWidth - indent - 1) / (f.Width + 2));
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
                else AppendDim(sb, values, dim + 1, offset + items[j] * stride, summarize, f, indent + 1);
            }
        }
        sb.Append(']');
    }

    private sealed class ElementFormatter
    {
        private readonly DType _dtype;
        private readonly bool _intMode, _sciMode;

        public ElementFormatter(DType dtype, IEnumerable<double> shown)
        {
            _dtype = dtype;
            var list = shown.ToList();
            if (dtype.IsFloatingPoint())
            {
                var finite = list.Where(double.IsFinite).ToList();
                var nonzero = finite.Where(v => v != 0).Select(Math.Abs).ToList();
                _intMode = finite.All(v => v == Math.Ceiling(v));
                if (nonzero.Count > 0)
                {
                    double max = nonzero.Max(), min = nonzero.Min();
                    _sciMode = _intMode ? max > 1e8 : max / min > 1000 || max > 1e8 || min < 1e-4;
                }
            }
            Width = list.Count == 0 ? 1 : list.Max(v => Raw(v).Length);
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
