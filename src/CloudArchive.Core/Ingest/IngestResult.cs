namespace CloudArchive.Core.Ingest;

/// <summary>The result of taking one upload in. Holds only opaque keys and codes (it is logged).</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="InstanceKey">The opaque instance key, when the upload was a readable instance.</param>
/// <param name="ReasonCode">A machine-readable reason (e.g. <c>quarantine.not-dicom</c>), when there is one.</param>
public sealed record IngestResult(IngestOutcome Outcome, string? InstanceKey = null, string? ReasonCode = null);
