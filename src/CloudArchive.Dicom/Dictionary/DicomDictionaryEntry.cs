namespace CloudArchive.Dicom;

/// <summary>One data element of the PS3.6 data dictionary (or a repeating-group pattern such as <c>(60xx,3000)</c>).</summary>
public sealed class DicomDictionaryEntry
{
    internal DicomDictionaryEntry(DicomTag tag, uint mask, string keyword, string name, string vrText, IReadOnlyList<DicomVR> vrs, string vm, bool retired)
    {
        Tag = tag;
        Mask = mask;
        Keyword = keyword;
        Name = name;
        VRText = vrText;
        VRs = vrs;
        VM = vm;
        IsRetired = retired;
    }

    /// <summary>The tag; for a repeating entry, the masked value (e.g. <c>(6000,3000)</c> for <c>(60xx,3000)</c>).</summary>
    public DicomTag Tag { get; }

    /// <summary><c>0xFFFFFFFF</c> for an exact entry; for a repeating entry the mask, e.g. <c>0xFF00FFFF</c>.</summary>
    public uint Mask { get; }

    /// <summary>True when the entry stands for a repeating group (it matches every tag T with <c>(T &amp; Mask) == Tag</c>).</summary>
    public bool IsRepeating => Mask != 0xFFFFFFFF;

    /// <summary>The keyword, e.g. <c>PatientName</c>; empty for the few retired elements PS3.6 leaves blank.</summary>
    public string Keyword { get; }

    /// <summary>The name, e.g. <c>Patient's Name</c>.</summary>
    public string Name { get; }

    /// <summary>The VR as PS3.6 writes it, e.g. <c>"US or SS"</c>, <c>"NONE"</c> or empty.</summary>
    public string VRText { get; }

    /// <summary>
    /// The candidate VRs (one for most elements; several for ambiguous ones such as <c>US or SS</c> and
    /// <c>OB or OW</c>; none for items/delimiters and the elements PS3.6 gives no VR).
    /// </summary>
    public IReadOnlyList<DicomVR> VRs { get; }

    /// <summary>True when <see cref="VRs"/> has more than one candidate and context decides (PS3.5 Annex A).</summary>
    public bool IsAmbiguousVR => VRs.Count > 1;

    /// <summary>The value multiplicity, e.g. <c>1</c>, <c>1-n</c>, <c>2-2n</c>.</summary>
    public string VM { get; }

    /// <summary>True when PS3.6 marks the element retired.</summary>
    public bool IsRetired { get; }

    /// <summary>True when this entry matches <paramref name="tag"/>.</summary>
    public bool Matches(DicomTag tag) => (tag.Value & Mask) == Tag.Value;

    /// <inheritdoc />
    public override string ToString() => $"{Tag} {VRText} {Keyword}";
}
