using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace CloudArchive.Benchmarks.Storage;

/// <summary>
/// Few, long operations: two warm-ups (JIT, connection pool) and three measured runs of one operation each, no
/// pilot (the throughput strategy's pilot packs several 1 GiB operations into one iteration and times out in
/// process), so the 1 GiB cases finish in minutes. Small sizes are therefore latency figures with wide error bars.
/// Upload and download are grouped, each with the bare HttpClient as baseline. In-process, so BenchmarkDotNet
/// does not rebuild the solution into the shared obj/bin folders.
/// </summary>
internal sealed class StorageBenchmarkConfig : ManualConfig
{
    public StorageBenchmarkConfig()
    {
        AddJob(Job.Default.WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(2).WithIterationCount(3)
            .WithToolchain(InProcessEmitToolchain.Instance).WithId("Azurite"));
        AddColumn(new ThroughputColumn());
        AddLogicalGroupRules(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams);
        WithOption(ConfigOptions.JoinSummary, true);
    }
}
