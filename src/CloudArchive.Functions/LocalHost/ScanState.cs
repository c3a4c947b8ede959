using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using CloudArchive.Azure.Storage;
using CloudArchive.Azure.Storage.Blobs;

namespace CloudArchive.Functions.LocalHost;

/// <summary>
/// What the scanner already enqueued: upload version (name hash + ETag) per blob, kept in one blob so it
/// survives restarts. Names are stored as SHA-256 hashes because upload names may contain patient data.
/// The state is saved only after the events are enqueued, so a crash in between re-enqueues (harmless:
/// ingest is idempotent) and never loses an upload.
/// </summary>
internal sealed class ScanState
{
    private const string BlobName = "incoming-scan-state.json";
    private readonly BlobContainerClient _container;
    private Dictionary<string, string> _seen = new(StringComparer.Ordinal);

    public ScanState(BlobContainerClient container) => _container = container;

    /// <summary>Number of remembered upload versions.</summary>
    public int Count => _seen.Count;

    public static string NameHash(string blobName) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(blobName)));

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        await StorageCall.RunAsync("CreateContainer", () => _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken)).ConfigureAwait(false);
        try
        {
            using var download = await DownloadContentStream.OpenAsync(() => _container.GetBlobClient(BlobName).DownloadStreamingAsync(cancellationToken: cancellationToken)).ConfigureAwait(false);
            var loaded = await JsonSerializer.DeserializeAsync<Dictionary<string, string>>(download, cancellationToken: cancellationToken).ConfigureAwait(false);
            _seen = loaded is null ? new(StringComparer.Ordinal) : new(loaded, StringComparer.Ordinal);
        }
        catch (StorageRequestException ex) when (ex.IsNotFound)
        {
            _seen = new(StringComparer.Ordinal);
        }
        catch (JsonException)
        {
            // A damaged state only costs re-enqueueing what is still in incoming.
            _seen = new(StringComparer.Ordinal);
        }
    }

    public bool IsKnown(string blobName, string etag) =>
        _seen.TryGetValue(NameHash(blobName), out var known) && string.Equals(known, etag, StringComparison.Ordinal);

    public void Remember(string blobName, string etag) => _seen[NameHash(blobName)] = etag;

    /// <summary>Forgets blobs no longer in the container (ingested or deleted), so the state stays small.</summary>
    public bool RetainOnly(IReadOnlySet<string> presentNameHashes)
    {
        var removed = false;
        foreach (var key in _seen.Keys.Where(k => !presentNameHashes.Contains(k)).ToList())
        {
            removed |= _seen.Remove(key);
        }

        return removed;
    }

    public async Task SaveAsync(CancellationToken cancellationToken)
    {
        using var content = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(_seen));
        await BlockUpload.PutAsync(_container.GetBlockBlobClient(BlobName), content, new BlockUploadOptions { ContentType = "application/json" }, cancellationToken).ConfigureAwait(false);
    }
}
