using BenchmarkDotNet.Running;

namespace CloudArchive.Benchmarks;

/// <summary>
/// Entry point. <c>dotnet run -c Release --project bench/CloudArchive.Benchmarks -- harness NAME [args]</c> runs
/// one end-to-end throughput/memory harness (each prints its figures and exits non-zero if its bound is
/// missed); anything else goes to BenchmarkDotNet (<c>-- --filter *Storage*</c>).
/// </summary>
public static class Program
{
    /// <summary>Dispatches to a harness or to the BenchmarkDotNet switcher.</summary>
    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "harness")
        {
            return await HarnessRunner.RunAsync(args.Skip(1).ToArray(), CancellationToken.None).ConfigureAwait(false);
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
