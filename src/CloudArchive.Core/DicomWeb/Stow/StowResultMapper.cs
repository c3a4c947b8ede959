using CloudArchive.Core.Ingest;

namespace CloudArchive.Core.DicomWeb.Stow;

/// <summary>
/// Maps what the ingest pipeline did with a part (<see cref="IngestResult"/>) to the Store Instances Response's terms:
/// archived is stored; the identical duplicate is stored with <see cref="StowStatusCodes.AlreadyStored"/>; a
/// quarantine fails with the Failure Reason matching its reason code (docs/dicomweb/stow.md lists them).
/// </summary>
public static class StowResultMapper
{
    /// <summary>The code of a part whose upload was taken in by a concurrent ingest (its outcome is in the audit log).</summary>
    public const string ConcurrentIngestCode = "concurrent-ingest";

    /// <summary>The result of one part.</summary>
    public static StowInstanceResult Map(StowPartIdentity identity, IngestResult result)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(result);
        return result.Outcome switch
        {
            IngestOutcome.Archived => new StowInstanceResult(identity, true, null, null, "archived", result.InstanceKey),
            IngestOutcome.Duplicate => new StowInstanceResult(identity, true, StowStatusCodes.AlreadyStored, null, "duplicate", result.InstanceKey),
            IngestOutcome.Quarantined => StowInstanceResult.Failed(identity, FailureReasonFor(result.ReasonCode), result.ReasonCode ?? "quarantine", result.InstanceKey),

            // The part's upload was gone when the ingest opened it: an event-driven ingest of the same upload finished
            // first. Its outcome is in its import audit line (same upload-ref); the sender is told to retry, which then
            // answers "already stored" or the failure.
            IngestOutcome.AlreadyHandled => StowInstanceResult.Failed(identity, StowStatusCodes.ProcessingFailure, ConcurrentIngestCode, result.InstanceKey),
            _ => throw new ArgumentOutOfRangeException(nameof(result), "Unknown ingest outcome."),
        };
    }

    /// <summary>The Failure Reason of a quarantine reason code (<see cref="QuarantineReasonCodes.ResultCode"/>).</summary>
    public static ushort FailureReasonFor(string? reasonCode)
    {
        if (reasonCode == QuarantineReasonCodes.ResultCode(QuarantineReason.SopClassNotAllowed))
        {
            return StowStatusCodes.SopClassNotSupported;
        }

        if (reasonCode == QuarantineReasonCodes.ResultCode(QuarantineReason.Conflict))
        {
            return StowStatusCodes.DuplicateSopInstance;
        }

        if (reasonCode == QuarantineReasonCodes.ResultCode(QuarantineReason.Oversized))
        {
            return StowStatusCodes.OutOfResources;
        }

        if (Is(reasonCode, QuarantineReason.MissingAttribute, QuarantineReason.InvalidUid, QuarantineReason.MetaMismatch))
        {
            return StowStatusCodes.DataSetDoesNotMatchSopClass;
        }

        if (Is(reasonCode, QuarantineReason.Empty, QuarantineReason.NotDicom, QuarantineReason.NotPart10, QuarantineReason.MissingTransferSyntax, QuarantineReason.DicomFormat, QuarantineReason.DeflateBomb))
        {
            return StowStatusCodes.CannotUnderstand;
        }

        // Retention undetermined, study shredded, verification failed, and any reason added later: the archive could
        // not take the instance for a reason of its own.
        return StowStatusCodes.ProcessingFailure;
    }

    private static bool Is(string? code, params QuarantineReason[] reasons) =>
        code is not null && reasons.Any(r => code == QuarantineReasonCodes.ResultCode(r));
}
