namespace CloudArchive.Core.DicomWeb.Query;

/// <summary>
/// Which attributes a QIDO-RS result carries (PS3.18 8.3.4.3 and 10.6.3): the level's default return attributes,
/// those of the levels above when the search spans them (<c>/series</c> carries the study's; <c>/instances</c> the
/// study's and series'; <c>/studies/{s}/instances</c> the series'), every matching key, every <c>includefield</c>,
/// or everything the entity holds with <c>includefield=all</c>; always Specific Character Set when the entity has it.
/// </summary>
public static class QidoResultAttributes
{
    /// <summary>The attributes of one result, in tag order, each once.</summary>
    public static IReadOnlyList<QidoAttribute> For(QidoQuery query, IQidoAttributeSource entity)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(entity);
        var result = new List<QidoAttribute> { QidoAttributes.SpecificCharacterSet };
        result.AddRange(QidoAttributes.DefaultReturn(query.Level));
        if (query.Level >= QidoLevel.Series && query.StudyInstanceUid is null)
        {
            result.AddRange(QidoAttributes.DefaultReturn(QidoLevel.Study));
        }

        if (query.Level == QidoLevel.Instance && query.SeriesInstanceUid is null)
        {
            result.AddRange(QidoAttributes.DefaultReturn(QidoLevel.Series));
        }

        result.AddRange(query.Conditions.Select(c => c.Attribute));
        result.AddRange(query.IncludeFields);
        if (query.IncludeAll)
        {
            result.AddRange(entity.Attributes);
        }

        // Nested keys (RequestAttributesSequence.X) are returned inside their sequence; the caller renders them.
        return result
            .DistinctBy(a => (a.Sequence, a.Tag))
            .OrderBy(a => a.Sequence?.Value ?? a.Tag.Value)
            .ThenBy(a => a.Sequence is null ? 0u : a.Tag.Value)
            .ToList();
    }
}
