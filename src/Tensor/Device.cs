namespace Tensors;

/// <summary>The kind of memory a tensor lives in.</summary>
public enum DeviceType
{
    /// <summary>Host memory, computed by the managed SIMD backend.</summary>
    Cpu,
    /// <summary>An NVIDIA GPU through the Tensor.Cuda package.</summary>
    Cuda,
}

/// <summary>Where a tensor's storage lives: <c>cpu</c> or <c>cuda:N</c>.</summary>
/// <param name="Type">The kind of device.</param>
/// <param name="Index">The ordinal among devices of that kind (0 for the CPU); default 0.</param>
public readonly record struct Device(DeviceType Type, int Index = 0)
{
    /// <summary>The host.</summary>
    public static Device Cpu => new(DeviceType.Cpu);

    /// <summary>The CUDA device with the given ordinal.</summary>
    /// <param name="index">The GPU's ordinal; default 0.</param>
    public static Device Cuda(int index = 0) => new(DeviceType.Cuda, index);

    /// <summary>Parses <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</summary>
    /// <param name="text"><c>cpu</c>, <c>cuda</c> or <c>cuda:N</c> (case and surrounding spaces ignored).</param>
    /// <exception cref="FormatException"><paramref name="text"/> is none of these.</exception>
    public static Device Parse(string text)
    {
        var t = text.Trim().ToLowerInvariant();
        if (t == "cpu") return Cpu;
        if (t == "cuda") return Cuda();
        if (t.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(t.AsSpan(5), out var i) && i >= 0)
            return Cuda(i);
        throw new FormatException($"'{text}' is not a device; use cpu, cuda or cuda:N.");
    }

    /// <summary>PyTorch's spelling: <c>cpu</c> or <c>cuda:0</c>.</summary>
    public override string ToString() => Type == DeviceType.Cpu ? "cpu" : $"cuda:{Index}";
}
