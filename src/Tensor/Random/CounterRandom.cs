namespace Tensors.Random;

/// <summary>
/// A counter-based generator: the value at position i is a pure function of (seed, i), so backends can fill any
/// element in any order, in parallel or on a GPU, and still agree bit for bit on the uniform draws.
/// The mixing function is SplitMix64's finaliser.
/// </summary>
internal static class CounterRandom
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;

    public static ulong Bits(ulong seed, ulong counter)
    {
        ulong z = seed * Golden + (counter + 1) * 0xD1B54A32D192ED03UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform on [0, 1) with 53 random bits.</summary>
    public static double Uniform(ulong seed, ulong counter) => (Bits(seed, counter) >> 11) * (1.0 / (1UL << 53));

    /// <summary>Standard normal by Box-Muller from two independent draws of the same position.</summary>
    public static double Normal(ulong seed, ulong counter)
    {
        double u1 = 1.0 - Uniform(seed, 2 * counter);      // (0, 1]: log is finite
        double u2 = Uniform(seed, 2 * counter + 1);
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    public static double Draw(Backends.RandomKind kind, ulong seed, ulong counter) =>
        kind == Backends.RandomKind.Uniform ? Uniform(seed, counter) : Normal(seed, counter);
}
