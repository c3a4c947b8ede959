using CloudArchive.Dicom;

namespace CloudArchive.Deidentification;

/// <summary>
/// An attribute encoded as VR UN is still that attribute: for a known standard tag with a single dictionary VR, the
/// UN bytes (always implicit VR little endian, PS3.5 6.2.2) are interpreted with the dictionary VR, and a replacement
/// value is written with that VR.
/// </summary>
internal static class EffectiveVR
{
    /// <summary>The VR to interpret and write the element with.</summary>
    public static DicomVR Of(DicomElement element)
    {
        if (element.VR != DicomVR.UN || element.Tag.IsPrivate)
        {
            return element.VR;
        }

        var entry = DicomDictionary.Lookup(element.Tag);
        return entry is { VRs.Count: 1 } && !entry.VRs[0].IsSequence ? entry.VRs[0] : DicomVR.UN;
    }

    /// <summary>The string values of a value element, reading UN bytes with the effective VR.</summary>
    public static string[] GetStrings(DicomValueElement v, DicomCharacterSet cs)
    {
        var vr = Of(v);
        if (vr == v.VR)
        {
            return v.GetStrings(cs);
        }

        var view = new DicomValueElement(v.Tag, vr, v.GetBytes());
        return view.GetStrings(cs);
    }

    /// <summary>True for a standard sequence attribute whose value arrived as opaque UN bytes (defined length).</summary>
    public static bool IsUnSequence(DicomElement element) =>
        element is DicomValueElement && element.VR == DicomVR.UN && !element.Tag.IsPrivate
        && DicomDictionary.Lookup(element.Tag) is { VRs.Count: > 0 } entry && entry.VRs[0].IsSequence;
}
