// Build tasks: dotnet tool restore && dotnet cake --target=<Build|Test|Pack|Bench|Sample>
var target = Argument("target", "Test");
var configuration = Argument("configuration", "Release");

Task("Build")
    .Does(() => DotNetBuild("Tensor.sln", new DotNetBuildSettings { Configuration = configuration }));

Task("Test")
    .IsDependentOn("Build")
    .Does(() => DotNetTest("Tensor.sln", new DotNetTestSettings { Configuration = configuration, NoBuild = true }));

Task("Pack")
    .Does(() =>
    {
        foreach (var project in new[] { "src/Tensor/Tensor.csproj", "src/Tensor.Cuda/Tensor.Cuda.csproj" })
            DotNetPack(project, new DotNetPackSettings { Configuration = configuration, OutputDirectory = "artifacts/packages" });
    });

Task("Bench")
    .Does(() => DotNetRun("benchmarks/Tensor.Benchmarks/Tensor.Benchmarks.csproj",
        new ProcessArgumentBuilder().Append("--filter").Append(Argument("filter", "*")),
        new DotNetRunSettings { Configuration = "Release" }));

Task("Sample")
    .Does(() => DotNetRun("samples/MnistBasics/MnistBasics.csproj", new DotNetRunSettings { Configuration = configuration }));

RunTarget(target);
