using CloudArchive.Dicom;

namespace CloudArchive.Core.Minimization;

/// <summary>
/// One attribute a rule removes, resolved at load time from a keyword (<c>PatientAddress</c>) or a tag
/// (<c>(0010,1040)</c>). Repeating-group keywords (e.g. overlay attributes, 60xx) match every group.
/// </summary>
/// <param name="Tag">The tag (masked value for repeating groups).</param>
/// <param name="Mask">Bits of the tag that must match (<c>0xFFFFFFFF</c> for an exact tag).</param>
/// <param name="Label">How the policy file named it, e.g. <c>PatientAddress (0010,1040)</c>.</param>
public sealed record MinimizationTarget(DicomTag Tag, uint Mask, string Label)
{
    /// <summary>True when <paramref name="tag"/> is this attribute.</summary>
    public bool Matches(DicomTag tag) => (tag.Value & Mask) == Tag.Value;
}
