using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

using CloudArchive.Core.Audit;

namespace CloudArchive.Core.Tests.Audit;

/// <summary>
/// An in-memory <see cref="IAuditLogStore"/> with append-blob semantics (conditional append, atomic
/// blocks) for unit tests and local tools. <see cref="Tamper"/> lets tests rewrite a blob as an attacker
/// with delete/recreate rights could.
/// </summary>
internal sealed class InMemoryAuditLogStore : IAuditLogStore
{
    private readonly ConcurrentDictionary<string, byte[]> _blobs = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Called before each append (tests use it to inject a competing append or a lost response).</summary>
    public Func<string, long, Task>? BeforeAppend { get; set; }

    /// <summary>Every blob name, in order.</summary>
    public IReadOnlyList<string> BlobNames => _blobs.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>A blob's bytes.</summary>
    public byte[] Read(string blobName) => _blobs.TryGetValue(blobName, out var data) ? data.ToArray() : throw new KeyNotFoundException(blobName);

    /// <summary>Replaces a blob's bytes (tampering, for tests).</summary>
    public void Tamper(string blobName, byte[] content)
    {
        lock (_lock)
        {
            _blobs[blobName] = content.ToArray();
        }
    }

    /// <summary>Deletes a blob (tampering, for tests).</summary>
    public void Delete(string blobName)
    {
        lock (_lock)
        {
            _blobs.TryRemove(blobName, out _);
        }
    }

    /// <inheritdoc />
    public Task<long?> GetLengthAsync(string blobName, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_blobs.TryGetValue(blobName, out var data) ? (long?)data.Length : null);
    }

    /// <inheritdoc />
    public Task<bool> CreateIfNotExistsAsync(string blobName, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_blobs.TryAdd(blobName, []));
    }

    /// <inheritdoc />
    public async Task<AuditAppendOutcome> AppendAsync(string blobName, ReadOnlyMemory<byte> data, long expectedLength, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (BeforeAppend is { } hook)
        {
            await hook(blobName, expectedLength).ConfigureAwait(false);
        }

        lock (_lock)
        {
            if (!_blobs.TryGetValue(blobName, out var current))
            {
                throw new AuditStoreException(blobName, "the blob does not exist", isNotFound: true);
            }

            if (current.Length != expectedLength)
            {
                return AuditAppendOutcome.PositionMismatch;
            }

            var next = new byte[current.Length + data.Length];
            current.CopyTo(next, 0);
            data.Span.CopyTo(next.AsSpan(current.Length));
            _blobs[blobName] = next;
            return AuditAppendOutcome.Appended;
        }
    }

    /// <summary>How many reads were opened (tests of incremental queries count them).</summary>
    public int ReadsOpened => _readsOpened;

    private int _readsOpened;

    /// <inheritdoc />
    public Task<Stream> OpenReadAsync(string blobName, long offset, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _readsOpened);
        if (!_blobs.TryGetValue(blobName, out var data))
        {
            throw new AuditStoreException(blobName, "the blob does not exist", isNotFound: true);
        }

        var start = (int)Math.Min(offset, data.Length);
        return Task.FromResult<Stream>(new MemoryStream(data, start, data.Length - start, writable: false));
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<AuditBlobInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var name in BlobNames.Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_blobs.TryGetValue(name, out var data))
            {
                yield return new AuditBlobInfo(name, data.Length);
            }
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }
}
