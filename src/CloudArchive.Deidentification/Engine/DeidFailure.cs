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

    /// <summary>The instance cannot be de-identified safely (e.g. an identifying value in a form that cannot be cleaned).</summary>
    Unsupported,
}
