namespace CloudArchive.Core.Lifecycle.Reconcile;

/// <summary>
/// One upload in <c>incoming</c> as listed. <see cref="Name"/> is uploader-chosen and may hold patient data: never log
/// or audit it.
/// </summary>
/// <param name="Container">The container.</param>
/// <param name="Name">The blob name.</param>
/// <param name="ETag">The version listed.</param>
/// <param name="Length">Its length in bytes.</param>
/// <param name="LastModified">When this version was written (the time its BlobCreated event was due).</param>
/// <param name="ContentType">Its content type, if any.</param>
/// <param name="UploadReference">The uploader's well-formed reference (<c>ca_upload_ref</c>), if any.</param>
public sealed record IncomingBlob(string Container, string Name, string ETag, long Length, DateTimeOffset LastModified, string? ContentType, string? UploadReference);
