using CloudArchive.Dicom;

namespace CloudArchive.Deidentification;

/// <summary>
/// A profile rule that replaces the Table E.1-1 action: by tag (or keyword, resolved to its tag through the data
/// dictionary), or by VR. Overrides are tried in profile order before the table; the first match wins.
/// </summary>
public sealed class AttributeOverride
{
    /// <summary>Creates an override for one tag.</summary>
    public AttributeOverride(DicomTag tag, string code, string label)
    {
        Tag = tag;
        Code = code;
        Action = ActionResolver.FromCode(code);
        Label = label;
    }

    /// <summary>Creates an override for every attribute with a VR.</summary>
    public AttributeOverride(DicomVR vr, string code)
    {
        VR = vr;
        Code = code;
        Action = ActionResolver.FromCode(code);
        Label = "vr " + vr.Code;
    }

    /// <summary>The tag matched, or null for a VR override.</summary>
    public DicomTag? Tag { get; }

    /// <summary>The VR matched (the effective VR: UN elements of known tags count as their dictionary VR).</summary>
    public DicomVR? VR { get; }

    /// <summary>The action code as written in the profile.</summary>
    public string Code { get; }

    /// <summary>The resolved action.</summary>
    public DeidAction Action { get; }

    /// <summary>How the rule was written (for the report).</summary>
    public string Label { get; }

    /// <summary>True when the rule applies to <paramref name="tag"/> with effective VR <paramref name="vr"/>.</summary>
    public bool Matches(DicomTag tag, DicomVR vr) => Tag is { } t ? t == tag : VR == vr;
}
