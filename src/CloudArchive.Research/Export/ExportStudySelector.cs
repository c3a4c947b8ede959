using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using CloudArchive.Core.Archive;
using CloudArchive.Core.Crypto;
using CloudArchive.Research.Consent;

namespace CloudArchive.Research.Export;

/// <summary>
/// The select step of an export: reads a study's encrypted index records, keeps those the agreement's selection
/// matches, and asks the export gate (agreement and every patient's consent) whether the study may be released.
/// </summary>
internal sealed class ExportStudySelector(InstanceIndexReader index, IConsentRegistry consents)
{
    /// <summary>The selected records in instance-key order, or why the study is excluded.</summary>
    public async Task<(List<IndexedRecord> Selected, ExclusionReason? Excluded)> SelectAsync(ExportRun run, StudyIndexGroup study, CancellationToken cancellationToken)
    {
        var (records, readFailure) = await ReadIndexAsync(run, study, cancellationToken).ConfigureAwait(false);
        if (readFailure is { } failure)
        {
            return ([], failure);
        }

        var selected = records.Where(r => run.Agreement.Selection.Matches(r.Record)).ToList();
        if (selected.Count == 0)
        {
            return ([], ExclusionReason.NotSelected);
        }

        var decision = await GateAsync(run, selected, cancellationToken).ConfigureAwait(false);
        return decision.Allowed ? (selected, null) : ([], decision.Reason ?? ExclusionReason.NotSelected);
    }

    private async Task<(List<IndexedRecord> Records, ExclusionReason? Failure)> ReadIndexAsync(ExportRun run, StudyIndexGroup study, CancellationToken cancellationToken)
    {
        var records = new ConcurrentBag<IndexedRecord>();
        ExclusionReason? failure = null;
        await Parallel.ForEachAsync(
            study.Entries,
            new ParallelOptions { MaxDegreeOfParallelism = run.Parallelism, CancellationToken = cancellationToken },
            async (entry, token) =>
            {
                try
                {
                    var record = await index.ReadAsync(entry.StudyKey, entry.InstanceKey, token).ConfigureAwait(false);
                    if (record is null)
                    {
                        return; // Deleted since it was listed.
                    }

                    if (record.StudyKey != entry.StudyKey || record.InstanceKey != entry.InstanceKey)
                    {
                        Fail(ExclusionReason.Unreadable);
                        return;
                    }

                    records.Add(new IndexedRecord(entry, record));
                }
                catch (EnvelopeDecryptionException ex) when (ex.Reason == EnvelopeFailureReason.KeyDestroyed)
                {
                    Fail(ExclusionReason.StudyShredded);
                }
                catch (Exception ex) when (ex is EnvelopeDecryptionException or JsonException)
                {
                    Fail(ExclusionReason.Unreadable);
                }
            }).ConfigureAwait(false);
        return (records.OrderBy(r => r.Entry.InstanceKey, StringComparer.Ordinal).ToList(), failure);

        void Fail(ExclusionReason reason)
        {
            lock (records)
            {
                // A shredded key outranks any other failure: it is the definitive state of the study.
                if (failure is null || reason == ExclusionReason.StudyShredded)
                {
                    failure = reason;
                }
            }
        }
    }

    private async Task<ExportDecision> GateAsync(ExportRun run, List<IndexedRecord> selected, CancellationToken cancellationToken)
    {
        DateOnly? studyDate = null;
        foreach (var r in selected)
        {
            if (DateOnly.TryParseExact(r.Record.StudyDate, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            {
                studyDate = d;
                break;
            }
        }

        var modalities = selected.Select(r => r.Record.Modality?.Trim()).OfType<string>().Where(m => m.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var bodyParts = selected.Select(r => r.Record.BodyPart?.Trim()).OfType<string>().Where(b => b.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

        // A study normally has one patient; should its instances name several, every one of them must permit the release.
        foreach (var patient in selected.Select(r => r.Record.PatientPseudonym).Distinct(StringComparer.Ordinal))
        {
            var consent = patient is null ? null : await consents.GetAsync(patient, cancellationToken).ConfigureAwait(false);
            var decision = ExportGate.Evaluate(run.Agreement, new StudyFacts(patient, studyDate, modalities, bodyParts), consent, run.StartedAt);
            if (!decision.Allowed)
            {
                return decision;
            }
        }

        return ExportDecision.Allow;
    }
}
