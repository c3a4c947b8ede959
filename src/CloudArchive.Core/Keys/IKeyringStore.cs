namespace CloudArchive.Core.Keys;

/// <summary>
/// Storage port for keyring entries (the <c>keyring</c> container in Azure). Entries are small JSON documents holding
/// only wrapped keys. Implementations must make <see cref="TryCreateAsync"/> atomic create-only and
/// <see cref="TryReplaceAsync"/> a compare-and-swap on the ETag.
/// </summary>
public interface IKeyringStore
{
    /// <summary>Reads an entry, or returns null when it does not exist.</summary>
    Task<KeyringDocument?> GetAsync(string name, CancellationToken cancellationToken);

    /// <summary>Creates an entry only if no entry of that name exists; returns false if one does.</summary>
    Task<bool> TryCreateAsync(string name, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    /// <summary>Replaces an entry only if its current ETag is <paramref name="etag"/>; returns false otherwise (or if it is gone).</summary>
    Task<bool> TryReplaceAsync(string name, ReadOnlyMemory<byte> content, string etag, CancellationToken cancellationToken);

    /// <summary>Lists entry names under <paramref name="prefix"/> in ordinal order, one page at a time.</summary>
    Task<KeyringPage> ListAsync(string prefix, string? continuationToken, int pageSize, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes an entry with every snapshot and previous version, so no copy of the wrapped key survives in the store.
    /// Returns false when nothing existed.
    /// </summary>
    Task<bool> DeleteAllVersionsAsync(string name, CancellationToken cancellationToken);
}
