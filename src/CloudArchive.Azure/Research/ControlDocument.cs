using Azure.Storage.Blobs;
using CloudArchive.Azure.Storage;
using CloudArchive.Azure.Storage.Blobs;

namespace CloudArchive.Azure.Research;

/// <summary>Reads the small JSON documents of the <c>control</c> container with a size bound.</summary>
internal static class ControlDocument
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
