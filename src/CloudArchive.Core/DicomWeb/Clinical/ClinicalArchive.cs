namespace CloudArchive.Core.DicomWeb.Clinical;

/// <summary>
/// Resolves the targets of clinical WADO-RS requests over the original archive: a study, a series of it or one instance,
/// by the opaque keys of their UIDs. A study that was crypto-shredded is <see cref="ClinicalSelectionStatus.Gone"/>
/// (decided by the keyring's tombstone, whether or not ciphertext remains); one the archive never held, or a series or
/// instance not in it, is <see cref="ClinicalSelectionStatus.NotFound"/>.
/// </summary>
public sealed class ClinicalArchive
{
    /// <summary>Creates the service.</summary>
    public ClinicalArchive(ClinicalIndex index, ClinicalInstanceReader reader)
    {
        Index = index ?? throw new ArgumentNullException(nameof(index));
        Reader = reader ?? throw new ArgumentNullException(nameof(reader));
    }

    /// <summary>The keyed index (QIDO-RS).</summary>
    public ClinicalIndex Index { get; }

    /// <summary>The decrypting reader (WADO-RS).</summary>
    public ClinicalInstanceReader Reader { get; }

    /// <summary>The instances of a study, of one of its series (<paramref name="seriesUid"/>), or one instance (<paramref name="instanceUid"/> too).</summary>
    public async Task<ClinicalSelection> SelectAsync(string studyUid, string? seriesUid, string? instanceUid, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(studyUid);
        var studyKey = await Index.KeyForUidAsync(studyUid, cancellationToken).ConfigureAwait(false);
        var state = await Index.GetStudyStateAsync(studyKey, cancellationToken).ConfigureAwait(false);
        if (state == StudyState.Shredded)
        {
            return new ClinicalSelection(ClinicalSelectionStatus.Gone, studyKey, []);
        }

        if (state == StudyState.Unknown)
        {
            return new ClinicalSelection(ClinicalSelectionStatus.NotFound, studyKey, []);
        }

        var seriesKey = seriesUid is null ? null : await Index.KeyForUidAsync(seriesUid, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<ClinicalIndexEntry> instances;
        if (instanceUid is not null)
        {
            var instanceKey = await Index.KeyForUidAsync(instanceUid, cancellationToken).ConfigureAwait(false);
            var entry = await Index.ReadInstanceAsync(studyKey, instanceKey, cancellationToken).ConfigureAwait(false);
            instances = entry is null ? [] : [entry];
        }
        else
        {
            instances = await Index.ReadStudyAsync(studyKey, cancellationToken).ConfigureAwait(false);
        }

        if (seriesKey is not null)
        {
            instances = instances.Where(e => e.Record.SeriesKey == seriesKey).ToList();
        }

        return new ClinicalSelection(instances.Count == 0 ? ClinicalSelectionStatus.NotFound : ClinicalSelectionStatus.Found, studyKey, instances);
    }
}
