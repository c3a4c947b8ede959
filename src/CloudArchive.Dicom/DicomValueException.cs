namespace CloudArchive.Dicom;

/// <summary>
/// A value that cannot be converted: the one exception type the codec's value accessors and factories raise when the
/// bytes or text of an element do not fit the requested form (a DS or IS that is not a number, text the declared
/// Specific Character Set cannot encode, strings for a VR that holds none). Structure and stream errors are
/// <see cref="DicomFormatException"/>. The message carries the tag when known and the reason, never the value
/// (values may be patient data).
/// </summary>
public sealed class DicomValueException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DicomValueException(string reason, DicomTag? tag, Exception? innerException = null)
        : base(tag is { } t ? $"{reason} (tag {t})" : reason, innerException)
    {
        Reason = reason;
        Tag = tag;
    }

    /// <summary>Creates the exception with a reason only (tag unknown).</summary>
    public DicomValueException(string reason)
        : this(reason, (DicomTag?)null)
    {
    }

    /// <summary>Creates the exception with a reason and inner exception (tag unknown).</summary>
    public DicomValueException(string reason, Exception innerException)
        : this(reason, null, innerException)
    {
    }

    /// <summary>Creates the exception with a default reason.</summary>
    public DicomValueException()
        : this("a DICOM value cannot be converted")
    {
    }

    /// <summary>The tag of the element whose value failed, when known.</summary>
    public DicomTag? Tag { get; }

    /// <summary>The reason, without the tag.</summary>
    public string Reason { get; }
}
