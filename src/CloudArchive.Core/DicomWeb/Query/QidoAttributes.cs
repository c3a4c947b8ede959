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
    private static readonly DicomTag RequestAttributesSequence = new(0x0040, 0x0275);

    /// <summary>Specific Character Set (returned at every level).</summary>
    public static readonly QidoAttribute SpecificCharacterSet = Top(0x0008, 0x0005, QidoLevel.Study);

    /// <summary>Study Instance UID.</summary>
    public static readonly QidoAttribute StudyInstanceUid = Top(0x0020, 0x000D, QidoLevel.Study);

    /// <summary>Series Instance UID.</summary>
    public static readonly QidoAttribute SeriesInstanceUid = Top(0x0020, 0x000E, QidoLevel.Series);

    /// <summary>SOP Instance UID.</summary>
    public static readonly QidoAttribute SopInstanceUid = Top(0x0008, 0x0018, QidoLevel.Instance);

    /// <summary>Modalities in Study (an aggregate of the series' Modality).</summary>
    public static readonly QidoAttribute ModalitiesInStudy = Top(0x0008, 0x0061, QidoLevel.Study);

    /// <summary>Modality.</summary>
    public static readonly QidoAttribute Modality = Top(0x0008, 0x0060, QidoLevel.Series);

    /// <summary>Number of Study Related Series (aggregate).</summary>
    public static readonly QidoAttribute NumberOfStudyRelatedSeries = Top(0x0020, 0x1206, QidoLevel.Study);

    /// <summary>Number of Study Related Instances (aggregate).</summary>
    public static readonly QidoAttribute NumberOfStudyRelatedInstances = Top(0x0020, 0x1208, QidoLevel.Study);

    /// <summary>Number of Series Related Instances (aggregate).</summary>
    public static readonly QidoAttribute NumberOfSeriesRelatedInstances = Top(0x0020, 0x1209, QidoLevel.Series);

    /// <summary>Retrieve URL (written by the service, not stored).</summary>
    public static readonly QidoAttribute RetrieveUrl = Top(0x0008, 0x1190, QidoLevel.Study);

    /// <summary>Matching keys of each level (PS3.18 Table 10.6.1-5).</summary>
    public static IReadOnlyList<QidoAttribute> MatchingKeys(QidoLevel level) => level switch
    {
        QidoLevel.Study =>
        [
            Top(0x0008, 0x0020, level), Top(0x0008, 0x0030, level), Top(0x0008, 0x0050, level), ModalitiesInStudy,
            Top(0x0008, 0x0090, level), Top(0x0010, 0x0010, level), Top(0x0010, 0x0020, level), StudyInstanceUid,
            Top(0x0020, 0x0010, level),
        ],
        QidoLevel.Series =>
        [
            Modality, SeriesInstanceUid, Top(0x0020, 0x0011, level), Top(0x0040, 0x0244, level), Top(0x0040, 0x0245, level),
            Nested(RequestAttributesSequence, 0x0040, 0x0009, level), Nested(RequestAttributesSequence, 0x0040, 0x1001, level),
        ],
        _ => [Top(0x0008, 0x0016, level), SopInstanceUid, Top(0x0020, 0x0013, level)],
    };

    /// <summary>Default return attributes of each level (PS3.18 Tables 10.6.3-3, -4 and -5), without Specific Character Set.</summary>
    public static IReadOnlyList<QidoAttribute> DefaultReturn(QidoLevel level) => level switch
    {
        QidoLevel.Study =>
        [
            Top(0x0008, 0x0020, level), Top(0x0008, 0x0030, level), Top(0x0008, 0x0050, level), Top(0x0008, 0x0056, level),
            ModalitiesInStudy, Top(0x0008, 0x0090, level), Top(0x0008, 0x0201, level), RetrieveUrl, Top(0x0010, 0x0010, level),
            Top(0x0010, 0x0020, level), Top(0x0010, 0x0030, level), Top(0x0010, 0x0040, level), StudyInstanceUid,
            Top(0x0020, 0x0010, level), NumberOfStudyRelatedSeries, NumberOfStudyRelatedInstances,
        ],
        QidoLevel.Series =>
        [
            Modality, Top(0x0008, 0x0201, level), Top(0x0008, 0x103E, level), Top(0x0008, 0x1190, level), SeriesInstanceUid,
            Top(0x0020, 0x0011, level), NumberOfSeriesRelatedInstances, Top(0x0040, 0x0244, level), Top(0x0040, 0x0245, level),
        ],
        _ =>
        [
            Top(0x0008, 0x0016, level), SopInstanceUid, Top(0x0008, 0x0056, level), Top(0x0008, 0x0201, level),
            Top(0x0008, 0x1190, level), Top(0x0020, 0x0013, level), Top(0x0028, 0x0010, level), Top(0x0028, 0x0011, level),
            Top(0x0028, 0x0100, level), Top(0x0028, 0x0008, level),
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

    private static QidoAttribute Top(ushort group, ushort element, QidoLevel level) => ForTag(new DicomTag(group, element), level);

    private static QidoAttribute Nested(DicomTag sequence, ushort group, ushort element, QidoLevel level)
    {
        var tag = new DicomTag(group, element);
        return new QidoAttribute(tag, DicomDictionary.GetDefaultVR(tag), level, sequence);
    }
}
