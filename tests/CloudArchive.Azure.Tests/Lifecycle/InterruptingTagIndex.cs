using CloudArchive.Core.Lifecycle;

namespace CloudArchive.Azure.Tests.Lifecycle;

/// <summary>
/// The real tag index, except that the delete after <see cref="FailAfter"/> successful ones throws (a crash mid-sweep).
/// With <paramref name="walk"/> it offers the inner index's whole-archive walk, otherwise only the per-study queries,
/// so both ways the sweep finds its studies are tested.
/// </summary>
internal sealed class InterruptingTagIndex(IArchiveTagIndex inner, bool walk = false) : IArchiveTagIndex
{
    private int _deletes;

    public int FailAfter { get; set; } = int.MaxValue;

    public bool UsesBlobLegalHold => inner.UsesBlobLegalHold;

    public Task<ArchiveTagPage> FindExpiredAsync(DateOnly asOf, string? continuationToken, int pageSize, CancellationToken cancellationToken) => inner.FindExpiredAsync(asOf, continuationToken, pageSize, cancellationToken);

    public bool ListsAllInNameOrder => walk && inner.ListsAllInNameOrder;

    public Task<ArchiveTagPage> ListAllAsync(string? continuationToken, int pageSize, CancellationToken cancellationToken) => inner.ListAllAsync(continuationToken, pageSize, cancellationToken);

    public Task<ArchiveTagPage> FindStudyAsync(string studyKey, string? continuationToken, int pageSize, CancellationToken cancellationToken) => inner.FindStudyAsync(studyKey, continuationToken, pageSize, cancellationToken);

    public Task<ArchiveTagPage> FindPatientAsync(string patientPseudonym, string? continuationToken, int pageSize, CancellationToken cancellationToken) => inner.FindPatientAsync(patientPseudonym, continuationToken, pageSize, cancellationToken);

    public Task<bool> StudyHasUnexpiredAsync(string studyKey, DateOnly asOf, CancellationToken cancellationToken) => inner.StudyHasUnexpiredAsync(studyKey, asOf, cancellationToken);

    public Task<bool> StudyHasHeldInstanceAsync(string studyKey, CancellationToken cancellationToken) => inner.StudyHasHeldInstanceAsync(studyKey, cancellationToken);

    public Task<IReadOnlyDictionary<string, string>?> GetTagsAsync(string instanceName, CancellationToken cancellationToken) => inner.GetTagsAsync(instanceName, cancellationToken);

    public Task<bool> SetHoldAsync(string instanceName, bool held, CancellationToken cancellationToken) => inner.SetHoldAsync(instanceName, held, cancellationToken);

    public async Task<InstanceDeletion> DeleteUnheldAsync(string instanceName, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _deletes) > FailAfter)
        {
            throw new IOException("simulated crash");
        }

        return await inner.DeleteUnheldAsync(instanceName, cancellationToken);
    }
}
