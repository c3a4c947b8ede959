namespace CloudArchive.Dicom;

/// <summary>
/// A data element of a <see cref="DicomDataset"/>. The concrete kinds are <see cref="DicomValueElement"/> (a primitive
/// value, inline or bulk), <see cref="DicomSequence"/> (SQ: items that are datasets) and
/// <see cref="DicomFragmentSequence"/> (encapsulated Pixel Data: offset table and fragments).
/// </summary>
public abstract class DicomElement
{
    private protected DicomElement(DicomTag tag, DicomVR vr)
    {
        ArgumentNullException.ThrowIfNull(vr);
        Tag = tag;
        VR = vr;
    }

    /// <summary>The tag.</summary>
    public DicomTag Tag { get; }

    /// <summary>The VR (as read in explicit VR; resolved from the dictionary and context in implicit VR).</summary>
    public DicomVR VR { get; }

    /// <summary>The PS3.6 keyword of <see cref="Tag"/>, or null for private and unknown tags.</summary>
    public string? Keyword => DicomDictionary.GetKeyword(Tag);

    /// <inheritdoc />
    public override string ToString() => $"{Tag} {VR.Code}";
}
