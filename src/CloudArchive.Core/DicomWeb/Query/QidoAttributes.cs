using CloudArchive.Dicom;

namespace CloudArchive.Core.DicomWeb.Query;

/// <summary>
/// The attributes QIDO-RS matches on and returns, per level: the matching keys PS3.18 Table 10.6.1-5 requires
/// (Study: StudyDate, StudyTime, AccessionNumber, ModalitiesInStudy, ReferringPhysicianName, PatientName, PatientID,
/// StudyInstanceUID, StudyID; Series: Modality, SeriesInstanceUID, SeriesNumber, PerformedProcedureStepStartDate/Time,
/// RequestAttributesSequence's ScheduledProcedureStepID and RequestedProcedureID; Instance: SOPClassUID,
/// SOPInstanceUID, InstanceNumber) and the default return attributes of Tables 10.6.3-3 to 10.6.3-5.
/// </summary>
public static class QidoAttributes
{
    /// <summary>Specific Character Set (returned at every level).</summary>
    public static readonly QidoAttribute SpecificCharacterSet = Top(DicomTags.SpecificCharacterSet, QidoLevel.Study);

    /// <summary>Study Instance UID.</summary>
    public static readonly QidoAttribute StudyInstanceUid = Top(DicomTags.StudyInstanceUID, QidoLevel.Study);

    /// <summary>Series Instance UID.</summary>
    public static readonly QidoAttribute SeriesInstanceUid = Top(DicomTags.SeriesInstanceUID, QidoLevel.Series);

    /// <summary>SOP Instance UID.</summary>
    public static readonly QidoAttribute SopInstanceUid = Top(DicomTags.SOPInstanceUID, QidoLevel.Instance);

    /// <summary>Modalities in Study (an aggregate of the series' Modality).</summary>
    public static readonly QidoAttribute ModalitiesInStudy = Top(DicomTags.ModalitiesInStudy, QidoLevel.Study);

    /// <summary>Modality.</summary>
    public static readonly QidoAttribute Modality = Top(DicomTags.Modality, QidoLevel.Series);

    /// <summary>Number of Study Related Series (aggregate).</summary>
    public static readonly QidoAttribute NumberOfStudyRelatedSeries = Top(DicomTags.NumberOfStudyRelatedSeries, QidoLevel.Study);

    /// <summary>Number of Study Related Instances (aggregate).</summary>
    public static readonly QidoAttribute NumberOfStudyRelatedInstances = Top(DicomTags.NumberOfStudyRelatedInstances, QidoLevel.Study);

    /// <summary>Number of Series Related Instances (aggregate).</summary>
    public static readonly QidoAttribute NumberOfSeriesRelatedInstances = Top(DicomTags.NumberOfSeriesRelatedInstances, QidoLevel.Series);

    /// <summary>Retrieve URL (written by the service, not stored).</summary>
    public static readonly QidoAttribute RetrieveUrl = Top(DicomTags.RetrieveURL, QidoLevel.Study);

    /// <summary>Matching keys of each level (PS3.18 Table 10.6.1-5).</summary>
    public static IReadOnlyList<QidoAttribute> MatchingKeys(QidoLevel level) => level switch
    {
        QidoLevel.Study =>
        [
            Top(DicomTags.StudyDate, level), Top(DicomTags.StudyTime, level), Top(DicomTags.AccessionNumber, level), ModalitiesInStudy,
            Top(DicomTags.ReferringPhysicianName, level), Top(DicomTags.PatientName, level), Top(DicomTags.PatientID, level), StudyInstanceUid,
            Top(DicomTags.StudyID, level),
        ],
        QidoLevel.Series =>
        [
            Modality, SeriesInstanceUid, Top(DicomTags.SeriesNumber, level), Top(DicomTags.PerformedProcedureStepStartDate, level), Top(DicomTags.PerformedProcedureStepStartTime, level),
            Nested(DicomTags.RequestAttributesSequence, DicomTags.ScheduledProcedureStepID, level), Nested(DicomTags.RequestAttributesSequence, DicomTags.RequestedProcedureID, level),
        ],
        _ => [Top(DicomTags.SOPClassUID, level), SopInstanceUid, Top(DicomTags.InstanceNumber, level)],
    };

    /// <summary>Default return attributes of each level (PS3.18 Tables 10.6.3-3, -4 and -5), without Specific Character Set.</summary>
    public static IReadOnlyList<QidoAttribute> DefaultReturn(QidoLevel level) => level switch
    {
        QidoLevel.Study =>
        [
            Top(DicomTags.StudyDate, level), Top(DicomTags.StudyTime, level), Top(DicomTags.AccessionNumber, level), Top(DicomTags.InstanceAvailability, level),
            ModalitiesInStudy, Top(DicomTags.ReferringPhysicianName, level), Top(DicomTags.TimezoneOffsetFromUTC, level), RetrieveUrl, Top(DicomTags.PatientName, level),
            Top(DicomTags.PatientID, level), Top(DicomTags.PatientBirthDate, level), Top(DicomTags.PatientSex, level), StudyInstanceUid,
            Top(DicomTags.StudyID, level), NumberOfStudyRelatedSeries, NumberOfStudyRelatedInstances,
        ],
        QidoLevel.Series =>
        [
            Modality, Top(DicomTags.TimezoneOffsetFromUTC, level), Top(DicomTags.SeriesDescription, level), Top(DicomTags.RetrieveURL, level), SeriesInstanceUid,
            Top(DicomTags.SeriesNumber, level), NumberOfSeriesRelatedInstances, Top(DicomTags.PerformedProcedureStepStartDate, level), Top(DicomTags.PerformedProcedureStepStartTime, level),
        ],
        _ =>
        [
            Top(DicomTags.SOPClassUID, level), SopInstanceUid, Top(DicomTags.InstanceAvailability, level), Top(DicomTags.TimezoneOffsetFromUTC, level),
            Top(DicomTags.RetrieveURL, level), Top(DicomTags.InstanceNumber, level), Top(DicomTags.Rows, level), Top(DicomTags.Columns, level),
            Top(DicomTags.BitsAllocated, level), Top(DicomTags.NumberOfFrames, level),
        ],
    };

    /// <summary>
    /// The matching key named <paramref name="tag"/> (in <paramref name="sequence"/>, if any) at <paramref name="level"/>
    /// or a level above it (a series search may match on study attributes), or null when it is not a matching key there.
    /// </summary>
    public static QidoAttribute? FindMatchingKey(QidoLevel level, DicomTag tag, DicomTag? sequence)
    {
        for (var l = level; l >= QidoLevel.Study; l--)
        {
            if (MatchingKeys(l).FirstOrDefault(a => a.Tag == tag && a.Sequence == sequence) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    /// <summary>An attribute for any top-level tag (VR from the dictionary), at the level given.</summary>
    public static QidoAttribute ForTag(DicomTag tag, QidoLevel level) => new(tag, DicomDictionary.GetDefaultVR(tag), level);

    private static QidoAttribute Top(DicomTag tag, QidoLevel level) => ForTag(tag, level);

    private static QidoAttribute Nested(DicomTag sequence, DicomTag tag, QidoLevel level) =>
        new(tag, DicomDictionary.GetDefaultVR(tag), level, sequence);
}
