namespace CloudArchive.Dicom;

/// <summary>
/// Reads DICOM Part 10 files and raw datasets (no preamble/meta; encoding detected from the first element).
/// Bulk values above <see cref="DicomReaderOptions.BulkDataThreshold"/> are never held in memory: from a seekable
/// source they are recorded as (offset, length) and read on demand; from a non-seekable source (network, inflate)
/// they are spooled to a temporary file that is deleted when the <see cref="DicomFile"/> is disposed.
/// Every malformed input ends in <see cref="DicomFormatException"/>.
/// </summary>
public static class DicomReader
{
    /// <summary>Reads a file from disk. The returned <see cref="DicomFile"/> keeps the file open for its bulk values.</summary>
    /// <exception cref="DicomFormatException">The file is not well-formed DICOM.</exception>
    public static async Task<DicomFile> ReadFileAsync(string path, DicomReaderOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous);
        try
        {
            var parser = new DicomParser(fs, options ?? DicomReaderOptions.Default, fs.SafeFileHandle, cancellationToken);
            var file = await parser.ReadFileAsync().ConfigureAwait(false);
            file.Own(fs);
            return file;
        }
        catch
        {
            await fs.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Reads a file from a stream. When the stream is seekable and <see cref="DicomReaderOptions.SpoolSeekableStreams"/>
    /// is false, bulk values reference the stream: keep it open (and do not move it concurrently) while using the file.
    /// </summary>
    /// <exception cref="DicomFormatException">The input is not well-formed DICOM.</exception>
    public static Task<DicomFile> ReadAsync(Stream stream, DicomReaderOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var parser = new DicomParser(stream, options ?? DicomReaderOptions.Default, null, cancellationToken);
        return parser.ReadFileAsync();
    }

    /// <summary>Reads a dataset with a known transfer syntax and no preamble/meta (e.g. from a network PDU stream).</summary>
    /// <exception cref="DicomFormatException">The input is not well-formed DICOM.</exception>
    public static Task<DicomFile> ReadDatasetAsync(Stream stream, TransferSyntax transferSyntax, DicomReaderOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(transferSyntax);
        var parser = new DicomParser(stream, options ?? DicomReaderOptions.Default, null, cancellationToken);
        return parser.ReadDatasetOnlyAsync(transferSyntax);
    }
}
