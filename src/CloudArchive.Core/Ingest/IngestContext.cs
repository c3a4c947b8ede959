namespace CloudArchive.Core.Ingest;

/// <summary>One ingest in progress: the request, the open upload, the derived keys, and what has been learnt so far.</summary>
internal sealed class IngestContext(IngestRequest request, IncomingUpload upload, IngestKeys keys)
{
    public IngestRequest Request { get; } = request;

    public IncomingUpload Upload { get; } = upload;

    public IngestKeys Keys { get; } = keys;

    public string? UploadMac { get; set; }

    public string? InstanceKey { get; set; }

    public string? StudyKey { get; set; }

    public string? Patient { get; set; }

    /// <summary>The MAC of the upload's source (container, name and ETag), stored on the archive blob to recognise a resumed ingest.</summary>
    public string SourceMac() => Keys.Mac.ComputeText(Request.Container + "/" + Request.BlobName + "\n" + Upload.ETag);

    /// <summary>Computes the upload MAC with one forward read of the upload, unless an earlier read already did.</summary>
    public async Task EnsureUploadMacAsync(CancellationToken cancellationToken)
    {
        if (UploadMac is not null)
        {
            return;
        }

        var stream = await Upload.OpenSequentialAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var (mac, length) = await Keys.Mac.ComputeAsync(stream, cancellationToken).ConfigureAwait(false);
            if (length != Upload.Length)
            {
                throw new IOException("The upload's length changed while it was being read.");
            }

            UploadMac = mac;
        }
    }

    /// <summary>
    /// Whether the upload is still in <c>incoming</c> as the version read: if a concurrent delivery of the same event
    /// completed the ingest (and deleted it) while this one waited, there is nothing left to resume (rare path only).
    /// </summary>
    public async Task<bool> UploadStillInPlaceAsync(IIncomingStore incoming, CancellationToken cancellationToken) =>
        string.Equals(
            await incoming.GetETagAsync(Request.Container, Request.BlobName, cancellationToken).ConfigureAwait(false),
            Upload.ETag,
            StringComparison.Ordinal);

    /// <summary>Deletes the upload if it is still the version read (the last step of every outcome that handled it).</summary>
    public Task<bool> DeleteUploadAsync(IIncomingStore incoming, CancellationToken cancellationToken) =>
        incoming.DeleteAsync(Request.Container, Request.BlobName, Upload.ETag, cancellationToken);
}
