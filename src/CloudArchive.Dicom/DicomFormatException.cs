namespace CloudArchive.Dicom;

/// <summary>
/// Malformed DICOM input: the one exception type the reader raises for bad bytes (lying or odd lengths, truncation,
/// bad VRs, unterminated sequences, nesting too deep, deflate bombs, size limits). The message carries the byte
/// offset, the tag when known and the reason, never a value (values may be patient data).
/// </summary>
public sealed class DicomFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DicomFormatException(string reason, long offset, DicomTag? tag = null, Exception? innerException = null)
        : base(Format(reason, offset, tag), innerException)
    {
        Reason = reason;
        Offset = offset;
        Tag = tag;
    }

    /// <summary>Creates the exception with a reason only (offset unknown, -1).</summary>
    public DicomFormatException(string reason)
        : this(reason, -1)
    {
    }

    /// <summary>Creates the exception with a reason and inner exception (offset unknown, -1).</summary>
    public DicomFormatException(string reason, Exception innerException)
        : this(reason, -1, null, innerException)
    {
    }

    /// <summary>Creates the exception with a default reason.</summary>
    public DicomFormatException()
        : this("malformed DICOM input")
    {
    }

    /// <summary>
    /// The byte offset where the problem was found: in the file, or for a deflated dataset in the inflated stream
    /// (counted from the start of the file as if the dataset were not compressed). -1 when unknown.
    /// </summary>
    public long Offset { get; }

    /// <summary>The tag of the element being read, when known.</summary>
    public DicomTag? Tag { get; }

    /// <summary>The reason, without offset and tag.</summary>
    public string Reason { get; }

    private static string Format(string reason, long offset, DicomTag? tag) =>
        tag is { } t ? $"{reason} (tag {t}, offset {offset})" : $"{reason} (offset {offset})";
}
