namespace Tensors;

/// <summary>
/// A seedable source of random tensors (PyTorch's <c>torch.Generator</c>). Each draw takes the next block of
/// positions of a counter-based stream, so results depend only on the seed and the order of draws, not on the
/// device or thread count.
/// </summary>
public sealed class Generator
{
    private ulong _counter;

    /// <summary>Creates a generator with the given seed.</summary>
    /// <param name="seed">The seed: the same seed gives the same stream (not PyTorch's stream for that seed).</param>
    public Generator(ulong seed) => Seed = seed;

    /// <summary>The process-wide generator used when none is passed; reseed it with <see cref="Tensor.ManualSeed"/>.</summary>
    public static Generator Default { get; internal set; } = new(0x5EED);

    /// <summary>The seed.</summary>
    public ulong Seed { get; }

    /// <summary>The next position of the stream (how many values have been drawn): with <see cref="Seed"/>, the
    /// whole state, which a learner's checkpoint saves and restores.</summary>
    internal ulong Position
    {
        get { lock (this) return _counter; }
        set { lock (this) _counter = value; }
    }

    /// <summary>Reserves <paramref name="count"/> positions of the stream and returns the first.</summary>
    internal ulong Take(long count)
    {
        lock (this)
        {
            var start = _counter;
            _counter += (ulong)count;
            return start;
        }
    }

    /// <summary>A uniform integer in [0, <paramref name="bound"/>), for host-side shuffles.</summary>
    /// <param name="bound">The exclusive upper bound, positive.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bound"/> is not positive.</exception>
    public int NextInt(int bound)
    {
        if (bound <= 0) throw new ArgumentOutOfRangeException(nameof(bound), bound, "NextInt: bound must be positive.");
        return (int)(Random.CounterRandom.Uniform(Seed, Take(1)) * bound);
    }
}
