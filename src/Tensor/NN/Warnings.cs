namespace Tensors.NN;

/// <summary>PyTorch's <c>UserWarning</c>s: each distinct message is written once per process to
/// <see cref="Console.Error"/>, as Python's default warning filter shows it once.</summary>
internal static class Warnings
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _shown = new();

    public static void Once(string message)
    {
        if (_shown.TryAdd(message, true)) Console.Error.WriteLine($"UserWarning: {message}");
    }
}
