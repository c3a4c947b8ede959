namespace CloudArchive.Core.DicomWeb.Stow;

/// <summary>What happened to one STOW-RS part: stored (possibly with a warning) or failed with a reason.</summary>
/// <param name="Identity">The part's UIDs, as read from its head (for the response only; never logged).</param>
/// <param name="Stored">True when the instance is in the archive (newly, or identical to what was already there).</param>
/// <param name="WarningReason">The Warning Reason of a stored instance, if any (<see cref="StowStatusCodes"/>).</param>
/// <param name="FailureReason">The Failure Reason of a part that was not stored (<see cref="StowStatusCodes"/>).</param>
/// <param name="ReasonCode">The archive's machine code (e.g. <c>archived</c>, <c>quarantine.not-dicom</c>, <c>study-mismatch</c>): safe to log and audit.</param>
/// <param name="InstanceKey">The opaque instance key the ingest reported, if any.</param>
public sealed record StowInstanceResult(StowPartIdentity Identity, bool Stored, ushort? WarningReason, ushort? FailureReason, string ReasonCode, string? InstanceKey = null)
{
    /// <summary>A part that was not stored.</summary>
    public static StowInstanceResult Failed(StowPartIdentity identity, ushort reason, string code, string? instanceKey = null) => new(identity, false, null, reason, code, instanceKey);
}
