namespace CloudArchive.Dicom;

/// <summary>One frame of Pixel Data: its bytes as stored (native: little endian; encapsulated: the compressed bitstream).</summary>
public sealed class DicomPixelFrame
{
    private readonly Func<Stream> _open;

    internal DicomPixelFrame(long length, Func<Stream> open)
    {
        Length = length;
        _open = open;
    }

    /// <summary>A frame-like value served from <paramref name="open"/> (e.g. a bulk data element).</summary>
    public static DicomPixelFrame Of(long length, Func<Stream> open) => new(length, open ?? throw new ArgumentNullException(nameof(open)));

    /// <summary>The frame's length in bytes.</summary>
    public long Length { get; }

    /// <summary>Opens the frame's bytes (an independent stream per call).</summary>
    public Stream OpenRead() => _open();
}
