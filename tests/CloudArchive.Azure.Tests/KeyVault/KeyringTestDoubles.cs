using CloudArchive.Core.Keys;

namespace CloudArchive.Azure.Tests.KeyVault;

/// <summary>Minimal in-memory keyring store with create-only and ETag semantics, for Key Vault end-to-end tests.</summary>
internal sealed class MemoryKeyringStore : IKeyringStore
{
    private readonly Lock _lock = new();
    private readonly SortedDictionary<string, (byte[] Content, string ETag)> _entries = new(StringComparer.Ordinal);
    private int _etag;

    public Task<KeyringDocument?> GetAsync(string name, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_entries.TryGetValue(name, out var e) ? new KeyringDocument(e.Content.ToArray(), e.ETag) : null);
        }
    }

    public Task<bool> TryCreateAsync(string name, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_entries.TryAdd(name, (content.ToArray(), (++_etag).ToString(System.Globalization.CultureInfo.InvariantCulture))));
        }
    }

    public Task<bool> TryReplaceAsync(string name, ReadOnlyMemory<byte> content, string etag, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_entries.TryGetValue(name, out var e) || e.ETag != etag)
            {
                return Task.FromResult(false);
            }

            _entries[name] = (content.ToArray(), (++_etag).ToString(System.Globalization.CultureInfo.InvariantCulture));
            return Task.FromResult(true);
        }
    }

    public Task<KeyringPage> ListAsync(string prefix, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var names = _entries.Keys.Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && (continuationToken is null || string.CompareOrdinal(n, continuationToken) >= 0)).Take(pageSize + 1).ToList();
            return Task.FromResult(new KeyringPage(names.Take(pageSize).ToList(), names.Count > pageSize ? names[pageSize] : null));
        }
    }

    public Task<bool> DeleteAllVersionsAsync(string name, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_entries.Remove(name));
        }
    }
}

internal sealed class NoHolds : ILegalHoldQuery
{
    public Task<bool> IsStudyOnHoldAsync(string studyKey, CancellationToken cancellationToken) => Task.FromResult(false);
}

internal sealed class ListAuditSink : IKeyAuditSink
{
    public List<KeyAuditEvent> Events { get; } = [];

    public ValueTask RecordAsync(KeyAuditEvent auditEvent, CancellationToken cancellationToken)
    {
        lock (Events)
        {
            Events.Add(auditEvent);
        }

        return ValueTask.CompletedTask;
    }
}
