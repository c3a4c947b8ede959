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

    /// <summary>
    /// Decides per binary value (the same values <see cref="BulkDataUri"/> is asked about) whether to leave the attribute
    /// out entirely, at every nesting level. Null (the default) leaves nothing out.
    /// </summary>
    public Func<DicomJsonBulkValue, bool>? Omit { get; init; }

    /// <summary>Leave out File Meta elements (group 0002) at every nesting level: they are not part of the model.</summary>
    public bool ExcludeFileMetaGroup { get; init; }

    /// <summary>
    /// Write a UN element with VR <c>UN</c> as stored (its value then as binary), rather than with the VR the dictionary
    /// gives its tag (the default).
    /// </summary>
    public bool KeepUnknownVR { get; init; }

    /// <summary>
    /// Treat padding as no value: PN component groups lose trailing <c>^</c> and spaces (PS3.5 6.2), a name whose groups
    /// are then all empty is null, and a text attribute with no values left (or, for PN, only empty names) has no
    /// <c>Value</c> at all. Default: values as decoded, an empty <c>Value</c> array, PN groups as stored.
    /// </summary>
    public bool PaddingIsNoValue { get; init; }

    /// <summary>
    /// Write SV and UV values beyond ±2^53 as strings (the default, PS3.18 F.2.3.1: JSON readers hold numbers as
    /// doubles); false writes every value as a JSON number.
    /// </summary>
    public bool LargeIntegersAsStrings { get; init; } = true;
}
