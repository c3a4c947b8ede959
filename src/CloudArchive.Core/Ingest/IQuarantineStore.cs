using CloudArchive.Core.Ingest.Quarantine;

namespace CloudArchive.Core.Ingest;

/// <summary>
/// Storage port for the <c>quarantine</c> container (names: <see cref="QuarantineNames"/>). Holds encrypted copies of
/// rejected uploads and their reason documents, both carrying index tags (<c>ca_study</c> and <c>ca_patient</c> where
/// known, <c>ca_retain_until</c>, <c>ca_hold</c>) so shred, erasure and the retention sweep find them by tag query.
/// Writes are create-only: a placement of an id already present reuses what is there (re-delivery), never overwrites.
/// </summary>
public interface IQuarantineStore
{
    /// <summary>Writes the encrypted copy, then the reason document, each create-only.</summary>
    /// <returns>True when the copy was written now; false when an earlier placement of the same id had written it.</returns>
    Task<bool> PlaceAsync(QuarantinePlacement placement, CancellationToken cancellationToken);

    /// <summary>One page of quarantined ids (those with a reason document), in name order.</summary>
    Task<QuarantinePage> ListAsync(string? continuationToken, int pageSize, CancellationToken cancellationToken);

    /// <summary>The reason document of <paramref name="id"/>, or null when there is none.</summary>
    Task<QuarantineReasonBlob?> ReadReasonAsync(string id, CancellationToken cancellationToken);

    /// <summary>Replaces the reason document if it is still the version read; false when it changed or vanished.</summary>
    Task<bool> TryReplaceReasonAsync(string id, ReadOnlyMemory<byte> reasonJson, string etag, CancellationToken cancellationToken);

    /// <summary>Opens the encrypted copy of <paramref name="id"/> for a forward read, or returns null when there is none.</summary>
    Task<QuarantineCopy?> OpenCopyAsync(string id, CancellationToken cancellationToken);

    /// <summary>Deletes the encrypted copy only (its reason document stays); false when it was already gone.</summary>
    Task<bool> DeleteCopyAsync(string id, CancellationToken cancellationToken);

    /// <summary>Deletes the copy and the reason document; false when neither was there (idempotent).</summary>
    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken);

    /// <summary>The index tags of the id's reason document (or of its copy when the document is gone), or null.</summary>
    Task<IReadOnlyDictionary<string, string>?> GetTagsAsync(string id, CancellationToken cancellationToken);

    /// <summary>One page of ids whose blobs carry <c>ca_study</c> = <paramref name="studyKey"/> (a tag query).</summary>
    Task<QuarantinePage> FindByStudyAsync(string studyKey, string? continuationToken, CancellationToken cancellationToken);

    /// <summary>One page of ids whose <c>ca_retain_until</c> is before <paramref name="date"/> (a tag query).</summary>
    Task<QuarantinePage> FindRetainedBeforeAsync(DateOnly date, string? continuationToken, CancellationToken cancellationToken);
}
