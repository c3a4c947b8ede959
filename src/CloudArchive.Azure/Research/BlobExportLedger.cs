using System.Runtime.CompilerServices;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using CloudArchive.Azure.Storage;
using CloudArchive.Azure.Storage.Blobs;
using CloudArchive.Research.Export;

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
        var document = await SmallBlobDocument.ReadAsync(_control.GetBlobClient(name), MaxEntryBytes, () => new ExportLedgerFormatException(name, "is larger than any ledger entry can be"), cancellationToken).ConfigureAwait(false);
        return document is { } d ? ExportLedgerJson.Deserialize(d.Content, agreementId, studyKey, name) : null;
    }

    /// <inheritdoc />
    public async Task PutAsync(ExportLedgerEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        using var content = new MemoryStream(ExportLedgerJson.Serialize(entry), writable: false);
        await BlockUpload.PutAsync(_control.GetBlockBlobClient(ExportNames.LedgerEntry(entry.AgreementId, entry.StudyKey)), content, new BlockUploadOptions { ContentType = "application/json" }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<bool> DeleteAsync(string agreementId, string studyKey, CancellationToken cancellationToken) =>
        (await StorageCall.RunAsync("DeleteBlob", () => _control.GetBlobClient(ExportNames.LedgerEntry(agreementId, studyKey)).DeleteIfExistsAsync(cancellationToken: cancellationToken)).ConfigureAwait(false)).Value;

    /// <inheritdoc />
    public async IAsyncEnumerable<string> ListStudyKeysAsync(string agreementId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in StorageListing.ListAsync(_control, ExportNames.LedgerPrefix(agreementId), BlobTraits.None, cancellationToken).ConfigureAwait(false))
        {
            if (ExportNames.StudyKeyOfLedgerEntry(agreementId, item.Name) is { } studyKey)
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
        await BlockUpload.PutAsync(_control.GetBlockBlobClient(ExportNames.AdminManifest(agreementId)), content, new BlockUploadOptions { ContentType = "application/json" }, cancellationToken).ConfigureAwait(false);
    }
}
