using System.Text.Json.Nodes;
using Xunit;

namespace Tensors.Tests.Sample;

/// <summary>The sample ships with tiered compilation off (benchmarks/RESULTS.md, "Start-up": tiering compiled about
/// 5,500 methods in the chapter and ran its first training loops on slow tier-0 kernels). The setting lives in the
/// runtime configuration the build writes beside the program, which the build copies here.</summary>
public class StartupSettingsTests
{
    [Fact]
    public void TheSampleRunsWithTieredCompilationOff()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "MnistBasics.runtimeconfig.json");
        Assert.True(File.Exists(path), $"no {path}: the sample's runtime configuration was not copied beside the tests");
        var properties = JsonNode.Parse(File.ReadAllText(path))?["runtimeOptions"]?["configProperties"];
        var tiered = properties?["System.Runtime.TieredCompilation"];
        Assert.True(tiered is not null, $"{path} does not set System.Runtime.TieredCompilation; MnistBasics.csproj should set <TieredCompilation>false</TieredCompilation>");
        Assert.False(tiered!.GetValue<bool>());
    }
}
