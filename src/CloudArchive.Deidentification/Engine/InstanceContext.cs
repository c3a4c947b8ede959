using CloudArchive.Dicom;

namespace CloudArchive.Deidentification;

/// <summary>What every action of one instance shares: the report being filled, the identifier tokens gathered from the
/// original dataset, the patient key of the keyed mappings and the per-patient date offset (null unless dates are
/// shifted).</summary>
internal sealed record InstanceContext(InstanceReport Report, IdentifierTokens Tokens, string PatientKey, int? DateOffset)
{
    private static readonly DicomTag[] PatientKeyTags = [DicomTags.PatientID, DicomTags.PatientName, DicomTags.StudyInstanceUID];

    /// <summary>Gathers the context from <paramref name="ds"/> before any action changes it.</summary>
    public static InstanceContext Create(DicomDataset ds, InstanceReport report, DeidSettings settings, KeyedMapper mapper)
    {
        var tokens = IdentifierTokens.Gather(ds, settings.Options);
        var patientKey = PatientKeyOf(ds);
        int? offset = settings.Options.Contains(DeidOption.RetainLongitudinalModifiedDates)
            ? mapper.DateOffsetDays(patientKey, settings.MinShiftDays, settings.MaxShiftDays)
            : null;
        return new InstanceContext(report, tokens, patientKey, offset);
    }

    /// <summary>The first of Patient ID, Patient's Name, Study Instance UID that has a value, prefixed by its tag.</summary>
    private static string PatientKeyOf(DicomDataset ds)
    {
        foreach (var tag in PatientKeyTags)
        {
            if (ds.Get(tag) is DicomValueElement v && v.Length > 0)
            {
                var s = DatasetValues.SafeString(ds, v)?.Trim();
                if (!string.IsNullOrEmpty(s))
                {
                    return tag.ToString() + s;
                }
            }
        }

        return "(no patient identity)";
    }
}
