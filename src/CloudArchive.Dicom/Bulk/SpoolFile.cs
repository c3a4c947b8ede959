using Microsoft.Win32.SafeHandles;

namespace CloudArchive.Dicom;

/// <summary>
/// A temporary file (deleted on close) that holds bulk values read from a non-seekable source, appended in chunks
/// and read back by positional reads. Bounded by <see cref="DicomReaderOptions.MaxSpoolLength"/>.
/// </summary>
internal sealed class SpoolFile : IDisposable
{
    private readonly long _limit;

    public SpoolFile(string? directory, long limit)
    {
        this._limit = limit;
        var path = Path.Combine(directory ?? Path.GetTempPath(), "cloudarchive-dicom-" + Guid.NewGuid().ToString("N") + ".spool");
        Handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
    }

    public SafeFileHandle Handle { get; }

    public long Length { get; private set; }

    public async ValueTask AppendAsync(ReadOnlyMemory<byte> data, long sourceOffset, DicomTag? tag, CancellationToken cancellationToken)
    {
        if (Length + data.Length > _limit)
        {
            throw new DicomFormatException("bulk data exceeds the spool size limit", sourceOffset, tag);
        }

        await RandomAccess.WriteAsync(Handle, data, Length, cancellationToken).ConfigureAwait(false);
        Length += data.Length;
    }

    public void Dispose() => Handle.Dispose();
}
