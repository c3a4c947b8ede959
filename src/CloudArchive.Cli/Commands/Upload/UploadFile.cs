namespace CloudArchive.Cli.Commands.Upload;

/// <summary>One local file and the blob name it is uploaded as.</summary>
internal sealed record UploadFile(string Path, string BlobName, long Length);
