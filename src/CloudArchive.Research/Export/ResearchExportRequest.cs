namespace CloudArchive.Research.Export;

/// <summary>A request to export (or refresh) the research copies of one agreement.</summary>
public sealed record ResearchExportRequest
{
    /// <summary>The agreement id.</summary>
    public required string AgreementId { get; init; }

    /// <summary>Who asked, as an audit actor id (an Entra object id, or <c>cli:</c>/<c>svc:</c>/<c>app:</c> + name).</summary>
    public required string RequestedBy { get; init; }

    /// <summary>Ties the run's audit lines to logs (e.g. the Functions invocation id), if any.</summary>
    public string? CorrelationId { get; init; }
}
