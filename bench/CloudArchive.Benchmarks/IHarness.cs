namespace CloudArchive.Benchmarks;

/// <summary>
/// An end-to-end measurement that BenchmarkDotNet does not fit (whole-process peak memory, multi-GiB
/// streams, external tools as baselines). Implementations are discovered by reflection.
/// </summary>
public interface IHarness
{
    /// <summary>The name used on the command line (<c>harness NAME</c>).</summary>
    string Name { get; }

    /// <summary>One line shown by <c>harness list</c>.</summary>
    string Description { get; }

    /// <summary>Runs the measurement, prints a report, and returns 0 when every stated bound held.</summary>
    Task<int> RunAsync(string[] args, CancellationToken cancellationToken);
}
