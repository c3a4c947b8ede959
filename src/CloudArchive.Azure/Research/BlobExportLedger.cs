using System.Runtime.CompilerServices;
using CloudArchive.Azure.Storage;
using CloudArchive.Azure.Storage.Blobs;
using CloudArchive.Core.Research.Export;

namespace CloudArchive.Azure.Research;

/// <summary>
/// <see cref="IExportLedger"/> over the <c>control</c> container (<c>exports/{agreementId}/studies/{studyKey}.json</c>
/// and <c>exports/{agreementId}/manifest.json</c>; see <see cref="ExportNames"/>).
/// </summary>
public sealed class BlobExportLedger : IExportLedger
{
    private const int MaxEntryBytes = 64 << 20;
    private readonly BlobContainerClient _control;

    /// <summary>Creates the ledger.</summary>
    public BlobExportLedger(BlobContainerClient control) => _control = control ?? throw new ArgumentNullException(nameof(control));

    /// <inheritdoc />
    public async Task<ExportLedgerEntry?> GetAsync(string agreementId, string studyKey, CancellationToken cancellationToken)
    {
        var name = ExportNames.LedgerEntry(agreementId, studyKey);
        byte[] json;
        try
        {
            var download = await _control.GetBlob(name).DownloadAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            await using (download.ConfigureAwait(false))
            {
                if (download.ContentLength > MaxEntryBytes)
                {
                    throw new ExportLedgerFormatException(name, "is larger than any ledger entry can be");
                }

                using var buffer = new MemoryStream((int)Math.Max(0, download.ContentLength));
                await download.Content.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
                json = buffer.ToArray();
            }
        }
        catch (StorageRequestException ex) when (ex.IsNotFound)
        {
            return null;
        }

        return ExportLedgerJson.Deserialize(json, agreementId, studyKey, name);
    }

    /// <inheritdoc />
    public async Task PutAsync(ExportLedgerEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        using var content = new MemoryStream(ExportLedgerJson.Serialize(entry), writable: false);
        await _control.GetBlob(ExportNames.LedgerEntry(entry.AgreementId, entry.StudyKey))
            .UploadAsync(content, new BlobUploadOptions { ContentType = "application/json" }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<bool> DeleteAsync(string agreementId, string studyKey, CancellationToken cancellationToken) =>
        await _control.GetBlob(ExportNames.LedgerEntry(agreementId, studyKey)).DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async IAsyncEnumerable<string> ListStudyKeysAsync(string agreementId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in _control.ListBlobsAsync(new BlobListOptions { Prefix = ExportNames.LedgerPrefix(agreementId) }, cancellationToken).ConfigureAwait(false))
        {
            if (!item.IsPrefix && ExportNames.StudyKeyOfLedgerEntry(agreementId, item.Name) is { } studyKey)
            {
                yield return studyKey;
            }
        }
    }

    /// <inheritdoc />
    public async Task PutManifestAsync(string agreementId, ExportManifest manifest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        using var content = new MemoryStream(manifest.ToJson(), writable: false);
        await _control.GetBlob(ExportNames.AdminManifest(agreementId))
            .UploadAsync(content, new BlobUploadOptions { ContentType = "application/json" }, cancellationToken).ConfigureAwait(false);
    }
}
