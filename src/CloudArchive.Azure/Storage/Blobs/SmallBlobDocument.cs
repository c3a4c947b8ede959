using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace CloudArchive.Azure.Storage.Blobs;

/// <summary>
/// Reads a small document blob (control documents, keyring entries, ledger entries) whole, with a size bound checked
/// before and after the copy, so a damaged or hostile blob cannot make a reader buffer an arbitrary amount; and writes
/// one create-if-absent or replace-if-unchanged, the optimistic concurrency every such store uses.
/// </summary>
internal static class SmallBlobDocument
{
    /// <summary>The document's bytes and ETag, null when the blob does not exist, or <paramref name="tooLarge"/>'s exception.</summary>
    public static async Task<(byte[] Content, string ETag)?> ReadAsync(BlobClient blob, int maxBytes, Func<Exception> tooLarge, CancellationToken cancellationToken)
    {
        try
        {
            using var download = await DownloadContentStream.OpenAsync(() => blob.DownloadStreamingAsync(cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (download.Length > maxBytes)
            {
                throw tooLarge();
            }

            var buffer = new MemoryStream((int)download.Length);
            await download.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (buffer.Length > maxBytes)
            {
                throw tooLarge();
            }

            return (buffer.ToArray(), download.Details.ETag.ToString());
        }
        catch (StorageRequestException ex) when (ex.IsNotFound)
        {
            return null;
        }
    }

    /// <summary>
    /// Writes a small JSON document in one request: create-only when <paramref name="etag"/> is null, else over exactly
    /// the version <paramref name="etag"/> names. False when that condition failed (the document exists already; or it
    /// changed or is gone), so the caller re-reads and decides again.
    /// </summary>
    /// <param name="blob">Where the document goes.</param>
    /// <param name="content">The document's bytes; the stream the upload reads owns this array, so pass one nobody else writes.</param>
    /// <param name="etag">The ETag the replaced version must have, or null to create.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public static async Task<bool> TryWriteAsync(BlockBlobClient blob, byte[] content, string? etag, CancellationToken cancellationToken)
    {
        var conditions = etag is null ? WriteConditions.CreateOnly() : new BlobRequestConditions { IfMatch = new ETag(etag) };
        try
        {
            using var stream = new MemoryStream(content, writable: false);
            await BlockUpload.PutAsync(blob, stream, new BlockUploadOptions { ContentType = "application/json", Conditions = conditions }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (StorageRequestException ex) when (ex.IsConflict || ex.IsPreconditionFailed || (etag is not null && ex.IsNotFound))
        {
            return false;
        }
    }
}
