namespace CloudArchive.Dicom;

/// <summary>Limits and choices for <see cref="DicomReader"/>. The defaults suit an archive ingesting untrusted files.</summary>
public sealed record DicomReaderOptions
{
    /// <summary>The default options.</summary>
    public static DicomReaderOptions Default { get; } = new();

    /// <summary>
    /// Values (any non-SQ VR) and encapsulated fragments longer than this many bytes become <see cref="DicomBulkData"/>
    /// instead of being held in memory. Default 64 KiB.
    /// </summary>
    public int BulkDataThreshold { get; init; } = 64 * 1024;

    /// <summary>Maximum sequence nesting depth (a top-level sequence is depth 1). Default 64.</summary>
    public int MaxDepth { get; init; } = 64;

    /// <summary>Maximum number of inflated bytes accepted from a deflated dataset. Default 16 GiB.</summary>
    public long MaxInflatedLength { get; init; } = 16L << 30;

    /// <summary>
    /// Maximum ratio of inflated to compressed bytes once more than <see cref="DeflateRatioGraceLength"/> bytes were
    /// inflated (a deflate bomb has ratios near 1000:1). Default 200.
    /// </summary>
    public int MaxDeflateRatio { get; init; } = 200;

    /// <summary>Inflated bytes always accepted before <see cref="MaxDeflateRatio"/> applies. Default 64 MiB.</summary>
    public long DeflateRatioGraceLength { get; init; } = 64L << 20;

    /// <summary>
    /// Maximum total bytes written to the temporary spool file (bulk values read from a non-seekable source).
    /// Default 64 GiB.
    /// </summary>
    public long MaxSpoolLength { get; init; } = 64L << 30;

    /// <summary>
    /// Maximum number of data elements, items and fragments in the whole file. Default 1 million (a hostile file of
    /// tiny elements would otherwise cost about 150 bytes of heap per 8 bytes of input).
    /// </summary>
    public long MaxElementCount { get; init; } = 1_000_000;

    /// <summary>
    /// Budget for values held in memory across the whole file. Once it is spent, every further value is bulk data
    /// whatever its size, so heap use stays bounded for files made of many values just under the threshold.
    /// Default 64 MiB.
    /// </summary>
    public long MaxInlineBytes { get; init; } = 64L << 20;

    /// <summary>Directory for the spool file; null uses <see cref="Path.GetTempPath"/>.</summary>
    public string? TempDirectory { get; init; }

    /// <summary>
    /// When true, bulk values of a seekable caller-supplied stream are copied to the spool file so the caller may
    /// close the stream; when false (default) they reference the stream, which must stay open while the file is used.
    /// Files opened by path are never spooled (the <see cref="DicomFile"/> keeps the file open).
    /// </summary>
    public bool SpoolSeekableStreams { get; init; }

    /// <summary>Read buffer size in bytes. Default 64 KiB.</summary>
    public int BufferSize { get; init; } = 64 * 1024;
}
