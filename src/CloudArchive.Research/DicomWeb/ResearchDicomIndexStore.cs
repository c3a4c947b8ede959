using System.Collections.Concurrent;
using System.Security.Cryptography;
using CloudArchive.Dicom;
using CloudArchive.Research.Publication;

namespace CloudArchive.Research.DicomWeb;

/// <summary>
/// Keeps each agreement's research DICOMweb index current. Every export run ends by writing the agreement's manifest,
/// so the manifest's digest is the index's stamp: a query reads the small manifest, and uses the index in memory or in
/// <c>{agreementId}/dicomweb-index.json</c> when its stamp matches; otherwise (first query after an export) it lists
/// the agreement's copies once, reads the headers of copies it has not indexed before, and writes the new index.
/// So queries never list the container, and the index holds de-identified values only.
/// </summary>
public sealed class ResearchDicomIndexStore
{
    private const string NoManifest = "no-manifest";
    private readonly IResearchStore _store;
    private readonly ConcurrentDictionary<string, ResearchDicomIndex> _cache = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _rebuild = new(1, 1);
    private readonly DicomReaderOptions _reader;

    /// <summary>Creates the store.</summary>
    /// <param name="store">The research container.</param>
    /// <param name="tempDirectory">Where the reader spools bulk values of copies being indexed (null: system temp).</param>
    public ResearchDicomIndexStore(IResearchStore store, string? tempDirectory = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _reader = new DicomReaderOptions { TempDirectory = tempDirectory };
    }

    /// <summary>The blob name of an agreement's index.</summary>
    public static string IndexName(string agreementId) => ResearchNames.AgreementPrefix(agreementId) + "dicomweb-index.json";

    /// <summary>The current index of <paramref name="agreementId"/>.</summary>
    public async Task<ResearchDicomIndex> GetAsync(string agreementId, CancellationToken cancellationToken)
    {
        var stamp = await StampAsync(agreementId, cancellationToken).ConfigureAwait(false);
        if (_cache.TryGetValue(agreementId, out var cached) && cached.Stamp == stamp)
        {
            return cached;
        }

        await _rebuild.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_cache.TryGetValue(agreementId, out cached) && cached.Stamp == stamp)
            {
                return cached;
            }

            var stored = await ReadIndexAsync(agreementId, cancellationToken).ConfigureAwait(false);
            var index = stored is not null && stored.Stamp == stamp ? stored : await BuildAsync(agreementId, stamp, stored, cancellationToken).ConfigureAwait(false);
            _cache[agreementId] = index;
            return index;
        }
        finally
        {
            _rebuild.Release();
        }
    }

    private async Task<string> StampAsync(string agreementId, CancellationToken cancellationToken)
    {
        var manifest = await _store.OpenReadAsync(ResearchNames.Manifest(agreementId), cancellationToken).ConfigureAwait(false);
        if (manifest is null)
        {
            return NoManifest;
        }

        await using (manifest.ConfigureAwait(false))
        {
            return Convert.ToHexStringLower(await SHA256.HashDataAsync(manifest.Content, cancellationToken).ConfigureAwait(false));
        }
    }

    private async Task<ResearchDicomIndex?> ReadIndexAsync(string agreementId, CancellationToken cancellationToken)
    {
        var blob = await _store.OpenReadAsync(IndexName(agreementId), cancellationToken).ConfigureAwait(false);
        if (blob is null)
        {
            return null;
        }

        await using (blob.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            await blob.Content.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            return ResearchDicomIndex.TryParse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
        }
    }

    private async Task<ResearchDicomIndex> BuildAsync(string agreementId, string stamp, ResearchDicomIndex? previous, CancellationToken cancellationToken)
    {
        var known = previous?.Entries.ToDictionary(e => (e.StudyUid, e.SeriesUid, e.InstanceUid, e.Length)) ?? [];
        var copies = new List<(ResearchInstanceName Name, long Length)>();
        await foreach (var blob in _store.ListAsync(ResearchNames.AgreementPrefix(agreementId) + "studies/", cancellationToken).ConfigureAwait(false))
        {
            if (ResearchNames.ParseInstance(blob.Name) is { } name && name.AgreementId == agreementId)
            {
                copies.Add((name, blob.Length));
            }
        }

        var entries = new ConcurrentBag<ResearchDicomIndexEntry>();
        await Parallel.ForEachAsync(copies, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (copy, token) =>
        {
            var (name, length) = copy;
            if (known.TryGetValue((name.StudyUid, name.SeriesUid, name.InstanceUid, length), out var same))
            {
                entries.Add(same);
                return;
            }

            var blob = await _store.OpenReadAsync(ResearchNames.Instance(agreementId, name.StudyUid, name.SeriesUid, name.InstanceUid), token).ConfigureAwait(false);
            if (blob is null)
            {
                return; // withdrawn since the listing
            }

            await using (blob.ConfigureAwait(false))
            {
                var file = await DicomFile.ReadAsync(blob.Content, _reader, token).ConfigureAwait(false);
                await using (file.ConfigureAwait(false))
                {
                    entries.Add(ResearchDicomIndexer.Index(name.StudyUid, name.SeriesUid, name.InstanceUid, length, file));
                }
            }
        }).ConfigureAwait(false);

        var index = new ResearchDicomIndex(stamp, entries
            .OrderBy(e => e.StudyUid, StringComparer.Ordinal).ThenBy(e => e.SeriesUid, StringComparer.Ordinal).ThenBy(e => e.InstanceUid, StringComparer.Ordinal)
            .ToList());
        using var json = new MemoryStream();
        index.WriteTo(json);
        json.Position = 0;
        await _store.PutAsync(IndexName(agreementId), json, "application/json", null, cancellationToken).ConfigureAwait(false);
        return index;
    }
}
