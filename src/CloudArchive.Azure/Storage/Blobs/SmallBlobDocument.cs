using Azure.Storage.Blobs;

namespace CloudArchive.Azure.Storage.Blobs;

/// <summary>
/// Reads a small document blob (control documents, keyring entries, ledger entries) whole, with a size bound checked
/// before and after the copy, so a damaged or hostile blob cannot make a reader buffer an arbitrary amount.
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
}
