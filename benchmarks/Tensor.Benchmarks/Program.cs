using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

// Ten iterations after BenchmarkDotNet's automatic warm-up: tiered compilation must reach steady state before
// timing (a fixed short warm-up measured unoptimised library code). Pass BenchmarkDotNet's own
// arguments (--filter, --job) to change that.
var config = DefaultConfig.Instance
    .AddJob(Job.Default.WithIterationCount(10).WithId("steady"))
    .WithOptions(ConfigOptions.JoinSummary);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
