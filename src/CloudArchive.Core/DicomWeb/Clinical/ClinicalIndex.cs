using System.Collections.Concurrent;
using CloudArchive.Core.Archive;
using CloudArchive.Core.Crypto;
using CloudArchive.Core.Keys;

namespace CloudArchive.Core.DicomWeb.Clinical;

/// <summary>
/// Finds original instances for clinical QIDO-RS and WADO-RS without listing or decrypting the archive: the keyed
/// attributes of a query (<see cref="ClinicalLookup"/>) become opaque keys under the index key, which select instances
/// by name prefix (<c>studies/{studyKey}/</c>) or by index tag (<c>ca_series</c>, <c>ca_accession</c>,
/// <c>ca_patient</c>); only the selected instances' encrypted index records are decrypted. What an index reader can
/// learn from the tags: docs/dicomweb/clinical.md.
/// </summary>
public sealed class ClinicalIndex : IDisposable
{
    private const int ReadParallelism = 8;

    private readonly IArchiveTagIndex _tags;
    private readonly InstanceIndexReader _index;
    private readonly Keyring _keyring;
    private readonly ClinicalDicomWebOptions _options;
    private readonly SemaphoreSlim _namerGate = new(1, 1);
    private OpaqueKeyNamer? _namer;

    /// <summary>Creates the index.</summary>
    public ClinicalIndex(IArchiveTagIndex tags, InstanceIndexReader index, Keyring keyring, ClinicalDicomWebOptions options)
    {
        _tags = tags ?? throw new ArgumentNullException(nameof(tags));
        _index = index ?? throw new ArgumentNullException(nameof(index));
        _keyring = keyring ?? throw new ArgumentNullException(nameof(keyring));
        _options = options ?? throw new ArgumentNullException(nameof(options));
    }

    /// <summary>The opaque key of a UID (study, series or instance), as ingest names it.</summary>
    public async Task<string> KeyForUidAsync(string uid, CancellationToken cancellationToken) =>
        (await GetNamerAsync(cancellationToken).ConfigureAwait(false)).NameFor(uid);

    /// <summary>Whether a study is present, unknown, or crypto-shredded (decided by the keyring, not by its blobs).</summary>
    public async Task<StudyState> GetStudyStateAsync(string studyKey, CancellationToken cancellationToken)
    {
        try
        {
            using var key = await _keyring.GetStudyKeyAsync(studyKey, cancellationToken).ConfigureAwait(false);
            return StudyState.Present;
        }
        catch (KeyringException ex) when (ex.Reason == KeyringFailureReason.StudyShredded)
        {
            return StudyState.Shredded;
        }
        catch (KeyringException ex) when (ex.Reason == KeyringFailureReason.KeyNotFound)
        {
            return StudyState.Unknown;
        }
    }

    /// <summary>
    /// The instances the lookup selects, with their decrypted index records, in study/series/instance key order.
    /// Instances of shredded studies, and instances whose record is not (yet) written, are left out.
    /// </summary>
    /// <exception cref="ClinicalQueryRefusedException">No keyed attribute (the query would scan the archive), or too many instances selected.</exception>
    public async Task<IReadOnlyList<ClinicalIndexEntry>> FindAsync(ClinicalLookup lookup, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        if (lookup.IsEmpty)
        {
            throw new ClinicalQueryRefusedException(
                "query-needs-key",
                "A clinical query must match on at least one of StudyInstanceUID, SeriesInstanceUID, AccessionNumber or PatientID (exact values or UID lists): the archive is never listed as a whole.");
        }

        var candidates = new HashSet<ArchiveInstanceRef>();
        await foreach (var found in SelectAsync(lookup, cancellationToken).ConfigureAwait(false))
        {
            if (candidates.Add(found) && candidates.Count > _options.MaxCandidates)
            {
                throw new ClinicalQueryRefusedException("query-too-broad", "The query selects more instances than the archive answers in one query; narrow it (e.g. by StudyInstanceUID).");
            }
        }

        return await ReadRecordsAsync(candidates, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The instances of one study with their records (WADO-RS), or an empty list when none is indexed.</summary>
    public async Task<IReadOnlyList<ClinicalIndexEntry>> ReadStudyAsync(string studyKey, CancellationToken cancellationToken)
    {
        var refs = new List<ArchiveInstanceRef>();
        await foreach (var found in _tags.ListStudyAsync(studyKey, cancellationToken).ConfigureAwait(false))
        {
            refs.Add(found);
        }

        return await ReadRecordsAsync(refs, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One instance with its record, or null when it is not archived (or its record is not written yet).</summary>
    public async Task<ClinicalIndexEntry?> ReadInstanceAsync(string studyKey, string instanceKey, CancellationToken cancellationToken)
    {
        var found = await ReadRecordsAsync([new ArchiveInstanceRef(studyKey, instanceKey)], cancellationToken).ConfigureAwait(false);
        return found.Count == 1 ? found[0] : null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _namer?.Dispose();
        _namerGate.Dispose();
    }

    private async IAsyncEnumerable<ArchiveInstanceRef> SelectAsync(ClinicalLookup lookup, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var namer = await GetNamerAsync(cancellationToken).ConfigureAwait(false);

        // The most selective key alone selects; the others are matched on the decrypted records afterwards.
        if (lookup.StudyInstanceUids.Count > 0)
        {
            foreach (var uid in lookup.StudyInstanceUids.Distinct(StringComparer.Ordinal))
            {
                await foreach (var found in _tags.ListStudyAsync(namer.NameFor(uid), cancellationToken).ConfigureAwait(false))
                {
                    yield return found;
                }
            }

            yield break;
        }

        var (tag, keys) = lookup.SeriesInstanceUids.Count > 0
            ? (ArchiveMetadata.SeriesTag, lookup.SeriesInstanceUids.Select(namer.NameFor))
            : lookup.AccessionNumbers.Count > 0
                ? (ArchiveMetadata.AccessionTag, lookup.AccessionNumbers.Select(a => AccessionPseudonymizer.Pseudonym(namer, a)).OfType<string>())
                : (ArchiveMetadata.PatientTag, lookup.PatientIds.Select(p => PatientPseudonymizer.Pseudonym(namer, p, lookup.IssuerOfPatientId)).OfType<string>());
        foreach (var key in keys.Distinct(StringComparer.Ordinal))
        {
            await foreach (var found in _tags.FindByTagAsync(tag, key, cancellationToken).ConfigureAwait(false))
            {
                yield return found;
            }
        }
    }

    private async Task<IReadOnlyList<ClinicalIndexEntry>> ReadRecordsAsync(IReadOnlyCollection<ArchiveInstanceRef> refs, CancellationToken cancellationToken)
    {
        var entries = new ConcurrentBag<ClinicalIndexEntry>();
        await Parallel.ForEachAsync(refs, new ParallelOptions { MaxDegreeOfParallelism = ReadParallelism, CancellationToken = cancellationToken }, async (found, ct) =>
        {
            try
            {
                if (await _index.ReadAsync(found.StudyKey, found.InstanceKey, ct).ConfigureAwait(false) is { } record)
                {
                    entries.Add(new ClinicalIndexEntry(record));
                }
            }
            catch (EnvelopeDecryptionException ex) when (ex.Reason == EnvelopeFailureReason.KeyDestroyed)
            {
                // A shredded study's records cannot be read, and must not be: it is no longer in the archive.
            }
        }).ConfigureAwait(false);
        return entries
            .OrderBy(e => e.Record.StudyKey, StringComparer.Ordinal)
            .ThenBy(e => e.Record.SeriesKey, StringComparer.Ordinal)
            .ThenBy(e => e.Record.InstanceKey, StringComparer.Ordinal)
            .ToList();
    }

    private async Task<OpaqueKeyNamer> GetNamerAsync(CancellationToken cancellationToken)
    {
        if (_namer is { } namer)
        {
            return namer;
        }

        await _namerGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return _namer ??= await _keyring.GetIndexKeyNamerAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _namerGate.Release();
        }
    }
}
