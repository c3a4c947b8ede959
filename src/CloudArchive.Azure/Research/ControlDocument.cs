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
            await using var download = await blob.DownloadAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            if (download.ContentLength > maxBytes)
            {
                throw tooLarge();
            }

            var buffer = new MemoryStream((int)download.ContentLength);
            await download.Content.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (buffer.Length > maxBytes)
            {
                throw tooLarge();
            }

            return (buffer.ToArray(), download.Properties.ETag.ToString());
        }
        catch (StorageRequestException ex) when (ex.IsNotFound)
        {
            return null;
        }
    }
}
