using CloudArchive.Core.Ingest;

namespace CloudArchive.Cli.Commands.Upload;

/// <summary>
/// One local file, the blob name it is uploaded as, and the random <see cref="UploadReference"/> it carries in its
/// metadata so <c>upload --wait</c> can find its import line in the audit log.
/// </summary>
internal sealed record UploadFile(string Path, string BlobName, long Length)
{
    /// <summary>The upload's reference (new for every planned upload).</summary>
    public string Reference { get; } = UploadReference.New();
}
