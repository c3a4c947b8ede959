using System.Globalization;
using CloudArchive.Azure.Storage;
using CloudArchive.Azure.Storage.Blobs;
using CloudArchive.Core.Ingest;

namespace CloudArchive.Azure.Ingest;

/// <summary>
/// <see cref="IQuarantineStore"/> over the <c>quarantine</c> container. The copy is written create-only; if the name is
/// taken by the same upload (a re-delivery) it is reused, otherwise a suffix <c>~2</c>, <c>~3</c>... keeps both.
/// </summary>
public sealed class BlobQuarantineStore : IQuarantineStore
{
    private const int MaxSuffix = 1000;
    private readonly BlobContainerClient _container;

    /// <summary>Creates the store.</summary>
    public BlobQuarantineStore(BlobContainerClient container) => _container = container ?? throw new ArgumentNullException(nameof(container));

    /// <inheritdoc />
    public async Task<string> PlaceAsync(string uploadName, Stream content, string? contentMac, ReadOnlyMemory<byte> reasonJson, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(uploadName);
        var start = content.Position;
        var metadata = contentMac is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [ArchiveMetadata.UploadMac] = contentMac };
        for (var attempt = 1; attempt <= MaxSuffix; attempt++)
        {
            var name = attempt == 1 ? uploadName : string.Create(CultureInfo.InvariantCulture, $"{uploadName}~{attempt}");
            var blob = _container.GetBlob(name);
            try
            {
                content.Position = start;
                await blob.UploadAsync(new NonClosingStream(content), new BlobUploadOptions { Metadata = metadata, Conditions = BlobRequestConditions.CreateOnly }, cancellationToken).ConfigureAwait(false);
            }
            catch (StorageRequestException ex) when (ex.IsConflict || ex.IsPreconditionFailed)
            {
                var existing = await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                if (contentMac is null || !existing.Metadata.TryGetValue(ArchiveMetadata.UploadMac, out var mac) || !string.Equals(mac, contentMac, StringComparison.Ordinal))
                {
                    continue;
                }
            }

            using var reason = new MemoryStream(reasonJson.ToArray(), writable: false);
            await _container.GetBlob(name + ".reason.json").UploadAsync(reason, new BlobUploadOptions { ContentType = "application/json" }, cancellationToken).ConfigureAwait(false);
            return name;
        }

        throw new InvalidOperationException("Too many quarantined uploads share this name.");
    }
}
