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
        new(0x0008, 0x0016), // SOPClassUID
        new(0x0008, 0x0018), // SOPInstanceUID
        new(0x0008, 0x0020), // StudyDate
        new(0x0008, 0x0030), // StudyTime
        new(0x0008, 0x0050), // AccessionNumber
        new(0x0008, 0x0060), // Modality
        new(0x0008, 0x0090), // ReferringPhysicianName
        new(0x0008, 0x1030), // StudyDescription
        new(0x0008, 0x103E), // SeriesDescription
        new(0x0010, 0x0010), // PatientName
        new(0x0010, 0x0020), // PatientID
        new(0x0010, 0x0021), // IssuerOfPatientID
        new(0x0010, 0x0030), // PatientBirthDate
        new(0x0010, 0x0040), // PatientSex
        new(0x0018, 0x0015), // BodyPartExamined
        new(0x0020, 0x000D), // StudyInstanceUID
        new(0x0020, 0x000E), // SeriesInstanceUID
        new(0x0020, 0x0010), // StudyID
        new(0x0020, 0x0011), // SeriesNumber
        new(0x0020, 0x0013), // InstanceNumber
        new(0x0028, 0x0008), // NumberOfFrames
        new(0x0028, 0x0010), // Rows
        new(0x0028, 0x0011), // Columns
        new(0x0028, 0x0100), // BitsAllocated
        new(0x0040, 0x0244), // PerformedProcedureStepStartDate
        new(0x0040, 0x0245), // PerformedProcedureStepStartTime
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
