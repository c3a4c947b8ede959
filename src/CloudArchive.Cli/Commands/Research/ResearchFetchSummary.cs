namespace CloudArchive.Cli.Commands.Research;

/// <summary>The outcome of <c>research fetch</c>.</summary>
internal sealed class ResearchFetchSummary
{
    public int Studies { get; set; }

    public int Downloaded { get; set; }

    public long DownloadedBytes { get; set; }

    public int AlreadyComplete { get; set; }

    /// <summary>Files that failed verification: <c>study/series/instance: reason</c> (de-identified UIDs only).</summary>
    public List<string> Failures { get; } = [];
}
