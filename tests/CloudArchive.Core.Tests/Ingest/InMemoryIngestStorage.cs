using CloudArchive.Core.Archive;
using CloudArchive.Core.Ingest;
using CloudArchive.Core.Ingest.Quarantine;

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

    /// <summary>The quarantine by id: the encrypted copy with its metadata and tags, and the reason document.</summary>
    public Dictionary<string, QuarantinedBlobs> Quarantine { get; } = new(StringComparer.Ordinal);

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

    public Task<string?> GetETagAsync(string container, string blobName, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<string?>(Incoming.TryGetValue(blobName, out var blob) ? blob.ETag : null);
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

    public Task<ArchiveRangeRead?> OpenReadWithInfoAsync(string name, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<ArchiveRangeRead?>(Archive.TryGetValue(name, out var blob)
                ? new ArchiveRangeRead(new ArchiveBlobInfo(blob.Content.Length, blob.Metadata), new MemoryStream(blob.Content, writable: false))
                : null);
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

    public async Task<bool> PlaceAsync(QuarantinePlacement placement, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        await placement.Ciphertext.CopyToAsync(buffer, cancellationToken);
        lock (_lock)
        {
            var created = false;
            if (!Quarantine.TryGetValue(placement.Id, out var entry))
            {
                entry = new QuarantinedBlobs();
                Quarantine[placement.Id] = entry;
            }

            if (entry.Copy is null)
            {
                entry.Copy = buffer.ToArray();
                entry.Metadata = new Dictionary<string, string>(placement.Metadata, StringComparer.Ordinal);
                created = true;
            }

            entry.Tags = new Dictionary<string, string>(placement.Tags, StringComparer.Ordinal);
            if (entry.Reason is null)
            {
                entry.Reason = placement.ReasonJson.ToArray();
                entry.ReasonETag = "r" + Interlocked.Increment(ref _etag);
            }

            return created;
        }
    }

    public Task<QuarantinePage> ListAsync(string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var ids = Quarantine.Where(e => e.Value.Reason is not null).Select(e => e.Key).Order(StringComparer.Ordinal).ToList();
            var skip = continuationToken is null ? 0 : int.Parse(continuationToken, System.Globalization.CultureInfo.InvariantCulture);
            var page = ids.Skip(skip).Take(pageSize).ToList();
            var next = skip + page.Count < ids.Count ? (skip + page.Count).ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
            return Task.FromResult(new QuarantinePage(page, next));
        }
    }

    public Task<QuarantineReasonBlob?> ReadReasonAsync(string id, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(Quarantine.TryGetValue(id, out var e) && e.Reason is not null ? new QuarantineReasonBlob(e.Reason, e.ReasonETag!, null) : null);
        }
    }

    public Task<bool> TryReplaceReasonAsync(string id, ReadOnlyMemory<byte> reasonJson, string etag, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!Quarantine.TryGetValue(id, out var e) || e.ReasonETag != etag)
            {
                return Task.FromResult(false);
            }

            e.Reason = reasonJson.ToArray();
            e.ReasonETag = "r" + Interlocked.Increment(ref _etag);
            return Task.FromResult(true);
        }
    }

    public Task<QuarantineCopy?> OpenCopyAsync(string id, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(Quarantine.TryGetValue(id, out var e) && e.Copy is not null
                ? new QuarantineCopy(new MemoryStream(e.Copy, writable: false), e.Copy.Length, e.Metadata!)
                : null);
        }
    }

    public Task<bool> DeleteCopyAsync(string id, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!Quarantine.TryGetValue(id, out var e) || e.Copy is null)
            {
                return Task.FromResult(false);
            }

            e.Copy = null;
            return Task.FromResult(true);
        }
    }

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(Quarantine.Remove(id));
        }
    }

    public Task<IReadOnlyDictionary<string, string>?> GetTagsAsync(string id, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyDictionary<string, string>?>(Quarantine.TryGetValue(id, out var e) ? e.Tags : null);
        }
    }

    public Task<QuarantinePage> FindByStudyAsync(string studyKey, string? continuationToken, CancellationToken cancellationToken) =>
        Find(t => t.GetValueOrDefault(ArchiveMetadata.StudyTag) == studyKey);

    public Task<QuarantinePage> FindRetainedBeforeAsync(DateOnly date, string? continuationToken, CancellationToken cancellationToken) =>
        Find(t => string.CompareOrdinal(t.GetValueOrDefault(ArchiveMetadata.RetainUntilTag), date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)) < 0);

    private Task<QuarantinePage> Find(Func<Dictionary<string, string>, bool> match)
    {
        lock (_lock)
        {
            return Task.FromResult(new QuarantinePage(Quarantine.Where(e => match(e.Value.Tags)).Select(e => e.Key).ToList(), null));
        }
    }

    /// <summary>What the quarantine holds for one id.</summary>
    public sealed class QuarantinedBlobs
    {
        public byte[]? Copy { get; set; }

        public Dictionary<string, string>? Metadata { get; set; }

        public Dictionary<string, string> Tags { get; set; } = new(StringComparer.Ordinal);

        public byte[]? Reason { get; set; }

        public string? ReasonETag { get; set; }
    }
}
