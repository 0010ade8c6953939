namespace Tensors.NN;

/// <summary>
/// Normalises the trailing <see cref="NormalizedShape"/> dims of its input to zero mean and unit variance, then
/// applies a learned elementwise scale and shift (PyTorch's <c>nn.LayerNorm</c>; weight starts at ones, bias at
/// zeros). See <see cref="Functional.LayerNorm"/>.
/// </summary>
public sealed class LayerNorm : Module
{
    /// <summary>Creates the layer.</summary>
    /// <param name="normalizedShape">The trailing dims to normalise over, e.g. <c>[hidden]</c>.</param>
    /// <param name="eps">Added to the variance for stability; default 1e-5.</param>
    /// <param name="elementwiseAffine">False leaves out the weight and bias; default <c>true</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="normalizedShape"/> is empty or holds a size that is not
    /// positive.</exception>
    public LayerNorm(int[] normalizedShape, double eps = 1e-5, bool elementwiseAffine = true)
    {
        ArgumentNullException.ThrowIfNull(normalizedShape);
        if (normalizedShape.Length == 0 || normalizedShape.Any(s => s <= 0))
            throw new ArgumentException($"LayerNorm: normalizedShape must be non-empty with positive sizes, got {Layout.Format(normalizedShape)}.", nameof(normalizedShape));
        NormalizedShape = normalizedShape.ToArray();
        Eps = eps;
        if (elementwiseAffine)
        {
            Weight = Parameter("weight", Tensor.Ones(NormalizedShape));
            Bias = Parameter("bias", Tensor.Zeros(NormalizedShape));
        }
    }

    /// <summary>Creates the layer over the last dim of size <paramref name="normalizedShape"/>.</summary>
    /// <param name="normalizedShape">The size of the last dim.</param>
    /// <param name="eps">Added to the variance for stability; default 1e-5.</param>
    /// <param name="elementwiseAffine">False leaves out the weight and bias; default <c>true</c>.</param>
    public LayerNorm(int normalizedShape, double eps = 1e-5, bool elementwiseAffine = true)
        : this([normalizedShape], eps, elementwiseAffine) { }

    /// <summary>The trailing dims normalised over (a copy).</summary>
    public int[] NormalizedShape { get; }

    /// <summary>Added to the variance for stability.</summary>
    public double Eps { get; }

    /// <summary>The scale, shaped <see cref="NormalizedShape"/>; null without elementwise affine.</summary>
    public Tensor? Weight { get; }

    /// <summary>The shift, shaped <see cref="NormalizedShape"/>; null without elementwise affine.</summary>
    public Tensor? Bias { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Functional.LayerNorm(input, NormalizedShape, Weight, Bias, Eps);
}
