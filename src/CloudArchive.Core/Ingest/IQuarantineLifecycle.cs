namespace CloudArchive.Core.Ingest;

/// <summary>
/// The lifecycle port of the <c>quarantine</c> container: what a crypto-shred, an erasure and the retention sweep need
/// from it. Quarantine copies are patient data like the archive's, so they leave with their study and expire on their
/// own retention date. Both operations page through the store (never list it whole into memory), are idempotent, and
/// leave copies under a legal hold in place.
/// </summary>
public interface IQuarantineLifecycle
{
    /// <summary>Deletes every quarantine copy attributed to the study (its copy and its reason document).</summary>
    /// <param name="studyKey">The study's opaque key.</param>
    /// <param name="cancellationToken">Cancels the operation; a re-run finishes what an interrupted one left.</param>
    /// <returns>How many quarantined uploads were deleted.</returns>
    Task<int> DeleteStudyAsync(string studyKey, CancellationToken cancellationToken);

    /// <summary>Deletes the quarantine copies whose retention ended before <paramref name="asOf"/> and that are not held.</summary>
    /// <param name="asOf">The sweep's reference time.</param>
    /// <param name="cancellationToken">Cancels the operation; a re-run finishes what an interrupted one left.</param>
    /// <returns>How many quarantined uploads were deleted.</returns>
    Task<int> DeleteExpiredAsync(DateTimeOffset asOf, CancellationToken cancellationToken);
}
