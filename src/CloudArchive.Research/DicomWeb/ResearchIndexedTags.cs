using CloudArchive.Core.DicomWeb.Query;
using CloudArchive.Dicom;

namespace CloudArchive.Research.DicomWeb;

/// <summary>
/// The attributes the research DICOMweb index holds per de-identified instance, with the level each belongs to: every
/// QIDO-RS matching key and default return attribute (PS3.18 Tables 10.6.1-5 and 10.6.3-3 to -5) plus a few that
/// researchers commonly ask for with <c>includefield</c>. <c>includefield=all</c> returns these; others are answered empty.
/// </summary>
public static class ResearchIndexedTags
{
    /// <summary>Top-level tags per level.</summary>
    public static IReadOnlyDictionary<DicomTag, QidoLevel> Levels { get; } = Build();

    /// <summary>Tags read from the first item of Request Attributes Sequence (Series level).</summary>
    public static IReadOnlyList<DicomTag> RequestAttributes { get; } = [DicomTags.ScheduledProcedureStepID, DicomTags.RequestedProcedureID];

    /// <summary>The sequence <see cref="RequestAttributes"/> live in.</summary>
    public static DicomTag RequestSequence => DicomTags.RequestAttributesSequence;

    /// <summary>The index key of an attribute: <c>GGGGEEEE</c>, or <c>SSSSSSSS.GGGGEEEE</c> inside a sequence.</summary>
    public static string Key(DicomTag tag, DicomTag? sequence) =>
        sequence is { } sq ? DicomJsonWriter.Key(sq) + "." + DicomJsonWriter.Key(tag) : DicomJsonWriter.Key(tag);

    /// <summary>The level of an attribute (instance level for tags this index does not know).</summary>
    public static QidoLevel LevelOf(DicomTag tag, DicomTag? sequence) =>
        sequence is not null ? QidoLevel.Series : Levels.TryGetValue(tag, out var level) ? level : QidoLevel.Instance;

    private static Dictionary<DicomTag, QidoLevel> Build()
    {
        var map = new Dictionary<DicomTag, QidoLevel>();
        void Add(QidoLevel level, params DicomTag[] tags)
        {
            foreach (var t in tags)
            {
                map[t] = level;
            }
        }

        Add(QidoLevel.Study,
            DicomTags.StudyDate, DicomTags.StudyTime, DicomTags.AccessionNumber, DicomTags.ReferringPhysicianName,
            DicomTags.TimezoneOffsetFromUTC, DicomTags.StudyDescription, DicomTags.PatientName, DicomTags.PatientID,
            DicomTags.PatientBirthDate, DicomTags.PatientSex, DicomTags.PatientAge, DicomTags.PatientSize,
            DicomTags.PatientWeight, DicomTags.StudyInstanceUID, DicomTags.StudyID);
        Add(QidoLevel.Series,
            DicomTags.SeriesDate, DicomTags.SeriesTime, DicomTags.Modality, DicomTags.SeriesDescription,
            DicomTags.BodyPartExamined, DicomTags.SeriesInstanceUID, DicomTags.SeriesNumber, DicomTags.Laterality,
            DicomTags.PerformedProcedureStepStartDate, DicomTags.PerformedProcedureStepStartTime);
        Add(QidoLevel.Instance,
            DicomTags.ImageType, DicomTags.SOPClassUID, DicomTags.SOPInstanceUID, DicomTags.AcquisitionDate,
            DicomTags.ContentDate, DicomTags.AcquisitionTime, DicomTags.ContentTime, DicomTags.InstanceNumber,
            DicomTags.SamplesPerPixel, DicomTags.PhotometricInterpretation, DicomTags.NumberOfFrames, DicomTags.Rows,
            DicomTags.Columns, DicomTags.BitsAllocated, DicomTags.BitsStored);
        return map;
    }
}
