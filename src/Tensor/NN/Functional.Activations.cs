namespace Tensors.NN;

// PyTorch's activation functions in torch.nn.functional: each is the tensor method of the same name.
public static partial class Functional
{
    /// <summary>x Φ(x) (PyTorch's <c>F.gelu</c>); see <see cref="Tensor.Gelu"/>.</summary>
    /// <param name="x">The input.</param>
    /// <param name="approximate"><c>"none"</c> (erf) or <c>"tanh"</c>; default <c>"none"</c>.</param>
    public static Tensor Gelu(Tensor x, string approximate = "none") => x.Gelu(approximate);

    /// <summary>x σ(x) (PyTorch's <c>F.silu</c>).</summary>
    /// <param name="x">The input.</param>
    public static Tensor Silu(Tensor x) => x.Silu();

    /// <summary>x, or <paramref name="negativeSlope"/> x where x &lt;= 0 (PyTorch's <c>F.leaky_relu</c>).</summary>
    /// <param name="x">The input.</param>
    /// <param name="negativeSlope">The slope for x &lt;= 0; default 0.01.</param>
    public static Tensor LeakyRelu(Tensor x, double negativeSlope = 0.01) => x.LeakyRelu(negativeSlope);

    /// <summary>log(1 + e^(βx)) / β, linear above the threshold (PyTorch's <c>F.softplus</c>).</summary>
    /// <param name="x">The input.</param>
    /// <param name="beta">The sharpness β; default 1.</param>
    /// <param name="threshold">Above this βx the result is x; default 20.</param>
    public static Tensor Softplus(Tensor x, double beta = 1, double threshold = 20) => x.Softplus(beta, threshold);

    /// <summary>x, or α (e^x - 1) where x &lt;= 0 (PyTorch's <c>F.elu</c>).</summary>
    /// <param name="x">The input.</param>
    /// <param name="alpha">The α of the negative part; default 1.</param>
    public static Tensor Elu(Tensor x, double alpha = 1) => x.Elu(alpha);

    /// <summary>x clamped to [minVal, maxVal], gradient 0 at the bounds (PyTorch's <c>F.hardtanh</c>).</summary>
    /// <param name="x">The input.</param>
    /// <param name="minVal">The lower bound; default -1.</param>
    /// <param name="maxVal">The upper bound; default 1.</param>
    public static Tensor Hardtanh(Tensor x, double minVal = -1, double maxVal = 1) => x.Hardtanh(minVal, maxVal);

    /// <summary>clamp(x / 6 + 1/2, 0, 1) (PyTorch's <c>F.hardsigmoid</c>).</summary>
    /// <param name="x">The input.</param>
    public static Tensor Hardsigmoid(Tensor x) => x.Hardsigmoid();

    /// <summary>log σ(x), stable for large |x| (PyTorch's <c>F.logsigmoid</c>).</summary>
    /// <param name="x">The input.</param>
    public static Tensor LogSigmoid(Tensor x) => x.LogSigmoid();
}
