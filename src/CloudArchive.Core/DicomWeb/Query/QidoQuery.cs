namespace CloudArchive.Core.DicomWeb.Query;

/// <summary>
/// A parsed QIDO-RS search (<see cref="QidoQueryParser"/>): the level, the study/series the resource path fixes,
/// the matching keys, what to return, and the page.
/// </summary>
public sealed class QidoQuery
{
    /// <summary>The level of the results.</summary>
    public required QidoLevel Level { get; init; }

    /// <summary>The study the path names (<c>/studies/{study}/series</c>, <c>/studies/{study}/instances</c>), if any.</summary>
    public string? StudyInstanceUid { get; init; }

    /// <summary>The series the path names (<c>/studies/{study}/series/{series}/instances</c>), if any.</summary>
    public string? SeriesInstanceUid { get; init; }

    /// <summary>The matching keys (all must match).</summary>
    public required IReadOnlyList<QidoCondition> Conditions { get; init; }

    /// <summary>Attributes named by <c>includefield</c>.</summary>
    public required IReadOnlyList<QidoAttribute> IncludeFields { get; init; }

    /// <summary><c>includefield=all</c>: every attribute the entity holds.</summary>
    public bool IncludeAll { get; init; }

    /// <summary>Results to skip.</summary>
    public int Offset { get; init; }

    /// <summary>Results to return at most (the client's limit, capped by the service's maximum).</summary>
    public required int Limit { get; init; }

    /// <summary>The client asked for a limit above the service's maximum (a Warning is due when it bites).</summary>
    public bool LimitCapped { get; init; }

    /// <summary><c>fuzzymatching=true</c> was asked for; only literal matching is done (a Warning is due).</summary>
    public bool FuzzyMatchingRequested { get; init; }

    /// <summary>Attributes the response is to carry for the level, in tag order (see <see cref="QidoResultAttributes"/>).</summary>
    public IReadOnlyList<QidoAttribute> ReturnAttributes(IQidoAttributeSource entity) => QidoResultAttributes.For(this, entity);

    /// <summary>Whether <paramref name="entity"/> satisfies every matching key and the path's study/series.</summary>
    public bool Matches(IQidoAttributeSource entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        if (StudyInstanceUid is not null && !Has(entity, QidoAttributes.StudyInstanceUid, StudyInstanceUid))
        {
            return false;
        }

        if (SeriesInstanceUid is not null && !Has(entity, QidoAttributes.SeriesInstanceUid, SeriesInstanceUid))
        {
            return false;
        }

        foreach (var condition in Conditions)
        {
            if (!condition.Matches(entity.GetValues(condition.Attribute)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The requested page of <paramref name="matches"/>; <paramref name="more"/> says whether results were left after it.</summary>
    public IReadOnlyList<T> Page<T>(IEnumerable<T> matches, out bool more)
    {
        ArgumentNullException.ThrowIfNull(matches);
        var page = matches.Skip(Offset).Take(Limit + 1).ToList();
        more = page.Count > Limit;
        if (more)
        {
            page.RemoveAt(page.Count - 1);
        }

        return page;
    }

    private static bool Has(IQidoAttributeSource entity, QidoAttribute attribute, string uid) =>
        entity.GetValues(attribute) is { } values && values.Contains(uid, StringComparer.Ordinal);
}
