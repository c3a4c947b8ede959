using System.Globalization;
using CloudArchive.Core.DicomWeb.Query;

namespace CloudArchive.Research.DicomWeb;

/// <summary>
/// A study, series or instance of the research index as QIDO-RS sees it: attributes of its level and the levels above
/// come from its first instance; Modalities in Study and the Number of … Related … counts are computed.
/// </summary>
internal sealed class ResearchQidoEntity : IQidoAttributeSource
{
    private readonly QidoLevel _level;
    private readonly IReadOnlyList<ResearchDicomIndexEntry> _members;
    private readonly IReadOnlyList<ResearchDicomIndexEntry> _study;

    public ResearchQidoEntity(QidoLevel level, IReadOnlyList<ResearchDicomIndexEntry> members, IReadOnlyList<ResearchDicomIndexEntry> study)
    {
        _level = level;
        _members = members;
        _study = study;
    }

    public ResearchDicomIndexEntry First => _members[0];

    public IEnumerable<QidoAttribute> Attributes =>
        First.Values.Keys
            .Select(Parse)
            .Where(a => a.Level <= _level)
            .Concat(_level == QidoLevel.Study ? [QidoAttributes.ModalitiesInStudy, QidoAttributes.NumberOfStudyRelatedSeries, QidoAttributes.NumberOfStudyRelatedInstances] : [])
            .Concat(_level == QidoLevel.Series ? [QidoAttributes.NumberOfSeriesRelatedInstances] : []);

    public IReadOnlyList<string>? GetValues(QidoAttribute attribute)
    {
        if (attribute.Sequence is null)
        {
            if (attribute.Tag == QidoAttributes.ModalitiesInStudy.Tag)
            {
                return _study.SelectMany(e => e.Values.GetValueOrDefault(ResearchIndexedTags.Key(QidoAttributes.Modality.Tag, null)) ?? [])
                    .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            }

            if (attribute.Tag == QidoAttributes.NumberOfStudyRelatedSeries.Tag)
            {
                return [Count(_study.Select(e => e.SeriesUid).Distinct(StringComparer.Ordinal).Count())];
            }

            if (attribute.Tag == QidoAttributes.NumberOfStudyRelatedInstances.Tag)
            {
                return [Count(_study.Count)];
            }

            if (attribute.Tag == QidoAttributes.NumberOfSeriesRelatedInstances.Tag && _level >= QidoLevel.Series)
            {
                return [Count(_study.Count(e => e.SeriesUid == First.SeriesUid))];
            }

            if (attribute.Tag == QidoAttributes.StudyInstanceUid.Tag)
            {
                return [First.StudyUid];
            }

            if (attribute.Tag == QidoAttributes.SeriesInstanceUid.Tag)
            {
                return _level >= QidoLevel.Series ? [First.SeriesUid] : null;
            }

            if (attribute.Tag == QidoAttributes.SopInstanceUid.Tag)
            {
                return _level == QidoLevel.Instance ? [First.InstanceUid] : null;
            }
        }

        if (ResearchIndexedTags.LevelOf(attribute.Tag, attribute.Sequence) > _level)
        {
            return null;
        }

        return First.Values.GetValueOrDefault(ResearchIndexedTags.Key(attribute.Tag, attribute.Sequence));
    }

    private static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static QidoAttribute Parse(string key)
    {
        var dot = key.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0)
        {
            var tag = new Dicom.DicomTag(uint.Parse(key, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            return QidoAttributes.ForTag(tag, ResearchIndexedTags.LevelOf(tag, null));
        }

        var sq = new Dicom.DicomTag(uint.Parse(key[..dot], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        var inner = new Dicom.DicomTag(uint.Parse(key[(dot + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        return QidoAttributes.ForTag(inner, QidoLevel.Series) with { Sequence = sq };
    }
}
