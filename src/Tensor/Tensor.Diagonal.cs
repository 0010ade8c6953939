namespace Tensors;

// Diagonals and triangles of matrices. Diagonal is a strided view; Diag, Tril and Triu are composites over Where with
// an index mask built on the tensor's device, so their gradients are those of Where.
public sealed partial class Tensor
{
    /// <summary>A view of the diagonal of the matrices formed by dims <paramref name="dim1"/> and
    /// <paramref name="dim2"/>, as a new last dim (PyTorch's <c>diagonal</c>). Writes through it reach this tensor.</summary>
    /// <param name="offset">0 for the main diagonal, positive above it (toward higher <paramref name="dim2"/>),
    /// negative below; default 0.</param>
    /// <param name="dim1">The rows' dim (negative counts from the end); default 0.</param>
    /// <param name="dim2">The columns' dim, not the same as <paramref name="dim1"/>; default 1.</param>
    /// <exception cref="ArgumentException"><paramref name="dim1"/> and <paramref name="dim2"/> name the same
    /// dim.</exception>
    public Tensor Diagonal(int offset = 0, int dim1 = 0, int dim2 = 1)
    {
        const string op = "Diagonal";
        int d1 = NormalizeDim(op, dim1), d2 = NormalizeDim(op, dim2);
        if (d1 == d2)
            throw new ArgumentException($"{op}: dim1 {dim1} and dim2 {dim2} name the same dim of shape {Layout.Format(Layout.Shape)}; give two different dims.");
        return ViewAs(op, l => DiagonalLayout(l, offset, d1, d2));
    }

    private static Layout DiagonalLayout(Layout l, int offset, int d1, int d2)
    {
        long n1 = l.Shape[d1], n2 = l.Shape[d2];
        int length = (int)Math.Max(0, offset >= 0 ? Math.Min(n1, n2 - offset) : Math.Min(n1 + offset, n2));
        var shape = new List<int>();
        var strides = new List<int>();
        for (int i = 0; i < l.Rank; i++)
            if (i != d1 && i != d2) { shape.Add(l.Shape[i]); strides.Add(l.Strides[i]); }
        shape.Add(length);
        // With two or more entries the step is within the storage; with fewer any stride will do.
        strides.Add((int)Math.Min((long)l.Strides[d1] + l.Strides[d2], int.MaxValue));
        long start = length == 0 || shape.Contains(0) ? 0 : offset >= 0 ? (long)offset * l.Strides[d2] : -(long)offset * l.Strides[d1];
        return new Layout(shape.ToArray(), strides.ToArray(), checked((int)(l.Offset + start)));
    }

    /// <summary>PyTorch's <c>diag</c>: of a 1-D tensor, the square matrix with it on diagonal <paramref name="diagonal"/>
    /// (zeros elsewhere); of a 2-D tensor, a copy of that diagonal.</summary>
    /// <param name="diagonal">0 for the main diagonal, positive above it, negative below; default 0.</param>
    /// <exception cref="ArgumentException">The tensor is neither 1-D nor 2-D.</exception>
    public Tensor Diag(int diagonal = 0)
    {
        const string op = "Diag";
        if (Rank == 2)
        {
            using var view = Diagonal(diagonal);
            return view.Clone();
        }
        if (Rank != 1)
            throw new ArgumentException($"{op}: expects a 1-D tensor (a diagonal to spread) or a 2-D tensor (a matrix to read), got shape {Layout.Format(Layout.Shape)}.");
        int length = Layout.Shape[0];
        int n = checked(length + Math.Abs(diagonal));
        // Entry (r, c) is v[r] where c - r == diagonal >= 0, and v[c] where r - c == -diagonal > 0: pad v with zeros
        // to n entries and broadcast it along the other dim.
        using var zeros = Zeros([n - length], DType, Device);
        using var padded = Cat([this, zeros]);
        using var spread = diagonal >= 0 ? padded.Unsqueeze(1) : padded.Unsqueeze(0);
        using var mask = DiagonalMask(n, n, diagonal, Device, (rows, cols) => cols.Eq(rows));
        using var zero = Zeros([], DType, Device);
        return Where(mask, spread, zero);
    }

    /// <summary>A copy with the entries above diagonal <paramref name="diagonal"/> of the last two dims set to zero
    /// (PyTorch's <c>tril</c>).</summary>
    /// <param name="diagonal">0 keeps the main diagonal and below; positive keeps that many more diagonals above it,
    /// negative removes that many more; default 0.</param>
    public Tensor Tril(int diagonal = 0) => Triangle("Tril", diagonal, (rows, cols) => cols.Le(rows));

    /// <summary>A copy with the entries below diagonal <paramref name="diagonal"/> of the last two dims set to zero
    /// (PyTorch's <c>triu</c>).</summary>
    /// <param name="diagonal">0 keeps the main diagonal and above; positive removes that many more diagonals, negative
    /// keeps that many more below it; default 0.</param>
    public Tensor Triu(int diagonal = 0) => Triangle("Triu", diagonal, (rows, cols) => cols.Ge(rows));

    private Tensor Triangle(string op, int diagonal, Func<Tensor, Tensor, Tensor> keep)
    {
        if (Rank < 2)
            throw new ArgumentException($"{op}: expects a tensor of at least 2 dims (matrices in the last two), got shape {Layout.Format(Layout.Shape)}.");
        using var mask = DiagonalMask(Layout.Shape[^2], Layout.Shape[^1], diagonal, Device, keep);
        using var zero = Zeros([], DType, Device);
        return Where(mask, this, zero);
    }

    /// <summary>A Bool [rows, cols] mask: <paramref name="test"/>(r + diagonal, c) over row indices r (a column) and
    /// column indices c (a row), built on <paramref name="device"/>.</summary>
    private static Tensor DiagonalMask(int rows, int cols, int diagonal, Device device, Func<Tensor, Tensor, Tensor> test)
    {
        using var noGrad = Autograd.Suspend();
        using var r = Arange((long)diagonal, (long)rows + diagonal, 1, DType.Int64, device);
        using var column = r.Unsqueeze(1);
        using var c = Arange(0L, cols, 1, DType.Int64, device);
        return test(column, c);
    }
}
