using CloudArchive.Dicom;

namespace CloudArchive.Deidentification;

/// <summary>
/// The attributes that say the instance was de-identified and how (E.1.1, E.3.6): Patient Identity Removed, the
/// De-identification Method and its code sequence (CID 7050: the Basic Profile, Clean Pixel Data when pixels were
/// blanked, and every enabled option), and Longitudinal Temporal Information Modified.
/// </summary>
internal static class DeidentificationMarking
{
    /// <summary>Adds the marking attributes to <paramref name="ds"/> and their lines to <paramref name="report"/>.</summary>
    public static void Apply(DicomDataset ds, InstanceReport report, bool pixelsCleaned, DeidSettings settings, string tableEdition)
    {
        ds.Set(DicomValueElement.FromStrings(DicomTags.PatientIdentityRemoved, DicomVR.CS, ["YES"]));
        report.Attributes.Add(new AttributeRecord(DicomTags.PatientIdentityRemoved.ToString(), AttributeOutcome.Added, "YES", "E.1.1"));

        var codes = MethodCodes(pixelsCleaned, settings);

        // (0012,0063) is LO 1-n: one value per method so that no value exceeds 64 characters.
        var method = new List<string> { $"CloudArchive PS3.15 {tableEdition} Table E.1-1" };
        method.AddRange(codes.Select(c => c.Meaning.Length <= 64 ? c.Meaning : c.Meaning[..64]));
        ds.Set(DicomValueElement.FromStrings(DicomTags.DeidentificationMethod, DicomVR.LO, method));
        report.Attributes.Add(new AttributeRecord(DicomTags.DeidentificationMethod.ToString(), AttributeOutcome.Added, "LO", "E.1.1"));

        ds.Set(MethodCodeSequence(codes));
        report.Attributes.Add(new AttributeRecord(DicomTags.DeidentificationMethodCodeSequence.ToString(), AttributeOutcome.Added, "SQ", "E.1.1 CID 7050"));

        var temporal = settings.Options.Contains(DeidOption.RetainLongitudinalModifiedDates) ? "MODIFIED"
            : settings.Options.Contains(DeidOption.RetainLongitudinalFullDates) ? "UNMODIFIED"
            : "REMOVED";
        ds.Set(DicomValueElement.FromStrings(DicomTags.LongitudinalTemporalInformationModified, DicomVR.CS, [temporal]));
        report.Attributes.Add(new AttributeRecord(DicomTags.LongitudinalTemporalInformationModified.ToString(), AttributeOutcome.Added, temporal, "E.3.6"));
    }

    private static List<(string Code, string Meaning)> MethodCodes(bool pixelsCleaned, DeidSettings settings)
    {
        var codes = new List<(string Code, string Meaning)> { (DeidOptionInfo.BasicProfileCode, DeidOptionInfo.BasicProfileMeaning) };
        if (pixelsCleaned)
        {
            codes.Add((DeidOptionInfo.CleanPixelDataCode, DeidOptionInfo.CleanPixelDataMeaning));
        }

        codes.AddRange(DeidOptionInfo.All.Where(settings.Options.Contains).Select(o => (DeidOptionInfo.Code(o), DeidOptionInfo.Meaning(o))));
        return codes;
    }

    private static DicomSequence MethodCodeSequence(List<(string Code, string Meaning)> codes)
    {
        var seq = new DicomSequence(DicomTags.DeidentificationMethodCodeSequence);
        foreach (var (code, meaning) in codes)
        {
            var item = new DicomDataset();
            item.Set(DicomValueElement.FromStrings(DicomTags.CodeValue, DicomVR.SH, [code]));
            item.Set(DicomValueElement.FromStrings(DicomTags.CodingSchemeDesignator, DicomVR.SH, ["DCM"]));
            item.Set(DicomValueElement.FromStrings(DicomTags.CodeMeaning, DicomVR.LO, [meaning]));
            seq.Items.Add(item);
        }

        return seq;
    }
}
