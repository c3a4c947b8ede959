namespace CloudArchive.Core.DicomWeb.Query;

/// <summary>What a QIDO-RS service accepts.</summary>
public sealed class QidoQueryLimits
{
    /// <summary>Results per response at most; also the page size when the client sends no <c>limit</c>.</summary>
    public int MaxResults { get; init; } = 1000;

    /// <summary>The largest <c>offset</c> accepted.</summary>
    public int MaxOffset { get; init; } = 1_000_000;

    /// <summary>Query parameters accepted in one request.</summary>
    public int MaxParameters { get; init; } = 64;
}
