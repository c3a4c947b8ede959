namespace CloudArchive.Core.Ingest;

/// <summary>The result of taking one upload in. Holds only opaque keys and codes (it is logged).</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="InstanceKey">The opaque instance key, when the upload was a readable instance.</param>
/// <param name="ReasonCode">A machine-readable reason (e.g. <c>quarantine.not-dicom</c>), when there is one.</param>
public sealed record IngestResult(IngestOutcome Outcome, string? InstanceKey = null, string? ReasonCode = null)
{
    /// <summary>The quarantine id, when the upload was quarantined.</summary>
    public string? QuarantineId { get; init; }

    /// <summary>File Meta fields rebuilt from the data set (<see cref="Ingest.MetaRepairs"/> codes); empty when none.</summary>
    public IReadOnlyList<string> MetaRepairs { get; init; } = [];
}
