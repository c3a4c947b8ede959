using Microsoft.Win32.SafeHandles;

namespace CloudArchive.Dicom;

/// <summary>
/// A value that is not held in memory: a byte range of the source file, of a temporary spool file, or of any
/// stream factory. <see cref="OpenRead"/> returns the value as <b>little endian</b> bytes (big endian sources are
/// swapped on the fly). Each call opens an independent stream, so several readers may run at once.
/// The object that produced it (a <see cref="DicomFile"/>) owns the underlying file; dispose that to release it.
/// </summary>
public abstract class DicomBulkData
{
    /// <summary>The value length in bytes.</summary>
    public abstract long Length { get; }

    /// <summary>Opens the value for reading.</summary>
    public abstract Stream OpenRead();

    /// <summary>
    /// Where the value's bytes start in the caller-supplied seekable stream it was read from by reference, so a reader
    /// over a remote or encrypted source can fetch exactly that byte range itself; null for values of a file opened by
    /// path, spooled, generated, or byte-swapped on read (their stored bytes are not the value's little endian bytes).
    /// </summary>
    public virtual long? SourceStreamOffset => null;

    /// <summary>
    /// Bulk data produced by a caller-supplied stream factory, e.g. a generated or already stored pixel data blob.
    /// The factory must return a stream of exactly <paramref name="length"/> little endian bytes.
    /// </summary>
    public static DicomBulkData FromStreamFactory(Func<Stream> open, long length)
    {
        ArgumentNullException.ThrowIfNull(open);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        return new FactoryBulkData(open, length);
    }

    /// <summary>Bulk data that is a whole file on disk (read on demand; the file must stay in place).</summary>
    public static DicomBulkData FromFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var length = new FileInfo(path).Length;
        return new FactoryBulkData(() => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan), length);
    }

    internal static DicomBulkData FromHandle(SafeFileHandle handle, long offset, long length, int swapUnit) =>
        new HandleRangeBulkData(handle, offset, length, swapUnit);

    internal static DicomBulkData FromSharedStream(Stream stream, object gate, long offset, long length, int swapUnit) =>
        new SharedStreamBulkData(stream, gate, offset, length, swapUnit);

    private sealed class FactoryBulkData(Func<Stream> open, long length) : DicomBulkData
    {
        public override long Length => length;

        public override Stream OpenRead() => open();
    }

    private sealed class HandleRangeBulkData(SafeFileHandle handle, long offset, long length, int swapUnit) : DicomBulkData
    {
        public override long Length => length;

        public override Stream OpenRead() => new RangeReadStream((pos, span) => RandomAccess.Read(handle, span, offset + pos), length, swapUnit);
    }

    private sealed class SharedStreamBulkData(Stream stream, object gate, long offset, long length, int swapUnit) : DicomBulkData
    {
        public override long Length => length;

        public override long? SourceStreamOffset => swapUnit > 1 ? null : offset;

        public override Stream OpenRead() => new RangeReadStream(
            (pos, span) =>
            {
                lock (gate)
                {
                    stream.Position = offset + pos;
                    return stream.Read(span);
                }
            },
            length,
            swapUnit);
    }
}
