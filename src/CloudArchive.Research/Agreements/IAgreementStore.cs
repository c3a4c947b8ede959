namespace CloudArchive.Research.Agreements;

/// <summary>
/// Storage port for agreements (<c>control/agreements/{id}.json</c>). Implementations validate documents on read and
/// surface a malformed one as <see cref="AgreementFormatException"/>; transient failures surface as exceptions.
/// </summary>
public interface IAgreementStore
{
    /// <summary>Reads one agreement, or null when there is none with that id.</summary>
    Task<StoredAgreement?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Lists every agreement (ordered by id).</summary>
    IAsyncEnumerable<StoredAgreement> ListAsync(CancellationToken cancellationToken);

    /// <summary>Creates an agreement only if its id is free; false (writing nothing) when it is taken.</summary>
    Task<bool> TryCreateAsync(DataSharingAgreement agreement, CancellationToken cancellationToken);

    /// <summary>Replaces an agreement if it is still at <paramref name="etag"/>; false (writing nothing) when it changed meanwhile.</summary>
    Task<bool> TryReplaceAsync(DataSharingAgreement agreement, string etag, CancellationToken cancellationToken);
}
