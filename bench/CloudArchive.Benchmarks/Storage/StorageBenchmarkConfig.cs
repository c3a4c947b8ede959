using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace CloudArchive.Benchmarks.Storage;

/// <summary>
/// One warm-up and three measured iterations; the pilot sizes each iteration to at least 0.5 s, so a 1 MiB case
/// averages many operations while a 1 GiB case runs one per iteration (unroll factor 1) and finishes in minutes.
/// Upload and download are grouped, each with the bare HttpClient as baseline. In-process, so BenchmarkDotNet
/// does not rebuild the solution into the shared obj/bin folders.
/// </summary>
internal sealed class StorageBenchmarkConfig : ManualConfig
{
    public StorageBenchmarkConfig()
    {
        AddJob(Job.Default.WithStrategy(RunStrategy.Throughput).WithUnrollFactor(1).WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(3)
            .WithToolchain(InProcessEmitToolchain.Instance).WithId("Azurite"));
        AddColumn(new ThroughputColumn());
        AddLogicalGroupRules(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams);
        WithOption(ConfigOptions.JoinSummary, true);
    }
}
