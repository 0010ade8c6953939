namespace Tensors.NN;

/// <summary>PyTorch's <c>torch.nn.utils</c>: gradient clipping.</summary>
public static class Utils
{
    /// <summary>
    /// Scales the gradients of <paramref name="parameters"/> in place so that their total norm (the norm of all of
    /// them as one vector) is at most <paramref name="maxNorm"/> (PyTorch's <c>clip_grad_norm_</c>): each gradient
    /// is multiplied by min(1, maxNorm / (total + 1e-6)). Parameters without a gradient are skipped. The gradients
    /// may be on different devices; the total is computed on the first one's. With one device nothing waits for it
    /// unless <paramref name="errorIfNonfinite"/> asks for a check (one sync); each other device adds one copy each way.
    /// </summary>
    /// <param name="parameters">The parameters whose gradients to clip.</param>
    /// <param name="maxNorm">The largest total norm allowed.</param>
    /// <param name="normType">The order p of the norm, positive; <see cref="double.PositiveInfinity"/> for the largest
    /// magnitude; default 2.</param>
    /// <param name="errorIfNonfinite">Throw when the total norm is NaN or infinite, instead of clipping with it;
    /// default <c>false</c>.</param>
    /// <returns>The total norm before clipping, a one-element tensor of the gradients' dtype on the first gradient's
    /// device (0 when no parameter has a gradient).</returns>
    /// <exception cref="InvalidOperationException"><paramref name="errorIfNonfinite"/> is set and the norm is not finite.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="normType"/> is not positive.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="errorIfNonfinite"/> is set and the total norm is NaN
    /// or infinite.</exception>
    public static Tensor ClipGradNorm_(IEnumerable<Tensor> parameters, double maxNorm, double normType = 2, bool errorIfNonfinite = false)
    {
        if (!(normType > 0))
            throw new ArgumentOutOfRangeException(nameof(normType), normType, "ClipGradNorm_: normType must be positive (2 for the Euclidean norm, double.PositiveInfinity for the largest magnitude).");
        var grads = parameters.Select(p => p.Grad).OfType<Tensor>().ToList();
        if (grads.Count == 0) return Tensor.Scalar(0.0);
        using var _ = Autograd.NoGrad();
        // Each device stacks its own gradients' norms, so only one small tensor per other device is copied.
        var device = grads[0].Device;
        var parts = grads.GroupBy(g => g.Device).Select(onDevice =>
        {
            var norms = onDevice.Select(g => Norm(g, normType)).ToList();
            using var stacked = Tensor.Stack(norms);
            norms.ForEach(n => n.Dispose());
            return stacked.To(device);
        }).ToList();
        Tensor total;
        using (var all = Tensor.Cat(parts))
            total = Norm(all, normType);
        parts.ForEach(n => n.Dispose());
        if (errorIfNonfinite && total.Item<double>() is var t && !double.IsFinite(t))
        {
            total.Dispose();
            throw new InvalidOperationException(
                $"ClipGradNorm_: the total norm of order {normType} of the gradients of {grads.Count} parameter(s) is {t}, so they cannot be clipped; pass errorIfNonfinite: false to clip with it anyway.");
        }
        using var shifted = total + 1e-6;
        using var coefficient = maxNorm / shifted;
        using var clamped = coefficient.Clamp(max: 1.0);
        foreach (var onDevice in grads.GroupBy(g => g.Device))
        {
            using var c = clamped.To(onDevice.Key);
            foreach (var g in onDevice) g.Mul_(c);
        }
        return total;
    }

    /// <summary>Clamps every gradient of <paramref name="parameters"/> in place to
    /// [-<paramref name="clipValue"/>, <paramref name="clipValue"/>] (PyTorch's <c>clip_grad_value_</c>).</summary>
    /// <param name="parameters">The parameters whose gradients to clip.</param>
    /// <param name="clipValue">The largest magnitude allowed, not negative.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="clipValue"/> is negative.</exception>
    public static void ClipGradValue_(IEnumerable<Tensor> parameters, double clipValue)
    {
        if (!(clipValue >= 0)) throw new ArgumentOutOfRangeException(nameof(clipValue), clipValue, "ClipGradValue_: clipValue must not be negative.");
        using var _ = Autograd.NoGrad();
        foreach (var g in parameters.Select(p => p.Grad).OfType<Tensor>())
        {
            using var clamped = g.Clamp(-clipValue, clipValue);
            g.CopyFrom_(clamped);
        }
    }

    // The p-norm of all elements: max |x| for p = inf, sqrt(sum x²) for 2, (sum |x|^p)^(1/p) otherwise.
    private static Tensor Norm(Tensor t, double p)
    {
        using var abs = t.Abs();
        if (double.IsPositiveInfinity(p)) return abs.Max();
        if (p == 2)
        {
            using var squares = t * t;
            using var sum = squares.Sum();
            return sum.Sqrt();
        }
        using var powered = abs.Pow(p);
        using var total = powered.Sum();
        return total.Pow(1 / p);
    }
}
