using CloudArchive.Core.Audit;

namespace CloudArchive.Functions.DicomWeb.Clinical;

/// <summary>One clinical DICOMweb request as the handler tracks it: who, why, and whether its audit line is written.</summary>
internal sealed class ClinicalRequest(HttpContext context, string correlationId)
{
    public HttpContext Context { get; } = context;

    public string CorrelationId { get; } = correlationId;

    public AuditActor? Actor { get; set; }

    public string? PurposeOfUse { get; set; }

    public ClinicalRoute? Route { get; set; }

    /// <summary>True once an audit line accounts for the request (a later failure must not add a second one).</summary>
    public bool Audited { get; set; }

    public CancellationToken Aborted => Context.RequestAborted;
}
