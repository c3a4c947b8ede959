using Azure.Storage.Blobs.Specialized;
using CloudArchive.Azure.Storage;
using CloudArchive.Azure.Storage.Blobs;
using CloudArchive.Core.Ingest;

namespace CloudArchive.Cli.Commands.Upload;

/// <summary>Uploads planned files into the incoming container, streaming each file, a few at a time.</summary>
internal static class GatewayUploader
{
    /// <summary>The content type a DICOM Part 10 upload carries (PS3.18 / RFC 3240).</summary>
    public const string DicomContentType = "application/dicom";

    public static async Task UploadAsync(StorageConnection connection, string container, IReadOnlyList<UploadFile> files, int parallelism, Action<UploadFile>? uploaded, CancellationToken cancellationToken)
    {
        var target = connection.Blobs.GetBlobContainerClient(container);
        await StorageCall.RunAsync("CreateContainer", () => target.CreateIfNotExistsAsync(cancellationToken: cancellationToken)).ConfigureAwait(false);
        await Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken }, async (file, ct) =>
        {
            var stream = new FileStream(file.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
            await using (stream.ConfigureAwait(false))
            {
                await BlockUpload.UploadAsync(target.GetBlockBlobClient(file.BlobName), stream, new BlockUploadOptions { ContentType = DicomContentType, Metadata = new Dictionary<string, string> { [UploadReference.MetadataName] = file.Reference } }, connection.Options, ct).ConfigureAwait(false);
            }

            uploaded?.Invoke(file);
        }).ConfigureAwait(false);
    }
}
