using BenchmarkDotNet.Running;

namespace CloudArchive.Benchmarks;

/// <summary>Entry point: <c>dotnet run -c Release --project bench/CloudArchive.Benchmarks -- --filter *</c>.</summary>
public static class Program
{
    /// <summary>Runs the BenchmarkDotNet switcher over every suite in this assembly.</summary>
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
