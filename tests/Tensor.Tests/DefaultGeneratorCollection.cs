using Xunit;

namespace Tensors.Tests;

/// <summary>
/// Tests whose results depend on the position of the process-wide <see cref="Generator.Default"/> (they reseed it,
/// replace it from a checkpoint, or run the sample, which reseeds it per part and draws its initial weights from it).
/// xunit runs test classes in parallel, and one class's draws between another's seed and its draws would change that
/// class's numbers; this collection runs its classes one at a time, after the parallel ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DefaultGeneratorCollection
{
    /// <summary>The collection's name, for <c>[Collection(DefaultGeneratorCollection.Name)]</c>.</summary>
    public const string Name = "Generator.Default";
}
