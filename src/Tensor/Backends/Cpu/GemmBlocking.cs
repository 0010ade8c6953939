using System.Runtime.CompilerServices;

namespace Tensors.Backends.Cpu;

/// <summary>
/// The data caches of the core this process runs on (per-core L1d and L2, the shared L3), read once from Linux's
/// sysfs; elsewhere, or where it cannot be read, sizes typical of current x64 and Arm cores.
/// </summary>
internal static class CacheSizes
{
    public static int L1d { get; }
    public static int L2 { get; }
    public static int L3 { get; }

    static CacheSizes()
    {
        int l1 = 32 << 10, l2 = 512 << 10, l3 = 8 << 20;
        try
        {
            const string root = "/sys/devices/system/cpu/cpu0/cache";
            if (Directory.Exists(root))
                foreach (var dir in Directory.EnumerateDirectories(root, "index*"))
                {
                    var type = File.ReadAllText(Path.Combine(dir, "type")).Trim();
                    if (type == "Instruction") continue;
                    int level = int.Parse(File.ReadAllText(Path.Combine(dir, "level")).Trim());
                    int size = ParseSize(File.ReadAllText(Path.Combine(dir, "size")).Trim());
                    if (size <= 0) continue;
                    if (level == 1) l1 = size;
                    else if (level == 2) l2 = size;
                    else if (level == 3) l3 = size;
                }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or OverflowException)
        {
            // Keep the typical sizes: blocking only gets slower, never wrong.
        }
        (L1d, L2, L3) = (l1, l2, l3);
    }

    // "48K", "1024K", "32M" or a plain byte count.
    private static int ParseSize(string s)
    {
        long scale = s.EndsWith('K') ? 1 << 10 : s.EndsWith('M') ? 1 << 20 : s.EndsWith('G') ? 1 << 30 : 1;
        long v = long.Parse(scale == 1 ? s : s[..^1]) * scale;
        return (int)Math.Min(v, int.MaxValue);
    }
}

/// <summary>
/// Block sizes for the Goto/BLIS loops, derived from the cache sizes: a KC x NR panel of B stays in half of L1d
/// while A's micro-panels stream past it; an MC x KC block of A fills half of L2; a KC x NC block of B takes a
/// quarter of L3 (shared by the cores).
/// </summary>
internal readonly record struct GemmBlocking(int KC, int MC, int NC)
{
    /// <summary>Blocks for a micro-kernel of <paramref name="mr"/> x <paramref name="nr"/> elements of <paramref name="size"/> bytes, on this machine's caches.</summary>
    /// <param name="mr">The micro-kernel's rows.</param>
    /// <param name="nr">The micro-kernel's columns.</param>
    /// <param name="size">Bytes per element.</param>
    /// <param name="k">The product's inner dimension: KC is evened out so that the last block is not a sliver.</param>
    public static GemmBlocking For(int mr, int nr, int size, int k) => For(mr, nr, size, k, CacheSizes.L1d, CacheSizes.L2, CacheSizes.L3);

    /// <summary>Blocks for a micro-kernel on caches of the given sizes.</summary>
    /// <param name="mr">The micro-kernel's rows.</param>
    /// <param name="nr">The micro-kernel's columns.</param>
    /// <param name="size">Bytes per element.</param>
    /// <param name="k">The product's inner dimension: KC is evened out so that the last block is not a sliver.</param>
    /// <param name="l1">L1d bytes per core.</param>
    /// <param name="l2">L2 bytes per core.</param>
    /// <param name="l3">L3 bytes (shared).</param>
    public static GemmBlocking For(int mr, int nr, int size, int k, int l1, int l2, int l3)
    {
        int kc = Math.Clamp(l1 / 2 / (nr * size), 64, 1024) & ~7;
        int blocks = Math.Max(1, (k + kc - 1) / kc);
        kc = Math.Min(kc, ((k + blocks - 1) / blocks + 7) & ~7);
        int mc = Math.Max(mr, l2 / 2 / (kc * size) / mr * mr);
        int nc = Math.Max(nr, l3 / 4 / (kc * size) / nr * nr);
        return new GemmBlocking(kc, mc, nc);
    }
}
