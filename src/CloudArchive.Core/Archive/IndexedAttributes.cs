using System.Globalization;
using CloudArchive.Dicom;

namespace CloudArchive.Core.Archive;

/// <summary>
/// The DICOM attributes copied into an instance's encrypted index record (<see cref="InstanceIndexRecord.Attributes"/>)
/// so that clinical QIDO-RS can match and answer without decrypting instances: the PS3.18 Table 10.6.1-5 matching keys
/// and the attributes QIDO returns by default at each level. Top-level values only, taken after minimization (a value
/// the policy removed is never indexed); keys are 8 upper-case hex digits of the tag, values the DICOM text (multiple
/// values joined with a backslash).
/// </summary>
public static class IndexedAttributes
{
    /// <summary>The captured tags.</summary>
    public static IReadOnlyList<DicomTag> Tags { get; } =
    [
        DicomTags.SOPClassUID,
        DicomTags.SOPInstanceUID,
        DicomTags.StudyDate,
        DicomTags.StudyTime,
        DicomTags.AccessionNumber,
        DicomTags.Modality,
        DicomTags.ReferringPhysicianName,
        DicomTags.StudyDescription,
        DicomTags.SeriesDescription,
        DicomTags.PatientName,
        DicomTags.PatientID,
        DicomTags.IssuerOfPatientID,
        DicomTags.PatientBirthDate,
        DicomTags.PatientSex,
        DicomTags.BodyPartExamined,
        DicomTags.StudyInstanceUID,
        DicomTags.SeriesInstanceUID,
        DicomTags.StudyID,
        DicomTags.SeriesNumber,
        DicomTags.InstanceNumber,
        DicomTags.NumberOfFrames,
        DicomTags.Rows,
        DicomTags.Columns,
        DicomTags.BitsAllocated,
        DicomTags.PerformedProcedureStepStartDate,
        DicomTags.PerformedProcedureStepStartTime,
    ];

    /// <summary>The record key of a tag (8 upper-case hex digits, as in DICOM JSON).</summary>
    public static string Key(DicomTag tag) => tag.Value.ToString("X8", CultureInfo.InvariantCulture);

    /// <summary>Captures the indexed attributes present in <paramref name="dataset"/>.</summary>
    public static IReadOnlyDictionary<string, string> Capture(DicomDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var values = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var tag in Tags)
        {
            if (dataset.Get(tag) is not DicomValueElement element || element.IsBulk || element.Length == 0)
            {
                continue;
            }

            var text = element.ValueVR.Code is "US" or "SS" or "UL" or "SL"
                ? string.Join('\\', Numbers(element))
                : string.Join('\\', element.GetStrings(dataset.CharacterSet)).TrimEnd('\0', ' ');
            if (text.Length > 0)
            {
                values[Key(tag)] = text;
            }
        }

        return values;
    }

    private static IEnumerable<string> Numbers(DicomValueElement element) => element.ValueVR.Code switch
    {
        "US" => element.GetValues<ushort>().Select(v => v.ToString(CultureInfo.InvariantCulture)),
        "SS" => element.GetValues<short>().Select(v => v.ToString(CultureInfo.InvariantCulture)),
        "UL" => element.GetValues<uint>().Select(v => v.ToString(CultureInfo.InvariantCulture)),
        _ => element.GetValues<int>().Select(v => v.ToString(CultureInfo.InvariantCulture)),
    };
}
