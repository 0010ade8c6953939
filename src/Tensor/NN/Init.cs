namespace Tensors.NN;

/// <summary>
/// PyTorch's <c>torch.nn.init</c>: in-place initialisers for weights, with PyTorch's fan rules and gains. Each runs
/// without recording gradients (so parameters can be initialised directly) and returns the tensor.
/// </summary>
public static class Init
{
    /// <summary>The recommended gain for a nonlinearity (PyTorch's <c>calculate_gain</c>): 1 for linear, conv and
    /// sigmoid, 5/3 for tanh, sqrt(2) for relu, sqrt(2 / (1 + slope²)) for leaky_relu (slope 0.01 by default), 3/4 for selu.</summary>
    /// <param name="nonlinearity">"linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
    /// "conv_transpose3d", "sigmoid", "tanh", "relu", "leaky_relu" or "selu".</param>
    /// <param name="param">leaky_relu's negative slope (0.01 when null); ignored by the others; default null.</param>
    /// <exception cref="ArgumentException"><paramref name="nonlinearity"/> is not one PyTorch's <c>calculate_gain</c>
    /// knows.</exception>
    public static double CalculateGain(string nonlinearity, double? param = null) => nonlinearity switch
    {
        "linear" or "conv1d" or "conv2d" or "conv3d" or "conv_transpose1d" or "conv_transpose2d" or "conv_transpose3d"
            or "sigmoid" => 1,
        "tanh" => 5.0 / 3,
        "relu" => Math.Sqrt(2.0),
        "leaky_relu" => Math.Sqrt(2.0 / (1 + Math.Pow(param ?? 0.01, 2))),
        "selu" => 3.0 / 4,
        _ => throw new ArgumentException($"CalculateGain: unsupported nonlinearity \"{nonlinearity}\"; use linear, conv1d..3d, " +
            "conv_transpose1d..3d, sigmoid, tanh, relu, leaky_relu or selu."),
    };

    /// <summary>PyTorch's fan rule: for a weight of shape [out, in, k...] (Linear's [out, in], a convolution's
    /// [out, in, kh, kw]), fan in is in * prod(k) and fan out is out * prod(k).</summary>
    /// <param name="tensor">A tensor of at least 2 dims.</param>
    /// <exception cref="ArgumentException"><paramref name="tensor"/> has fewer than 2 dims.</exception>
    public static (int FanIn, int FanOut) CalculateFanInAndFanOut(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.Rank < 2)
            throw new ArgumentException($"CalculateFanInAndFanOut: fan in and fan out need a tensor of at least 2 dims ([out, in, ...]), got shape {Layout.Format(tensor.Shape)}.");
        var shape = tensor.Shape;
        long receptive = 1;
        for (int i = 2; i < shape.Length; i++) receptive *= shape[i];
        return (checked((int)(shape[1] * receptive)), checked((int)(shape[0] * receptive)));
    }

    /// <summary>Fills <paramref name="tensor"/> uniform on [-bound, bound] with bound = gain * sqrt(3 / fan) (He et al.;
    /// PyTorch's <c>kaiming_uniform_</c>). Returns the tensor.</summary>
    /// <param name="tensor">A floating-point tensor of at least 2 dims.</param>
    /// <param name="a">The negative slope of the leaky_relu that follows (used with "leaky_relu"); default 0.</param>
    /// <param name="mode">"fan_in" (keeps the forward variance) or "fan_out" (keeps the backward variance); default
    /// <c>"fan_in"</c>.</param>
    /// <param name="nonlinearity">The nonlinearity that follows, as in <see cref="CalculateGain"/>; default
    /// <c>"leaky_relu"</c>.</param>
    /// <param name="generator">The stream to draw from (default: <see cref="Generator.Default"/>).</param>
    public static Tensor KaimingUniform_(Tensor tensor, double a = 0, string mode = "fan_in", string nonlinearity = "leaky_relu", Generator? generator = null)
    {
        if (tensor.Numel == 0) return tensor;  // PyTorch warns and leaves an empty tensor alone
        double bound = Math.Sqrt(3.0) * KaimingStd("KaimingUniform_", tensor, a, mode, nonlinearity);
        return Uniform_(tensor, -bound, bound, generator);
    }

    /// <summary>Fills <paramref name="tensor"/> with normal values of mean 0 and std = gain / sqrt(fan) (He et al.;
    /// PyTorch's <c>kaiming_normal_</c>). Returns the tensor.</summary>
    /// <param name="tensor">A floating-point tensor of at least 2 dims.</param>
    /// <param name="a">The negative slope of the leaky_relu that follows (used with "leaky_relu"); default 0.</param>
    /// <param name="mode">"fan_in" (keeps the forward variance) or "fan_out" (keeps the backward variance); default
    /// <c>"fan_in"</c>.</param>
    /// <param name="nonlinearity">The nonlinearity that follows, as in <see cref="CalculateGain"/>; default
    /// <c>"leaky_relu"</c>.</param>
    /// <param name="generator">The stream to draw from (default: <see cref="Generator.Default"/>).</param>
    /// <exception cref="ArgumentException"><paramref name="mode"/> is neither <c>"fan_in"</c> nor <c>"fan_out"</c>,
    /// <paramref name="nonlinearity"/> is unknown, or the tensor has fewer than 2 dims.</exception>
    public static Tensor KaimingNormal_(Tensor tensor, double a = 0, string mode = "fan_in", string nonlinearity = "leaky_relu", Generator? generator = null)
    {
        if (tensor.Numel == 0) return tensor;
        return Normal_(tensor, 0, KaimingStd("KaimingNormal_", tensor, a, mode, nonlinearity), generator);
    }

    private static double KaimingStd(string op, Tensor tensor, double a, string mode, string nonlinearity)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var (fanIn, fanOut) = CalculateFanInAndFanOut(tensor);
        int fan = mode switch
        {
            "fan_in" => fanIn,
            "fan_out" => fanOut,
            _ => throw new ArgumentException($"{op}: mode \"{mode}\" is not supported; use \"fan_in\" or \"fan_out\"."),
        };
        return CalculateGain(nonlinearity, a) / Math.Sqrt(fan);
    }

    /// <summary>Fills <paramref name="tensor"/> uniform on [-a, a] with a = gain * sqrt(6 / (fan_in + fan_out)) (Glorot
    /// and Bengio; PyTorch's <c>xavier_uniform_</c>). Returns the tensor.</summary>
    /// <param name="tensor">A floating-point tensor of at least 2 dims.</param>
    /// <param name="gain">The scaling factor, as from <see cref="CalculateGain"/>; default 1.</param>
    /// <param name="generator">The stream to draw from (default: <see cref="Generator.Default"/>).</param>
    public static Tensor XavierUniform_(Tensor tensor, double gain = 1, Generator? generator = null)
    {
        double bound = Math.Sqrt(3.0) * XavierStd(tensor, gain);
        return Uniform_(tensor, -bound, bound, generator);
    }

    /// <summary>Fills <paramref name="tensor"/> with normal values of mean 0 and std = gain * sqrt(2 / (fan_in + fan_out))
    /// (Glorot and Bengio; PyTorch's <c>xavier_normal_</c>). Returns the tensor.</summary>
    /// <param name="tensor">A floating-point tensor of at least 2 dims.</param>
    /// <param name="gain">The scaling factor, as from <see cref="CalculateGain"/>; default 1.</param>
    /// <param name="generator">The stream to draw from (default: <see cref="Generator.Default"/>).</param>
    public static Tensor XavierNormal_(Tensor tensor, double gain = 1, Generator? generator = null) =>
        Normal_(tensor, 0, XavierStd(tensor, gain), generator);

    private static double XavierStd(Tensor tensor, double gain)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var (fanIn, fanOut) = CalculateFanInAndFanOut(tensor);
        return gain * Math.Sqrt(2.0 / (fanIn + fanOut));
    }

    /// <summary>Fills <paramref name="tensor"/> uniform on [<paramref name="a"/>, <paramref name="b"/>) (PyTorch's
    /// <c>uniform_</c>). Returns the tensor.</summary>
    /// <param name="tensor">A floating-point tensor.</param>
    /// <param name="a">The lower bound; default 0.</param>
    /// <param name="b">The upper bound, at least <paramref name="a"/>; default 1.</param>
    /// <param name="generator">The stream to draw from (default: <see cref="Generator.Default"/>).</param>
    public static Tensor Uniform_(Tensor tensor, double a = 0, double b = 1, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        using (Autograd.NoGrad()) return tensor.Uniform_(a, b, generator);
    }

    /// <summary>Fills <paramref name="tensor"/> with normal values (PyTorch's <c>normal_</c>). Returns the tensor.</summary>
    /// <param name="tensor">A floating-point tensor.</param>
    /// <param name="mean">The mean; default 0.</param>
    /// <param name="std">The standard deviation, 0 or more; default 1.</param>
    /// <param name="generator">The stream to draw from (default: <see cref="Generator.Default"/>).</param>
    public static Tensor Normal_(Tensor tensor, double mean = 0, double std = 1, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        using (Autograd.NoGrad()) return tensor.Normal_(mean, std, generator);
    }

    /// <summary>Fills <paramref name="tensor"/> with <paramref name="value"/> (PyTorch's <c>constant_</c>). Returns the tensor.</summary>
    /// <param name="tensor">The tensor to fill.</param>
    /// <param name="value">The value.</param>
    public static Tensor Constant_(Tensor tensor, Scalar value)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        using (Autograd.NoGrad()) return tensor.Fill_(value);
    }

    /// <summary>Fills <paramref name="tensor"/> with zeros (PyTorch's <c>zeros_</c>). Returns the tensor.</summary>
    /// <param name="tensor">The tensor to fill.</param>
    public static Tensor Zeros_(Tensor tensor) => Constant_(tensor, 0);

    /// <summary>Fills <paramref name="tensor"/> with ones (PyTorch's <c>ones_</c>). Returns the tensor.</summary>
    /// <param name="tensor">The tensor to fill.</param>
    public static Tensor Ones_(Tensor tensor) => Constant_(tensor, 1);
}
