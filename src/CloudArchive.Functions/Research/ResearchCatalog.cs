using CloudArchive.Research.Publication;

namespace CloudArchive.Functions.Research;

/// <summary>
/// Reads what an agreement has published from the <c>research</c> container's names alone (the layout mirrors
/// WADO-RS, so listings need no index): one List Blobs pass over the relevant prefix per request.
/// </summary>
public sealed class ResearchCatalog
{
    private readonly IResearchStore _store;

    /// <summary>Creates the catalog.</summary>
    public ResearchCatalog(IResearchStore store) => _store = store ?? throw new ArgumentNullException(nameof(store));

    /// <summary>Every instance below <paramref name="prefix"/> (names that are not instance names are skipped).</summary>
    public async Task<IReadOnlyList<(ResearchInstanceName Name, long Length)>> ListInstancesAsync(string prefix, CancellationToken cancellationToken)
    {
        var result = new List<(ResearchInstanceName, long)>();
        await foreach (var blob in _store.ListAsync(prefix, cancellationToken).ConfigureAwait(false))
        {
            if (ResearchNames.ParseInstance(blob.Name) is { } name)
            {
                result.Add((name, blob.Length));
            }
        }

        return result;
    }

    /// <summary>The agreement's studies with their series count, instance count and bytes, ordered by UID.</summary>
    public async Task<IReadOnlyList<StudyView>> ListStudiesAsync(string agreementId, CancellationToken cancellationToken)
    {
        var instances = await ListInstancesAsync(ResearchNames.AgreementPrefix(agreementId) + "studies/", cancellationToken).ConfigureAwait(false);
        return instances
            .GroupBy(i => i.Name.StudyUid, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new StudyView(g.Key, g.Select(i => i.Name.SeriesUid).Distinct(StringComparer.Ordinal).Count(), g.Count(), g.Sum(i => i.Length)))
            .ToList();
    }

    /// <summary>The study's series, ordered by UID (empty when the study is not published).</summary>
    public async Task<IReadOnlyList<SeriesView>> ListSeriesAsync(string agreementId, string studyUid, CancellationToken cancellationToken)
    {
        var instances = await ListInstancesAsync(ResearchNames.StudyPrefix(agreementId, studyUid), cancellationToken).ConfigureAwait(false);
        return instances
            .GroupBy(i => i.Name.SeriesUid, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new SeriesView(g.Key, g.Count(), g.Sum(i => i.Length)))
            .ToList();
    }

    /// <summary>The series' instances, ordered by UID (empty when the series is not published).</summary>
    public async Task<IReadOnlyList<InstanceView>> ListSeriesInstancesAsync(string agreementId, string studyUid, string seriesUid, CancellationToken cancellationToken)
    {
        var instances = await ListInstancesAsync(ResearchNames.SeriesPrefix(agreementId, studyUid, seriesUid), cancellationToken).ConfigureAwait(false);
        return instances
            .OrderBy(i => i.Name.InstanceUid, StringComparer.Ordinal)
            .Select(i => new InstanceView(i.Name.InstanceUid, i.Length))
            .ToList();
    }

    /// <summary>The study's instances with their series, ordered by series then instance UID (empty when the study is not published).</summary>
    public async Task<IReadOnlyList<StudyInstanceView>> ListStudyInstancesAsync(string agreementId, string studyUid, CancellationToken cancellationToken)
    {
        var instances = await ListInstancesAsync(ResearchNames.StudyPrefix(agreementId, studyUid), cancellationToken).ConfigureAwait(false);
        return instances
            .OrderBy(i => i.Name.SeriesUid, StringComparer.Ordinal)
            .ThenBy(i => i.Name.InstanceUid, StringComparer.Ordinal)
            .Select(i => new StudyInstanceView(i.Name.SeriesUid, i.Name.InstanceUid, i.Length))
            .ToList();
    }
}
