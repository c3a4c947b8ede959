using System.Globalization;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using CloudArchive.Azure.Storage;
using CloudArchive.Azure.Storage.Blobs;
using CloudArchive.Core.Ingest;

namespace CloudArchive.Azure.Ingest;

/// <summary>
/// <see cref="IQuarantineStore"/> over the <c>quarantine</c> container: the upload's bytes under its own name (or
/// <c>name~2</c>, <c>name~3</c>, ... when an earlier, different upload of that name is already there) and a
/// <c>.reason.json</c> beside it.
/// </summary>
public sealed class BlobQuarantineStore : IQuarantineStore
{
    /// <summary>How many uploads of one name quarantine keeps apart (<c>name</c>, <c>name~2</c>, ... <c>name~1000</c>).</summary>
    public const int MaxSuffix = 1000;
    private readonly BlobContainerClient _container;
    private readonly StorageOptions _storage;

    /// <summary>Creates the store.</summary>
    public BlobQuarantineStore(BlobContainerClient container, StorageOptions storage)
    {
        _container = container ?? throw new ArgumentNullException(nameof(container));
        _storage = storage ?? throw new ArgumentNullException(nameof(storage));
    }

    /// <summary>The quarantine name of the <paramref name="attempt"/>-th different upload named <paramref name="uploadName"/> (1-based).</summary>
    public static string SlotName(string uploadName, int attempt) =>
        attempt == 1 ? uploadName : string.Create(CultureInfo.InvariantCulture, $"{uploadName}~{attempt}");

    /// <inheritdoc />
    public async Task<string> PlaceAsync(string uploadName, Stream content, string? contentMac, ReadOnlyMemory<byte> reasonJson, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(uploadName);
        var start = content.Position;
        var metadata = contentMac is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [ArchiveMetadata.UploadMac] = contentMac };
        for (var attempt = 1; attempt <= MaxSuffix; attempt++)
        {
            var name = SlotName(uploadName, attempt);
            try
            {
                content.Position = start;
                await BlockUpload.UploadAsync(_container.GetBlockBlobClient(name), new NonClosingStream(content), new BlockUploadOptions { Metadata = metadata, Conditions = WriteConditions.CreateOnly() }, _storage, cancellationToken).ConfigureAwait(false);
            }
            catch (StorageRequestException ex) when (ex.IsConflict || ex.IsPreconditionFailed)
            {
                // The same bytes placed by an earlier attempt of this event are reused; anything else takes the next name.
                var existing = await StorageCall.RunAsync("GetBlobProperties", () => _container.GetBlobClient(name).GetPropertiesAsync(cancellationToken: cancellationToken)).ConfigureAwait(false);
                if (contentMac is null || !existing.Value.Metadata.TryGetValue(ArchiveMetadata.UploadMac, out var mac) || !string.Equals(mac, contentMac, StringComparison.Ordinal))
                {
                    continue;
                }
            }

            using var reason = new MemoryStream(reasonJson.ToArray(), writable: false);
            await BlockUpload.PutAsync(_container.GetBlockBlobClient(name + ".reason.json"), reason, new BlockUploadOptions { ContentType = "application/json" }, cancellationToken).ConfigureAwait(false);
            return name;
        }

        throw new InvalidOperationException("Too many quarantined uploads share this name.");
    }
}
