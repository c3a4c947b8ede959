using CloudArchive.Core.DicomWeb.Query;
using CloudArchive.Dicom;
using CloudArchive.Research.Publication;

namespace CloudArchive.Research.DicomWeb;

/// <summary>
/// Research DICOMweb over one agreement's de-identified copies: QIDO-RS searches run on the agreement's index
/// (<see cref="ResearchDicomIndexStore"/>), WADO-RS reads the copies. Callers have already passed the research access
/// policy for the agreement; nothing here can reach another agreement's copies (every name is built from the
/// agreement id and validated UIDs) or any original.
/// </summary>
public sealed class ResearchDicomWebService
{
    private readonly IResearchStore _store;
    private readonly ResearchDicomIndexStore _index;
    private readonly DicomReaderOptions _reader;

    /// <summary>Creates the service.</summary>
    public ResearchDicomWebService(IResearchStore store, ResearchDicomIndexStore index, string? tempDirectory = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _index = index ?? throw new ArgumentNullException(nameof(index));
        _reader = new DicomReaderOptions { TempDirectory = tempDirectory };
    }

    /// <summary>Runs a search; <paramref name="retrieveUrl"/> gives each result's WADO-RS URL from its first instance.</summary>
    public async Task<ResearchQidoPage> SearchAsync(string agreementId, QidoQuery query, Func<ResearchDicomIndexEntry, QidoLevel, string> retrieveUrl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(retrieveUrl);
        var index = await _index.GetAsync(agreementId, cancellationToken).ConfigureAwait(false);
        var studies = index.Entries.GroupBy(e => e.StudyUid, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (IReadOnlyList<ResearchDicomIndexEntry>)g.ToList(), StringComparer.Ordinal);
        IEnumerable<IReadOnlyList<ResearchDicomIndexEntry>> groups = query.Level switch
        {
            QidoLevel.Study => studies.Values,
            QidoLevel.Series => index.Entries.GroupBy(e => (e.StudyUid, e.SeriesUid)).Select(g => (IReadOnlyList<ResearchDicomIndexEntry>)g.ToList()),
            _ => index.Entries.Select(e => (IReadOnlyList<ResearchDicomIndexEntry>)[e]),
        };

        var matches = groups
            .Select(members => new ResearchQidoEntity(query.Level, members, studies[members[0].StudyUid]))
            .Where(query.Matches);
        var page = query.Page(matches, out var more);
        return new ResearchQidoPage(page.Select(e => new QidoResult(e, retrieveUrl(e.First, query.Level))).ToList(), more);
    }

    /// <summary>
    /// The indexed instances of a study, of one of its series, or one instance (null UIDs widen the scope), in UID
    /// order; empty when nothing matches.
    /// </summary>
    public async Task<IReadOnlyList<ResearchDicomIndexEntry>> FindAsync(string agreementId, string studyUid, string? seriesUid, string? instanceUid, CancellationToken cancellationToken)
    {
        var index = await _index.GetAsync(agreementId, cancellationToken).ConfigureAwait(false);
        return index.Entries
            .Where(e => e.StudyUid == studyUid && (seriesUid is null || e.SeriesUid == seriesUid) && (instanceUid is null || e.InstanceUid == instanceUid))
            .ToList();
    }

    /// <summary>Opens a copy's bytes, or null when it has been withdrawn since it was indexed.</summary>
    public Task<ResearchBlob?> OpenAsync(string agreementId, ResearchDicomIndexEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return _store.OpenReadAsync(ResearchNames.Instance(agreementId, entry.StudyUid, entry.SeriesUid, entry.InstanceUid), cancellationToken);
    }

    /// <summary>
    /// Reads a copy as a dataset (bulk values spooled to a temporary file, so memory stays bounded), or null when it
    /// has been withdrawn. Dispose the file.
    /// </summary>
    /// <exception cref="DicomFormatException">The copy is not readable DICOM.</exception>
    public async Task<DicomFile?> ReadAsync(string agreementId, ResearchDicomIndexEntry entry, CancellationToken cancellationToken)
    {
        var blob = await OpenAsync(agreementId, entry, cancellationToken).ConfigureAwait(false);
        if (blob is null)
        {
            return null;
        }

        await using (blob.ConfigureAwait(false))
        {
            return await DicomFile.ReadAsync(blob.Content, _reader, cancellationToken).ConfigureAwait(false);
        }
    }
}
