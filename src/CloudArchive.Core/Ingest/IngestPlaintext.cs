using CloudArchive.Dicom;

namespace CloudArchive.Core.Ingest;

/// <summary>What is archived: the upload itself (no spool, MAC known after the write's read) or a spooled rewrite.</summary>
internal sealed class IngestPlaintext(long length, string? mac, FileStream? spool) : IAsyncDisposable
{
    private const int CopyBufferSize = 81920;

    public long Length { get; } = length;

    /// <summary>The MAC when known before the write (the rewrite); null when the plaintext is the upload.</summary>
    public string? Mac { get; } = mac;

    /// <summary>Opens the plaintext for one forward read.</summary>
    public async Task<Stream> OpenAsync(IncomingUpload upload, CancellationToken cancellationToken)
    {
        if (spool is null)
        {
            return await upload.OpenSequentialAsync(cancellationToken).ConfigureAwait(false);
        }

        spool.Position = 0;
        return new NonDisposingStream(spool);
    }

    public ValueTask DisposeAsync() => spool?.DisposeAsync() ?? ValueTask.CompletedTask;

    /// <summary>
    /// The plaintext to archive: the upload itself when nothing changed, else the rewritten file spooled to a temporary
    /// file (deleted on close) and MACed while it is written.
    /// </summary>
    public static async Task<IngestPlaintext> CreateAsync(IngestContext context, DicomFile file, bool rewrite, string? tempDirectory, CancellationToken cancellationToken)
    {
        var upload = context.Upload;
        if (!rewrite)
        {
            // Nothing removed: archive the upload's own bytes, so the plaintext is byte-identical to what was sent. They
            // are read once, forward, while being MACed and encrypted (IngestArchiveWriter).
            return new IngestPlaintext(upload.Length, null, null);
        }

        var directory = tempDirectory ?? Path.GetTempPath();
        var path = Path.Combine(directory, "cloudarchive-ingest-" + Guid.NewGuid().ToString("N") + ".tmp");
        var spool = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, CopyBufferSize, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            using var hash = context.Keys.Mac.CreateIncremental();
            var macStream = new MacWriteStream(spool, hash);
            await using (macStream.ConfigureAwait(false))
            {
                await file.WriteAsync(macStream, cancellationToken: cancellationToken).ConfigureAwait(false);
                await macStream.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            return new IngestPlaintext(spool.Length, Convert.ToHexStringLower(hash.GetHashAndReset()), spool);
        }
        catch
        {
            await spool.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
