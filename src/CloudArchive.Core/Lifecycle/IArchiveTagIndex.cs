namespace CloudArchive.Core.Lifecycle;

/// <summary>
/// The archive's blob index tags as the lifecycle sees them (<c>ca_study</c>, <c>ca_patient</c>,
/// <c>ca_retain_until</c>, <c>ca_hold</c>): queries that page through Find Blobs by Tags with continuation tokens, so no
/// caller ever lists the whole archive into memory, and the two writes the lifecycle makes to instances (the hold
/// flag, and deletion that a hold refuses). Only archive instance blobs carry these tags.
/// </summary>
public interface IArchiveTagIndex
{
    /// <summary>Instances whose <c>ca_retain_until</c> is before <paramref name="asOf"/> and whose <c>ca_hold</c> is <c>0</c>, one page at a time.</summary>
    Task<ArchiveTagPage> FindExpiredAsync(DateOnly asOf, string? continuationToken, int pageSize, CancellationToken cancellationToken);

    /// <summary>Every instance of a study, one page at a time.</summary>
    Task<ArchiveTagPage> FindStudyAsync(string studyKey, string? continuationToken, int pageSize, CancellationToken cancellationToken);

    /// <summary>Every instance of a patient (by pseudonym), one page at a time.</summary>
    Task<ArchiveTagPage> FindPatientAsync(string patientPseudonym, string? continuationToken, int pageSize, CancellationToken cancellationToken);

    /// <summary>Whether any instance of the study is kept until <paramref name="asOf"/> or later (<c>ca_retain_until</c> ≥ it).</summary>
    Task<bool> StudyHasUnexpiredAsync(string studyKey, DateOnly asOf, CancellationToken cancellationToken);

    /// <summary>Whether any instance of the study carries <c>ca_hold</c> = <c>1</c>.</summary>
    Task<bool> StudyHasHeldInstanceAsync(string studyKey, CancellationToken cancellationToken);

    /// <summary>An instance's tags, or null when it does not exist.</summary>
    Task<IReadOnlyDictionary<string, string>?> GetTagsAsync(string instanceName, CancellationToken cancellationToken);

    /// <summary>
    /// Sets an instance's <c>ca_hold</c> tag and, where the account supports version-level immutability, its blob legal
    /// hold. Returns false when the instance does not exist.
    /// </summary>
    Task<bool> SetHoldAsync(string instanceName, bool held, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes an instance (and its separate index record, if any) only while its <c>ca_hold</c> tag is <c>0</c>: the
    /// condition is part of the delete request, so a hold placed concurrently wins.
    /// </summary>
    Task<InstanceDeletion> DeleteUnheldAsync(string instanceName, CancellationToken cancellationToken);

    /// <summary>
    /// Whether <see cref="ListAllAsync"/> is the way to walk the archive: the index answers tag queries by listing
    /// (the emulator), so one walk over every instance in name order, deciding per study from the tags it returns, costs
    /// less than a query per study. False where Find Blobs by Tags serves the queries from the blob index.
    /// </summary>
    bool ListsAllInNameOrder { get; }

    /// <summary>
    /// Every instance in name order, so a study's instances come together, with its <c>ca_retain_until</c>,
    /// <c>ca_hold</c> and <c>ca_patient</c> tags, one page at a time. A blob in a study's folder that is not an instance
    /// but carries <c>ca_hold</c> = <c>1</c> is returned too (with an empty instance key), so it still holds the study.
    /// Only where <see cref="ListsAllInNameOrder"/> is true.
    /// </summary>
    /// <exception cref="NotSupportedException">The index does not list the archive (<see cref="ListsAllInNameOrder"/> is false).</exception>
    Task<ArchiveTagPage> ListAllAsync(string? continuationToken, int pageSize, CancellationToken cancellationToken);

    /// <summary>Whether blob legal holds are set as well as the tag (version-level immutability on the account).</summary>
    bool UsesBlobLegalHold { get; }
}
