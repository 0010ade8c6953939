namespace Tensors;

// Einstein summation as a composite: "..." becomes spare letters and size-1 dims are expanded; then repeated letters
// within an operand take a Diagonal view, letters needed nowhere else are summed out, and operands are contracted
// pairwise, left to right, as one batched MatMul each ([batch, left, contracted] x [batch, contracted, right]) between
// Permute/Reshape. Gradients are those of the ops.
public sealed partial class Tensor
{
    /// <summary>PyTorch's <c>einsum</c>: "ij,jk->ik" (matmul), "bij,bjk->bik" (batched), "i,j->ij" (outer), "i,i->"
    /// (dot), "ij->ji" (transpose), "ii->i" (diagonal), "ii->" (trace), "ij->j" (sums), "...ij,jk->...ik" (leading
    /// dims), and any other mix of these over one or more operands. Without "->" the output is the ellipsis dims, then
    /// the letters that occur once, sorted. Size-1 dims broadcast against the letter's size elsewhere.</summary>
    /// <param name="equation">Subscripts: one group of letters (a-z, A-Z, and at most one "...") per operand,
    /// comma-separated, then optionally "->" and the output's. Spaces are ignored.</param>
    /// <param name="operands">The tensors, one per group; a letter must have one size wherever it occurs (or 1).</param>
    /// <exception cref="ArgumentException">The equation is malformed or does not have one term per operand, a letter's
    /// sizes disagree, or the output repeats a letter or names one no operand has (the message says which).</exception>
    public static Tensor Einsum(string equation, params Tensor[] operands)
    {
        const string op = "Einsum";
        ArgumentNullException.ThrowIfNull(equation);
        ArgumentNullException.ThrowIfNull(operands);
        SameDevice(op, operands);
        var (terms, output) = ParseEinsum(equation, operands);
        var sizes = new Dictionary<char, int>();
        for (int k = 0; k < operands.Length; k++)
            for (int i = 0; i < terms[k].Length; i++)
            {
                int size = operands[k].Layout.Shape[i], seen = sizes.GetValueOrDefault(terms[k][i], 1);
                if (size != seen && size != 1 && seen != 1)
                    throw new ArgumentException($"{op}: letter '{terms[k][i]}' has size {seen} in one place but {size} in operand {k} (shape {Layout.Format(operands[k].Layout.Shape)}); sizes must match or be 1.");
                sizes[terms[k][i]] = Math.Max(size, seen);
            }
        if (output.Distinct().Count() != output.Length || output.Any(c => !sizes.ContainsKey(c)))
            throw new ArgumentException($"{op}: the output of \"{equation}\" must name distinct letters that occur in the operands.");

        // Size-1 dims broadcast: expanded (views) to the letter's size.
        var inputs = operands.Select((t, k) => t.Expand([.. terms[k].Select(c => sizes[c])])).ToArray();
        try
        {
            // Letters still needed after operand k: the output's and those of later operands.
            string NeededAfter(int k) => output + string.Concat(terms.Skip(k + 1));
            var (acc, accTerm) = Prepare(inputs[0], terms[0], NeededAfter(0));
            for (int k = 1; k < inputs.Length; k++)
            {
                var (next, nextTerm) = Prepare(inputs[k], terms[k], NeededAfter(k) + accTerm);
                var previous = acc;
                try { (acc, accTerm) = Contract(previous, accTerm, next, nextTerm, NeededAfter(k)); }
                finally { previous.Dispose(); next.Dispose(); }
            }
            using (acc)
            {
                var (summed, term) = SumOut(acc, accTerm, output);
                using (summed) return summed.Permute(output.Select(c => term.IndexOf(c)).ToArray());
            }
        }
        finally { foreach (var t in inputs) t.Dispose(); }
    }

    /// <summary>The letters of each operand and of the output, with every "..." replaced by letters the equation does
    /// not use (right-aligned across operands, so that leading dims broadcast), and the implicit output made explicit.</summary>
    private static (string[] Terms, string Output) ParseEinsum(string equation, Tensor[] operands)
    {
        const string op = "Einsum";
        var eq = equation.Replace(" ", "");
        int arrow = eq.IndexOf("->", StringComparison.Ordinal);
        var terms = (arrow < 0 ? eq : eq[..arrow]).Split(',');
        string? output = arrow < 0 ? null : eq[(arrow + 2)..];
        if (operands.Length == 0 || terms.Length != operands.Length)
            throw new ArgumentException($"{op}: \"{equation}\" has {terms.Length} operand group(s) but {operands.Length} tensor(s) were given.");
        foreach (var t in terms.Append(output ?? ""))
        {
            int dots = t.IndexOf("...", StringComparison.Ordinal);
            var letters = dots < 0 ? t : t.Remove(dots, 3);
            if (letters.Any(c => !char.IsAsciiLetter(c)))
                throw new ArgumentException($"{op}: \"{equation}\" may hold only letters a-z and A-Z, at most one \"...\" per group, commas and one \"->\".");
        }
        // Dims each "..." stands for: the operand's dims beyond its letters.
        var counts = new int[terms.Length];
        for (int k = 0; k < terms.Length; k++)
        {
            bool ellipsis = terms[k].Contains("...");
            int named = terms[k].Length - (ellipsis ? 3 : 0);
            counts[k] = operands[k].Rank - named;
            if (counts[k] < 0 || (!ellipsis && counts[k] != 0))
                throw new ArgumentException($"{op}: \"{terms[k]}\" names {named} dims but operand {k} has shape {Layout.Format(operands[k].Layout.Shape)}" +
                    (ellipsis ? "." : "; use \"...\" for unnamed dims."));
        }
        var spare = new string(Enumerable.Range(0, 128).Select(i => (char)i).Where(c => char.IsAsciiLetter(c) && !eq.Contains(c)).ToArray());
        var ellipsisLetters = spare[..counts.Max()];
        for (int k = 0; k < terms.Length; k++)
            terms[k] = terms[k].Replace("...", ellipsisLetters[(ellipsisLetters.Length - counts[k])..]);
        output = output?.Replace("...", ellipsisLetters)
            ?? ellipsisLetters + new string(terms.SelectMany(t => t).Where(c => !ellipsisLetters.Contains(c))
                .GroupBy(c => c).Where(g => g.Count() == 1).Select(g => g.Key).Order().ToArray());
        return (terms, output);
    }

    /// <summary>An operand with its repeated letters taken as diagonals and the letters not in
    /// <paramref name="needed"/> summed out.</summary>
    private static (Tensor, string) Prepare(Tensor t, string term, string needed)
    {
        var current = t.ViewAs("Einsum");
        // A letter at dims i and j: their diagonal, which becomes the last dim; until no letter repeats.
        for (int i = FirstRepeated(term); i >= 0; i = FirstRepeated(term))
        {
            int j = term.IndexOf(term[i], i + 1);
            var diagonal = current.Diagonal(0, i, j);
            current.Dispose();
            (current, term) = (diagonal, term.Remove(j, 1).Remove(i, 1) + term[i]);
        }
        using (current) return SumOut(current, term, needed);
    }

    private static int FirstRepeated(string term) =>
        Enumerable.Range(0, term.Length).FirstOrDefault(i => term.IndexOf(term[i], i + 1) >= 0, -1);

    /// <summary>Sums <paramref name="t"/> over the letters of <paramref name="term"/> not in <paramref name="keep"/>.</summary>
    private static (Tensor, string) SumOut(Tensor t, string term, string keep)
    {
        var dims = Enumerable.Range(0, term.Length).Where(i => !keep.Contains(term[i])).ToArray();
        if (dims.Length == 0) return (t.ViewAs("Einsum"), term);
        return (t.Sum(dims), new string(term.Where(c => keep.Contains(c)).ToArray()));
    }

    /// <summary>Two operands without repeated letters: the product summed over the shared letters not in
    /// <paramref name="keep"/>, as one batched MatMul.</summary>
    private static (Tensor, string) Contract(Tensor a, string ta, Tensor b, string tb, string keep)
    {
        var (sa, sta) = SumOut(a, ta, keep + tb);
        var (sb, stb) = SumOut(b, tb, keep + ta);
        using (sa) using (sb)
        {
            var batch = sta.Where(c => stb.Contains(c) && keep.Contains(c)).ToArray();
            var summed = sta.Where(c => stb.Contains(c) && !keep.Contains(c)).ToArray();
            var left = sta.Where(c => !stb.Contains(c)).ToArray();
            var right = stb.Where(c => !sta.Contains(c)).ToArray();
            int Size(Tensor t, string term, char[] letters) => letters.Aggregate(1, (p, c) => checked(p * t.Layout.Shape[term.IndexOf(c)]));
            int[] Sizes(Tensor t, string term, char[] letters) => letters.Select(c => t.Layout.Shape[term.IndexOf(c)]).ToArray();
            using var pa = sa.Permute([.. batch.Concat(left).Concat(summed).Select(c => sta.IndexOf(c))]);
            using var pb = sb.Permute([.. batch.Concat(summed).Concat(right).Select(c => stb.IndexOf(c))]);
            using var ma = pa.Reshape(Size(sa, sta, batch), Size(sa, sta, left), Size(sa, sta, summed));
            using var mb = pb.Reshape(Size(sb, stb, batch), Size(sb, stb, summed), Size(sb, stb, right));
            using var product = ma.MatMul(mb);
            var result = product.Reshape([.. Sizes(sa, sta, batch), .. Sizes(sa, sta, left), .. Sizes(sb, stb, right)]);
            return (result, new string([.. batch, .. left, .. right]));
        }
    }
}
