using CloudArchive.Core.Ingest;

namespace CloudArchive.Core.Tests.Ingest;

/// <summary>
/// In-memory incoming/archive/quarantine containers with the semantics of the blob adapters (create-only writes,
/// conditional delete by ETag, quarantine suffixes), plus hooks to inject faults.
/// </summary>
internal sealed class InMemoryIngestStorage : IIncomingStore, IArchiveStore, IQuarantineStore
{
    private readonly Lock _lock = new();
    private int _etag;

    public Dictionary<string, (byte[] Content, string ETag)> Incoming { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, (byte[] Content, Dictionary<string, string> Metadata, Dictionary<string, string> Tags)> Archive { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, (byte[] Content, string? Mac)> Quarantine { get; } = new(StringComparer.Ordinal);

    /// <summary>Thrown (once each) by the next archive create, after or before the write.</summary>
    public Exception? FailNextCreateAfterWrite { get; set; }

    public Exception? FailNextCreateBeforeWrite { get; set; }

    public int CreateAttempts { get; private set; }

    /// <summary>Flips one stored byte of the next archive create (storage corrupting a committed write).</summary>
    public bool CorruptNextCreate { get; set; }

    /// <summary>Which byte <see cref="CorruptNextCreate"/> flips, given the stored length (default: the middle one).</summary>
    public Func<int, int> CorruptOffset { get; set; } = length => length / 2;

    /// <summary>
    /// Whether a streamed create reports the MD5 of what was stored, as the blob service does for a one-request write
    /// (default off: the writer then verifies by reading back).
    /// </summary>
    public bool ReportContentMd5 { get; set; }

    /// <summary>The (name, offset, length) of every ranged read of the archive.</summary>
    public List<(string Name, long Offset, long Length)> RangeReads { get; } = [];

    public void Upload(string name, byte[] content)
    {
        lock (_lock)
        {
            Incoming[name] = (content, "\"e" + ++_etag + "\"");
        }
    }

    public Task<IncomingUpload?> OpenAsync(string container, string blobName, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(Incoming.TryGetValue(blobName, out var blob)
                ? new IncomingUpload(new MemoryStream(blob.Content, writable: false), blob.Content.Length, blob.ETag)
                : null);
        }
    }

    /// <summary>Runs (once) just before the next upload deletion, e.g. to start a competing delivery at that moment.</summary>
    public Action? BeforeNextDelete { get; set; }

    public Task<bool> DeleteAsync(string container, string blobName, string etag, CancellationToken cancellationToken)
    {
        if (BeforeNextDelete is { } hook)
        {
            BeforeNextDelete = null;
            hook();
        }

        lock (_lock)
        {
            return Task.FromResult(Incoming.TryGetValue(blobName, out var blob) && blob.ETag == etag && Incoming.Remove(blobName));
        }
    }

    public Task<ArchiveBlobInfo?> GetInfoAsync(string name, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(Archive.TryGetValue(name, out var blob) ? new ArchiveBlobInfo(blob.Content.Length, blob.Metadata) : null);
        }
    }

    public async Task<bool> TryCreateAsync(string name, Stream content, IReadOnlyDictionary<string, string> metadata, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        CreateAttempts++;
        if (FailNextCreateBeforeWrite is { } before)
        {
            FailNextCreateBeforeWrite = null;
            throw before;
        }

        var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, cancellationToken);
        lock (_lock)
        {
            if (Archive.ContainsKey(name))
            {
                return false;
            }

            var stored = buffer.ToArray();
            if (CorruptNextCreate)
            {
                CorruptNextCreate = false;
                stored[CorruptOffset(stored.Length)] ^= 0x01;
            }

            Archive[name] = (stored, new Dictionary<string, string>(metadata), new Dictionary<string, string>(tags));
        }

        if (FailNextCreateAfterWrite is { } after)
        {
            FailNextCreateAfterWrite = null;
            throw after;
        }

        return true;
    }

    public async Task<ArchiveCreateResult> TryCreateStreamingAsync(string name, Stream content, IReadOnlyDictionary<string, string> metadata, Func<IReadOnlyDictionary<string, string>> trailingMetadata, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, cancellationToken);
        var merged = new Dictionary<string, string>(metadata);
        foreach (var (key, value) in trailingMetadata())
        {
            merged[key] = value;
        }

        buffer.Position = 0;
        if (!await TryCreateAsync(name, buffer, merged, tags, cancellationToken))
        {
            return new ArchiveCreateResult(false);
        }

        lock (_lock)
        {
            return new ArchiveCreateResult(true, ReportContentMd5 ? Convert.ToBase64String(System.Security.Cryptography.MD5.HashData(Archive[name].Content)) : null);
        }
    }

    public Task RemoveMetadataAsync(string name, IReadOnlyCollection<string> metadataNames, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (Archive.TryGetValue(name, out var blob))
            {
                foreach (var metadataName in metadataNames)
                {
                    blob.Metadata.Remove(metadataName);
                }
            }
        }

        return Task.CompletedTask;
    }

    public Task<bool> DeleteIfExistsAsync(string name, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(Archive.Remove(name));
        }
    }

    public async Task UpsertAsync(string name, Stream content, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, cancellationToken);
        lock (_lock)
        {
            Archive[name] = (buffer.ToArray(), new Dictionary<string, string>(metadata), []);
        }
    }

    public Task<Stream> OpenReadAsync(string name, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<Stream>(new MemoryStream(Archive[name].Content, writable: false));
        }
    }

    public Task<ArchiveRangeRead?> OpenRangeAsync(string name, long offset, long length, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            RangeReads.Add((name, offset, length));
            if (!Archive.TryGetValue(name, out var blob))
            {
                return Task.FromResult<ArchiveRangeRead?>(null);
            }

            var count = (int)Math.Min(length, blob.Content.Length - offset);
            return Task.FromResult<ArchiveRangeRead?>(new ArchiveRangeRead(
                new ArchiveBlobInfo(blob.Content.Length, blob.Metadata),
                new MemoryStream(blob.Content, (int)offset, count, writable: false)));
        }
    }

    public async Task<string> PlaceAsync(string uploadName, Stream content, string? contentMac, ReadOnlyMemory<byte> reasonJson, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, cancellationToken);
        lock (_lock)
        {
            for (var i = 1; ; i++)
            {
                var name = i == 1 ? uploadName : $"{uploadName}~{i}";
                if (Quarantine.TryGetValue(name, out var existing) && (contentMac is null || existing.Mac != contentMac))
                {
                    continue;
                }

                Quarantine[name] = (buffer.ToArray(), contentMac);
                Quarantine[name + ".reason.json"] = (reasonJson.ToArray(), null);
                return name;
            }
        }
    }
}
