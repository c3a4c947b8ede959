using CloudArchive.Core.Ingest;
using CloudArchive.Core.Ingest.Quarantine;

namespace CloudArchive.Core.Lifecycle.Reconcile;

/// <summary>
/// Moves a poisoned upload to quarantine with reason <c>ingest-failed</c> and its last error code, through the same
/// <see cref="UploadQuarantiner"/> as every other quarantine placement outside an ingest: encrypted copy under an
/// opaque id, a 110107 line (with <c>error=</c> and <c>reconcile</c>), then the upload's delete conditional on the
/// version copied. Safe to repeat: the quarantine id is keyed by the upload version.
/// </summary>
public sealed class PoisonedUploadMover
{
    /// <summary>The audit detail that marks a placement made by reconciliation.</summary>
    public const string ReconcileDetail = "reconcile";

    private readonly UploadQuarantiner _quarantiner;

    /// <summary>Creates the mover.</summary>
    public PoisonedUploadMover(UploadQuarantiner quarantiner) => _quarantiner = quarantiner ?? throw new ArgumentNullException(nameof(quarantiner));

    /// <summary>Moves the upload, or reports it gone.</summary>
    /// <param name="upload">The upload the poisoned event names.</param>
    /// <param name="errorCode">The last error code of its deliveries (normalized; <c>unknown</c> when none was recorded).</param>
    /// <param name="correlationId">The reconcile run's correlation id.</param>
    /// <param name="cancellationToken">Cancels the move.</param>
    public async Task<PoisonedUploadOutcome> MoveAsync(PoisonedUpload upload, string errorCode, string correlationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upload);
        var code = IngestFailureNotes.Normalize(errorCode);
        var result = await _quarantiner.QuarantineAsync(
            upload.Container,
            upload.BlobName,
            QuarantineReason.IngestFailed,
            $"Every delivery of this upload's ingest event failed (last error: {code}); reconciliation moved it here from the poison queue.",
            correlationId,
            cancellationToken,
            ["error=" + code, ReconcileDetail],
            upload.EventId).ConfigureAwait(false);
        return result.Outcome == IngestOutcome.AlreadyHandled ? PoisonedUploadOutcome.Gone : PoisonedUploadOutcome.Quarantined;
    }
}
