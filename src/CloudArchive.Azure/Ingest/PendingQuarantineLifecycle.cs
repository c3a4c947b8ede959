using CloudArchive.Core.Ingest;

namespace CloudArchive.Azure.Ingest;

/// <summary>
/// Placeholder for the encrypted quarantine's lifecycle, which the quarantine change implements: until it is merged,
/// the plaintext quarantine has no study attribution to delete by, so both operations delete nothing. Replaced at merge.
/// </summary>
public sealed class PendingQuarantineLifecycle : IQuarantineLifecycle
{
    /// <inheritdoc />
    public Task<int> DeleteStudyAsync(string studyKey, CancellationToken cancellationToken) => Task.FromResult(0);

    /// <inheritdoc />
    public Task<int> DeleteExpiredAsync(DateTimeOffset asOf, CancellationToken cancellationToken) => Task.FromResult(0);
}
