namespace CloudArchive.Core.Audit.Seals;

/// <summary>
/// The storage port of the seals: a separate container, create-only (immutable under a time-based policy in Azure),
/// so a seal once written is never replaced.
/// </summary>
public interface IAuditSealStore
{
    /// <summary>Reads a seal file, or null when it does not exist.</summary>
    /// <exception cref="AuditStoreException">Storage failed.</exception>
    Task<byte[]?> ReadAsync(string name, CancellationToken cancellationToken);

    /// <summary>Writes a seal file unless one exists. Returns false, writing nothing, when it exists.</summary>
    /// <exception cref="AuditStoreException">Storage failed.</exception>
    Task<bool> TryCreateAsync(string name, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    /// <summary>Seal names starting with <paramref name="prefix"/> (empty for all), in name (= hour) order.</summary>
    IAsyncEnumerable<string> ListAsync(string prefix, CancellationToken cancellationToken);
}
