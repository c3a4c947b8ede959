using System.Globalization;
using CloudArchive.Core.Archive;
using CloudArchive.Core.DicomWeb.Query;
using CloudArchive.Dicom;

namespace CloudArchive.Core.DicomWeb.Clinical;

/// <summary>
/// A study, series or instance of the original archive as clinical QIDO-RS sees it: the indexed attributes of its first
/// instance (<see cref="IndexedAttributes"/>, decrypted from the index record), the aggregates of the instances the
/// query selected (ModalitiesInStudy, the numbers of related series and instances), InstanceAvailability <c>ONLINE</c>
/// and the Retrieve URL of the entity under the clinical root.
/// </summary>
public sealed class ClinicalQidoEntity : IQidoAttributeSource
{
    private readonly Dictionary<DicomTag, IReadOnlyList<string>> _values;
    private readonly QidoLevel _level;

    private ClinicalQidoEntity(QidoLevel level, string studyKey, string? patient, string retrieveUrl, Dictionary<DicomTag, IReadOnlyList<string>> values)
    {
        _level = level;
        StudyKey = studyKey;
        PatientPseudonym = patient;
        RetrieveUrl = retrieveUrl;
        _values = values;
    }

    /// <summary>The entity's WADO-RS URL under the clinical root (Retrieve URL, 0008,1190).</summary>
    public string RetrieveUrl { get; }

    /// <summary>The entity's study key (for the audit line).</summary>
    public string StudyKey { get; }

    /// <summary>The patient pseudonym (for the audit line), if any.</summary>
    public string? PatientPseudonym { get; }

    /// <inheritdoc />
    public IEnumerable<QidoAttribute> Attributes => _values.Keys.Order().Select(t => QidoAttributes.ForTag(t, _level));

    /// <inheritdoc />
    public IReadOnlyList<string>? GetValues(QidoAttribute attribute)
    {
        ArgumentNullException.ThrowIfNull(attribute);
        return attribute.Sequence is null && _values.TryGetValue(attribute.Tag, out var values) ? values : null;
    }

    /// <summary>
    /// The entities of <paramref name="level"/> made of <paramref name="entries"/> (grouped by study or series keys), in
    /// key order; <paramref name="root"/> is the service root their Retrieve URLs are built on.
    /// </summary>
    public static IReadOnlyList<ClinicalQidoEntity> Build(QidoLevel level, IReadOnlyList<ClinicalIndexEntry> entries, string root)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(root);
        var studies = entries.GroupBy(e => e.Record.StudyKey).ToDictionary(g => g.Key, g => g.ToList());
        var series = entries.GroupBy(e => (e.Record.StudyKey, e.Record.SeriesKey)).ToDictionary(g => g.Key, g => g.Count());
        var groups = level switch
        {
            QidoLevel.Study => entries.GroupBy(e => e.Record.StudyKey).Select(g => g.ToList()),
            QidoLevel.Series => entries.GroupBy(e => (e.Record.StudyKey, e.Record.SeriesKey)).Select(g => g.ToList()),
            _ => entries.Select(e => new List<ClinicalIndexEntry> { e }),
        };
        return groups.Select(group =>
        {
            var first = group[0].Record;
            var study = studies[first.StudyKey];
            var values = Values(first);
            values[QidoAttributes.ModalitiesInStudy.Tag] = study.Select(e => Value(e.Record, QidoAttributes.Modality.Tag)).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            values[QidoAttributes.NumberOfStudyRelatedSeries.Tag] = [Count(study.Select(e => e.Record.SeriesKey).Distinct(StringComparer.Ordinal).Count())];
            values[QidoAttributes.NumberOfStudyRelatedInstances.Tag] = [Count(study.Count)];
            values[QidoAttributes.NumberOfSeriesRelatedInstances.Tag] = [Count(series[(first.StudyKey, first.SeriesKey)])];
            values[DicomTags.InstanceAvailability] = ["ONLINE"];
            var url = Url(level, first, root);
            values[QidoAttributes.RetrieveUrl.Tag] = [url];
            return new ClinicalQidoEntity(level, first.StudyKey, first.PatientPseudonym, url, values);
        }).ToList();
    }

    private static Dictionary<DicomTag, IReadOnlyList<string>> Values(InstanceIndexRecord record)
    {
        var values = new Dictionary<DicomTag, IReadOnlyList<string>>();
        foreach (var (key, text) in record.Attributes ?? new Dictionary<string, string>())
        {
            if (uint.TryParse(key, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var tag))
            {
                values[new DicomTag(tag)] = text.Split('\\');
            }
        }

        // Text in the record is Unicode; the answer says so.
        values[QidoAttributes.SpecificCharacterSet.Tag] = ["ISO_IR 192"];
        return values;
    }

    private static string? Value(InstanceIndexRecord record, DicomTag tag) =>
        record.Attributes?.GetValueOrDefault(IndexedAttributes.Key(tag));

    private static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Url(QidoLevel level, InstanceIndexRecord record, string root)
    {
        var url = root + "/studies/" + Value(record, QidoAttributes.StudyInstanceUid.Tag);
        if (level >= QidoLevel.Series)
        {
            url += "/series/" + Value(record, QidoAttributes.SeriesInstanceUid.Tag);
        }

        if (level == QidoLevel.Instance)
        {
            url += "/instances/" + Value(record, QidoAttributes.SopInstanceUid.Tag);
        }

        return url;
    }
}
