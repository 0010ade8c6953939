namespace Tensors;

// Padding (PyTorch's F.pad) and grids. Constant padding is Cat with filled blocks (negative pads crop by Narrow);
// reflect and replicate are IndexSelect with indices computed on the host. Gradients are those of the ops composed.
public sealed partial class Tensor
{
    /// <summary>A copy padded as PyTorch's <c>F.pad</c>: <paramref name="pad"/> holds (before, after) pairs starting
    /// with the last dim, so (1, 2) pads the last dim and (1, 1, 2, 2) the last two.</summary>
    /// <param name="pad">Pairs of pad sizes, last dim first. In "constant" mode a negative size crops.</param>
    /// <param name="mode">"constant" (fill with <paramref name="value"/>), "reflect" (mirror without repeating the
    /// edge; each pad smaller than its dim) or "replicate" (repeat the edge). The last two pad the last 1 to 3 dims of
    /// a tensor with one or two more dims than that (a batch and channels), as PyTorch allows. Default
    /// <c>"constant"</c>.</param>
    /// <param name="value">The fill value for "constant" mode; default 0.</param>
    /// <exception cref="ArgumentException"><paramref name="pad"/> has an odd length or more pairs than dims, <paramref
    /// name="mode"/> is unknown, a negative pad crops more than the dim holds, or a reflect pad is not smaller than its
    /// dim.</exception>
    public Tensor Pad(int[] pad, string mode = "constant", double value = 0)
    {
        const string op = "Pad";
        ArgumentNullException.ThrowIfNull(pad);
        if (pad.Length % 2 != 0)
            throw new ArgumentException($"{op}: pad {Layout.Format(pad)} must hold (before, after) pairs, so an even number of sizes.");
        int padded = pad.Length / 2;
        if (padded > Rank)
            throw new ArgumentException($"{op}: pad {Layout.Format(pad)} names {padded} dims but the tensor has {Rank} (shape {Layout.Format(Layout.Shape)}).");
        switch (mode)
        {
            case "constant": return PadConstant(pad, value);
            case "reflect" or "replicate":
                if (padded is < 1 or > 3 || Rank < padded + 1 || Rank > padded + 2)
                    throw new ArgumentException(
                        $"{op}: {mode} padding of the last {padded} dim(s) needs a tensor of {padded + 1} or {padded + 2} dims (batch and channels " +
                        $"first), got shape {Layout.Format(Layout.Shape)}; pad (1 to 3 pairs) as in PyTorch.");
                return PadIndexed(op, pad, mode == "reflect");
            default:
                throw new ArgumentException($"{op}: unknown mode \"{mode}\"; use \"constant\", \"reflect\" or \"replicate\".");
        }
    }

    private Tensor PadConstant(int[] pad, double value)
    {
        Tensor current = ViewAs("Pad");
        for (int i = 0; i < pad.Length / 2; i++)
        {
            int d = Rank - 1 - i, before = pad[2 * i], after = pad[2 * i + 1];
            int size = current.Layout.Shape[d];
            long kept = (long)size + Math.Min(0, before) + Math.Min(0, after);
            if (kept < 0)
                throw new ArgumentException($"Pad: pads ({before}, {after}) crop more than the {size} entries of dim {d} (shape {Layout.Format(Layout.Shape)}).");
            using var cropped = current.Narrow(d, Math.Max(0, -before), (int)kept);
            var pieces = new List<Tensor>();
            try
            {
                if (before > 0) pieces.Add(Full(SizeAt(cropped.Shape, d, before), value, DType, Device));
                pieces.Add(cropped.ViewAs("Pad"));
                if (after > 0) pieces.Add(Full(SizeAt(cropped.Shape, d, after), value, DType, Device));
                current.Dispose();
                current = Cat(pieces, d);
            }
            finally { pieces.ForEach(p => p.Dispose()); }
        }
        // Nothing padded: still a copy, as in PyTorch.
        if (current.SharesStorageWith(this)) using (current) return current.Clone();
        return current;
    }

    private static int[] SizeAt(int[] shape, int dim, int size)
    {
        shape[dim] = size;
        return shape;
    }

    private Tensor PadIndexed(string op, int[] pad, bool reflect)
    {
        // As PyTorch: only the leading (batch) dim may be empty.
        if (Layout.Shape[1..].Contains(0))
            throw new ArgumentException($"{op}: {(reflect ? "reflect" : "replicate")} padding needs every dim but the first to be non-empty, got shape {Layout.Format(Layout.Shape)}.");
        for (int i = 0; i < pad.Length / 2; i++)
        {
            int d = Rank - 1 - i, before = pad[2 * i], after = pad[2 * i + 1], n = Layout.Shape[d];
            if (before < 0 || after < 0 || (reflect && (before >= n || after >= n)))
                throw new ArgumentException(
                    $"{op}: {(reflect ? "reflect" : "replicate")} pads ({before}, {after}) do not fit dim {d} of size {n} (shape {Layout.Format(Layout.Shape)}); " +
                    (reflect ? "each pad must be 0 or more and less than the dim's size." : "pads must be 0 or more."));
        }
        var dims = Enumerable.Range(0, pad.Length / 2).Select(i => Rank - 1 - i).ToArray();
        return Reindex(dims, (d, n) =>
        {
            int before = pad[2 * (Rank - 1 - d)], after = pad[2 * (Rank - 1 - d) + 1];
            return Enumerable.Range(-before, n + before + after)
                .Select(j => reflect ? (j < 0 ? -j : j >= n ? 2 * (n - 1) - j : j) : Math.Clamp(j, 0, n - 1)).ToArray();
        });
    }

    /// <summary>Coordinate grids (PyTorch's <c>meshgrid</c>): output i holds <paramref name="tensors"/>[i] (1-D or 0-d)
    /// along its own dim, expanded over the others; the outputs are expanded views of the inputs, not copies.</summary>
    /// <param name="tensors">1-D or 0-d tensors of one dtype and device.</param>
    /// <param name="indexing">"ij" (output dims in input order) or "xy" (the first two swapped, as NumPy's default).</param>
    /// <exception cref="ArgumentException">The list is empty, <paramref name="indexing"/> is neither <c>"ij"</c> nor
    /// <c>"xy"</c>, an input has more than 1 dim, or the dtypes differ.</exception>
    public static Tensor[] Meshgrid(IReadOnlyList<Tensor> tensors, string indexing = "ij")
    {
        const string op = "Meshgrid";
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Count == 0) throw new ArgumentException($"{op}: expects a non-empty list of tensors.");
        if (indexing is not ("ij" or "xy"))
            throw new ArgumentException($"{op}: indexing must be \"ij\" or \"xy\", got \"{indexing}\".");
        SameDevice(op, [.. tensors]);
        for (int i = 0; i < tensors.Count; i++)
        {
            if (tensors[i].Rank > 1)
                throw new ArgumentException($"{op}: tensor {i} has shape {Layout.Format(tensors[i].Layout.Shape)}; every input must be 1-D or 0-d.");
            if (tensors[i].DType != tensors[0].DType)
                throw new ArgumentException($"{op}: tensor {i} is {tensors[i].DType.Name()} but tensor 0 is {tensors[0].DType.Name()}; all inputs must have the same dtype.");
        }
        // Output dim k holds input order[k]: with "xy" the first two inputs trade places.
        var order = Enumerable.Range(0, tensors.Count).ToArray();
        if (indexing == "xy" && order.Length >= 2) (order[0], order[1]) = (order[1], order[0]);
        var shape = order.Select(i => tensors[i].Numel).ToArray();
        var grids = new Tensor[tensors.Count];
        for (int i = 0; i < tensors.Count; i++)
        {
            var along = Enumerable.Repeat(1, shape.Length).ToArray();
            along[Array.IndexOf(order, i)] = -1;
            using var line = tensors[i].Reshape(along);
            grids[i] = line.Expand(shape);
        }
        return grids;
    }
}
