using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace CloudArchive.Benchmarks.Storage;

/// <summary>
/// Few, long operations: one warm-up and three measured runs of a single invocation each (no pilot), so the 1 GiB
/// cases finish in minutes. Upload and download are grouped, each with the bare HttpClient as baseline. In-process,
/// so BenchmarkDotNet does not rebuild the solution into the shared obj/bin folders.
/// </summary>
internal sealed class StorageBenchmarkConfig : ManualConfig
{
    public StorageBenchmarkConfig()
    {
        AddJob(Job.Default.WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(3)
            .WithToolchain(InProcessEmitToolchain.Instance).WithId("Azurite"));
        AddColumn(new ThroughputColumn());
        AddLogicalGroupRules(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams);
        WithOption(ConfigOptions.JoinSummary, true);
    }
}
