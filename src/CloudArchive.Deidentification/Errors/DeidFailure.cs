namespace CloudArchive.Deidentification;

/// <summary>Why an instance produced no de-identified output.</summary>
public enum DeidFailure
{
    /// <summary>The pixel policy refused the instance (possible burned-in identification not covered by a rule).</summary>
    PixelPolicyRefused,

    /// <summary>The pixel data cannot be processed as a rule requires (compressed, 1-bit, short).</summary>
    PixelDataUnsupported,

    /// <summary>The input is not a readable DICOM instance.</summary>
    UnreadableInput,

    /// <summary>
    /// The input is a DICOMDIR (Media Storage Directory, <c>1.2.840.10008.1.3.10</c>): it is refused, because its record
    /// offsets and Referenced File IDs describe the source file set, which a research copy renames; a new DICOMDIR is
    /// built over the de-identified outputs instead.
    /// </summary>
    MediaDirectoryRefused,

    /// <summary>The instance cannot be de-identified safely (e.g. an identifying value in a form that cannot be cleaned).</summary>
    Unsupported,
}
