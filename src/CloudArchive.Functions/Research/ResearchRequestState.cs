using CloudArchive.Core.Audit;

namespace CloudArchive.Functions.Research;

/// <summary>What one request has established so far, so that a failure can still be audited once.</summary>
internal sealed class ResearchRequestState(string correlationId)
{
    public string CorrelationId { get; } = correlationId;

    public AuditActor? Actor { get; set; }

    public string? AgreementId { get; set; }

    public string? PurposeOfUse { get; set; }

    public bool Audited { get; set; }
}
