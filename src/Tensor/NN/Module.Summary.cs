using System.Text;

namespace Tensors.NN;

// Summary: one forward pass on zeros, with the output shape of each module that ran through Call.
public abstract partial class Module
{
    /// <summary>
    /// A text table of the model (like torchinfo's or fastai's <c>summary</c>): each module's dotted name and type,
    /// the shape of its output for an input of <paramref name="inputShape"/> zeros, and its own parameter count,
    /// then the totals. It runs one forward pass without gradients, in evaluation mode (the modes are restored
    /// after). Output shapes are known for modules called through <see cref="Call"/> (containers do; custom
    /// modules that call <c>child.Forward</c> directly show "-" for that child).
    /// </summary>
    /// <param name="inputShape">The input's shape, batch dim included, e.g. <c>[1, 784]</c>.</param>
    /// <param name="dtype">The input's dtype (an integer one for a model that starts with an <see cref="Embedding"/>);
    /// default <c>DType.Float32</c>.</param>
    public string Summary(int[] inputShape, DType dtype = DType.Float32)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        var modules = NamedModules().ToList();
        var modes = modules.Select(m => m.Module.IsTraining).ToList();
        var recorder = new SummaryRecorder();
        var outer = SummaryRecorder.Current;
        SummaryRecorder.Current = recorder;
        try
        {
            Eval();
            using var noGrad = Autograd.NoGrad();
            using var scope = Tensor.NewDisposeScope();
            Call(Tensor.Zeros(inputShape, dtype, Device));
        }
        finally
        {
            SummaryRecorder.Current = outer;
            for (int i = 0; i < modules.Count; i++) modules[i].Module.IsTraining = modes[i];
        }

        var rows = modules.Select(m => (
            Layer: m.Name.Length == 0 ? m.Module.GetType().Name : $"{m.Name} ({m.Module.GetType().Name})",
            Shape: recorder.Shapes.TryGetValue(m.Module, out var s) ? Layout.Format(s) : "-",
            Params: m.Module._parameters.Sum(p => (long)p.Tensor.Numel))).ToList();
        var headers = (Layer: "Layer (type)", Shape: "Output Shape", Params: "Param #");
        int w1 = rows.Max(r => r.Layer.Length), w2 = rows.Max(r => r.Shape.Length), w3 = rows.Max(r => Count(r.Params).Length);
        w1 = Math.Max(w1, headers.Layer.Length);
        w2 = Math.Max(w2, headers.Shape.Length);
        w3 = Math.Max(w3, headers.Params.Length);
        string Line(string a, string b, string c) => $"{a.PadRight(w1)}  {b.PadRight(w2)}  {c.PadLeft(w3)}";
        var rule = new string('=', w1 + w2 + w3 + 4);
        var sb = new StringBuilder();
        sb.AppendLine(Line(headers.Layer, headers.Shape, headers.Params)).AppendLine(rule);
        foreach (var r in rows) sb.AppendLine(Line(r.Layer, r.Shape, Count(r.Params)));
        long total = Parameters().Sum(p => (long)p.Numel), trainable = Parameters().Where(p => p.RequiresGrad).Sum(p => (long)p.Numel);
        sb.AppendLine(rule)
          .AppendLine($"Total params: {Count(total)}")
          .AppendLine($"Trainable params: {Count(trainable)}")
          .AppendLine($"Non-trainable params: {Count(total - trainable)}");
        return sb.ToString();
    }

    private static string Count(long n) => n.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Collects output shapes while <see cref="Summary"/> runs (per async context, so other threads'
    /// forward passes are not seen).</summary>
    private sealed class SummaryRecorder
    {
        private static readonly AsyncLocal<SummaryRecorder?> _current = new();

        public static SummaryRecorder? Current { get => _current.Value; set => _current.Value = value; }

        public Dictionary<Module, int[]> Shapes { get; } = new(ReferenceEqualityComparer.Instance);

        public void Record(Module module, Tensor output) => Shapes.TryAdd(module, output.Shape);
    }
}
