namespace CloudArchive.Dicom;

/// <summary>Choices of <see cref="DicomJsonWriter"/>.</summary>
public sealed class DicomJsonWriterOptions
{
    /// <summary>Defaults: every binary value inline, every element written.</summary>
    public static DicomJsonWriterOptions Default { get; } = new();

    /// <summary>
    /// Decides per binary value: a URI to write as <c>BulkDataURI</c>, or null to write the value as
    /// <c>InlineBinary</c> (base64). Null (the default) writes every value inline.
    /// </summary>
    public Func<DicomJsonBulkValue, string?>? BulkDataUri { get; init; }

    /// <summary>Which top-level elements to write (null: all). Nested elements are always written whole.</summary>
    public Func<DicomElement, bool>? Include { get; init; }

    /// <summary>
    /// Largest value written as <c>InlineBinary</c> (default 64 MiB): base64 needs the value in memory, so a larger one
    /// without a BulkDataURI is refused with <see cref="InvalidOperationException"/> rather than exhausting memory.
    /// </summary>
    public long MaxInlineBinaryLength { get; init; } = 64L * 1024 * 1024;

    /// <summary>Bytes the writer buffers before it flushes to the underlying stream (async writes only).</summary>
    public int FlushThreshold { get; init; } = 64 * 1024;
}
