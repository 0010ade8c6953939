namespace Tensors;

public static partial class Autograd
{
    /// <summary>
    /// Compares the gradients from <see cref="Tensor.Backward"/> with central finite differences (PyTorch's
    /// <c>gradcheck</c>). <paramref name="inputs"/> should be Float64; those that require grad are checked, element
    /// by element, for the scalar sum(f(inputs) * v) with a fixed random v. Throws with the first mismatch.
    /// </summary>
    /// <param name="f">The function to check (PyTorch's <c>func</c>), built from differentiable ops on its
    /// inputs.</param>
    /// <param name="inputs">The inputs, Float64 for meaningful tolerances; those that require grad are checked.</param>
    /// <param name="eps">The finite-difference step; default 1e-6.</param>
    /// <param name="atol">The absolute tolerance; default 1e-5.</param>
    /// <param name="rtol">The relative tolerance; default 1e-3.</param>
    /// <exception cref="ArgumentException">An input that requires grad is not Float64, or is an expanded
    /// view.</exception>
    /// <exception cref="InvalidOperationException">An analytical gradient differs from the numerical one by more than
    /// atol + rtol * |numerical| (the message names the input and element).</exception>
    public static void GradCheck(Func<Tensor[], Tensor> f, Tensor[] inputs, double eps = 1e-6, double atol = 1e-5, double rtol = 1e-3)
    {
        foreach (var x in inputs.Where(x => x.RequiresGrad))
        {
            if (x.DType != DType.Float64)
                throw new ArgumentException($"GradCheck: inputs that require grad must be Float64 for accurate differences, got {x.DType.Name()}.");
            if (x.Layout.HasInternalOverlap)
                throw new ArgumentException("GradCheck: inputs must not be expanded views (their elements alias); pass Contiguous() copies.");
            x.Grad = null;
        }
        Tensor projection;
        using (var probe = f(inputs))
        {
            projection = Tensor.Randn(probe.Shape, new Generator(1234), DType.Float64, probe.Device);
            using var loss = Project(probe, projection);
            loss.Backward();
        }
        using (projection)
        using (NoGrad())
        {
            for (int i = 0; i < inputs.Length; i++)
            {
                var x = inputs[i];
                if (!x.RequiresGrad) continue;
                var analytic = x.Grad?.ToArray<double>() ?? new double[x.Numel];
                var index = new int[x.Rank];
                for (int e = 0; e < x.Numel; e++)
                {
                    using var element = x[index.Select(v => (TensorIndex)v).ToArray()];
                    double original = element.Item<double>();
                    element.Fill_(original + eps);
                    double plus = Evaluate(f, inputs, projection);
                    element.Fill_(original - eps);
                    double minus = Evaluate(f, inputs, projection);
                    element.Fill_(original);
                    double numeric = (plus - minus) / (2 * eps);
                    if (Math.Abs(numeric - analytic[e]) > atol + rtol * Math.Abs(numeric))
                        throw new InvalidOperationException(
                            $"GradCheck: input {i} (shape {Layout.Format(x.Layout.Shape)}), element [{string.Join(", ", index)}]: " +
                            $"backward gives {analytic[e]:G6} but finite differences give {numeric:G6}.");
                    Backends.Indexing.Increment(index, x.Layout.Shape);
                }
            }
        }
    }

    private static Tensor Project(Tensor output, Tensor projection)
    {
        using var weighted = output.To(DType.Float64) * projection;
        return weighted.Sum();
    }

    private static double Evaluate(Func<Tensor[], Tensor> f, Tensor[] inputs, Tensor projection)
    {
        using var output = f(inputs);
        using var loss = Project(output, projection);
        return loss.Item<double>();
    }
}
