using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace CloudArchive.Benchmarks.Storage;

/// <summary>MB/s (10^6 bytes per second) from the <c>SizeMiB</c> parameter and the mean time of one operation.</summary>
internal sealed class ThroughputColumn : IColumn
{
    public string Id => nameof(ThroughputColumn);

    public string ColumnName => "MB/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Throughput: blob bytes / mean time of one operation, in 10^6 bytes per second";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var report = summary[benchmarkCase];
        var size = benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == "SizeMiB")?.Value;
        if (report?.ResultStatistics is null || size is not int mib)
        {
            return "-";
        }

        var seconds = report.ResultStatistics.Mean / 1e9;
        return (mib * 1024.0 * 1024.0 / 1e6 / seconds).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
