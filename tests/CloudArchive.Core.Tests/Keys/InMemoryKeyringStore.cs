using CloudArchive.Core.Keys;

namespace CloudArchive.Core.Tests.Keys;

/// <summary>
/// An in-memory <see cref="IKeyringStore"/> with the same create-only and ETag semantics as the blob store, that
/// also keeps "snapshots" of every overwritten version so tests can prove shredding removes them all.
/// </summary>
internal sealed class InMemoryKeyringStore : IKeyringStore
{
    private readonly Lock _lock = new();
    private readonly SortedDictionary<string, (byte[] Content, string ETag)> _entries = new(StringComparer.Ordinal);
    private readonly List<(string Name, byte[] Content)> _history = [];
    private int _etag;

    public int Creates { get; private set; }

    public IReadOnlyList<(string Name, byte[] Content)> History
    {
        get
        {
            lock (_lock)
            {
                return _history.ToList();
            }
        }
    }

    public Task<KeyringDocument?> GetAsync(string name, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_entries.TryGetValue(name, out var e) ? new KeyringDocument((byte[])e.Content.Clone(), e.ETag) : null);
        }
    }

    public Task<bool> TryCreateAsync(string name, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_entries.ContainsKey(name))
            {
                return Task.FromResult(false);
            }

            Creates++;
            _entries[name] = (content.ToArray(), NextETag());
            _history.Add((name, content.ToArray()));
            return Task.FromResult(true);
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

            _entries[name] = (content.ToArray(), NextETag());
            _history.Add((name, content.ToArray()));
            return Task.FromResult(true);
        }
    }

    public Task<KeyringPage> ListAsync(string prefix, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var names = _entries.Keys
                .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && (continuationToken is null || string.CompareOrdinal(n, continuationToken) >= 0))
                .Take(pageSize + 1)
                .ToList();
            string? next = names.Count > pageSize ? names[pageSize] : null;
            return Task.FromResult(new KeyringPage(names.Take(pageSize).ToList(), next));
        }
    }

    public Task<bool> DeleteAllVersionsAsync(string name, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            bool existed = _entries.Remove(name);
            existed |= _history.RemoveAll(h => h.Name == name) > 0;
            return Task.FromResult(existed);
        }
    }

    public void Put(string name, byte[] content)
    {
        lock (_lock)
        {
            _entries[name] = (content, NextETag());
        }
    }

    private string NextETag() => "\"" + (++_etag) + "\"";
}

internal sealed class FakeLegalHolds : ILegalHoldQuery
{
    public HashSet<string> Held { get; } = new(StringComparer.Ordinal);

    public Task<bool> IsStudyOnHoldAsync(string studyKey, CancellationToken cancellationToken) => Task.FromResult(Held.Contains(studyKey));
}

internal sealed class RecordingAuditSink : IKeyAuditSink
{
    private readonly Lock _lock = new();
    private readonly List<KeyAuditEvent> _events = [];

    public IReadOnlyList<KeyAuditEvent> Events
    {
        get
        {
            lock (_lock)
            {
                return _events.ToList();
            }
        }
    }

    public ValueTask RecordAsync(KeyAuditEvent auditEvent, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _events.Add(auditEvent);
        }

        return ValueTask.CompletedTask;
    }
}

internal sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
