using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using CloudArchive.Core.Archive;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Crypto;
using CloudArchive.Core.Keys;
using CloudArchive.Core.Retention;
using CloudArchive.Deidentification;
using CloudArchive.Research.Agreements;
using CloudArchive.Research.Consent;
using CloudArchive.Research.Publication;

namespace CloudArchive.Research.Export;

/// <summary>
/// Exports (or refreshes) the de-identified research copies of one data-sharing agreement (compliance research §5):
/// selects studies through the encrypted instance index, applies the agreement's selection and the per-study export
/// gate, decrypts, de-identifies with the agreement's secret and profile, and writes
/// <c>research/{agreementId}/studies/.../instances/{uid}.dcm</c>, a researchers' manifest and an administrators'
/// manifest. Idempotent through a ledger per archive study: unchanged studies are skipped, new instances are added,
/// and a study the gate now refuses has its copies removed. Every release and removal is audited (110106).
/// </summary>
/// <remarks>
/// The steps are named types: <see cref="ExportAgreementCheck"/> (may the agreement be exported),
/// <see cref="ExportStudySelector"/> (select and gate a study), <see cref="ExportStager"/> (decrypt and de-identify to
/// temporary files) and <see cref="ExportPublisher"/> (upload, ledger, audit, manifests); this class runs them.
/// A study is released whole or not at all: every selected instance is de-identified to a temporary file first, and
/// only when all succeed are they uploaded. Crash safety: before uploading, the ledger entry is written listing every
/// name that may exist (marked pending so a re-run never skips it); after uploading, the audit line is written and
/// then the final ledger entry. A re-run after any crash therefore re-exports or removes exactly what may exist.
/// </remarks>
public sealed class ResearchExporter
{
    private readonly IArchiveCatalog _catalog;
    private readonly Keyring _keyring;
    private readonly IExportLedger _ledger;
    private readonly ResearchExportOptions _options;
    private readonly TimeProvider _time;
    private readonly ExportAgreementCheck _check;
    private readonly ExportStudySelector _selector;
    private readonly ExportStager _stager;
    private readonly ExportPublisher _publisher;

    /// <summary>Creates the exporter.</summary>
    /// <param name="agreements">Agreement store (<c>control</c>).</param>
    /// <param name="consents">Consent registry (<c>control</c>).</param>
    /// <param name="catalog">Lists the archive's index records.</param>
    /// <param name="archive">The archive (read only).</param>
    /// <param name="keyring">Study keys (decryption) and the agreement's de-identification secret.</param>
    /// <param name="research">Where copies and the researchers' manifest go.</param>
    /// <param name="ledger">The export ledger and administrators' manifest (<c>control</c>).</param>
    /// <param name="audit">Audit log.</param>
    /// <param name="options">Tuning.</param>
    /// <param name="timeProvider">Clock (validity, consent periods, retention tags).</param>
    public ResearchExporter(
        IAgreementStore agreements,
        IConsentRegistry consents,
        IArchiveCatalog catalog,
        IArchiveStore archive,
        Keyring keyring,
        IResearchStore research,
        IExportLedger ledger,
        AuditLogWriter audit,
        ResearchExportOptions? options = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(agreements);
        ArgumentNullException.ThrowIfNull(consents);
        _catalog = catalog ?? throw new ArgumentNullException(nameof(catalog));
        ArgumentNullException.ThrowIfNull(archive);
        _keyring = keyring ?? throw new ArgumentNullException(nameof(keyring));
        ArgumentNullException.ThrowIfNull(research);
        _ledger = ledger ?? throw new ArgumentNullException(nameof(ledger));
        ArgumentNullException.ThrowIfNull(audit);
        _options = options ?? new ResearchExportOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxParallelism, 1, nameof(options));
        _time = timeProvider ?? TimeProvider.System;
        _check = new ExportAgreementCheck(agreements, audit, _options.SoftwareVersion);
        _selector = new ExportStudySelector(new InstanceIndexReader(archive, keyring), consents);
        _stager = new ExportStager(archive);
        _publisher = new ExportPublisher(research, ledger, audit);
    }

    /// <summary>Runs the export of one agreement.</summary>
    /// <param name="request">Which agreement, and who asked.</param>
    /// <param name="progress">Receives a snapshot after each archive study, if given.</param>
    /// <param name="cancellationToken">Stops the run; what was completed stays consistent (see remarks).</param>
    /// <exception cref="ArgumentException"><see cref="ResearchExportRequest.RequestedBy"/> is not an audit actor id.</exception>
    /// <exception cref="ExportRefusedException">The agreement does not exist, is closed, not in force, or its de-identification is unusable (audited 110113).</exception>
    public async Task<ResearchExportResult> ExportAsync(ResearchExportRequest request, IProgress<ExportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var actor = new AuditActor(request.RequestedBy, app: _options.AuditApp, role: "research-export");
        var correlationId = AuditFieldCheck.IsCorrelationId(request.CorrelationId) ? request.CorrelationId : null;
        var now = _time.GetUtcNow();
        var (agreement, deidentification, retention) = await _check.CheckAsync(request.AgreementId, actor, correlationId, now, cancellationToken).ConfigureAwait(false);

        var retainUntil = RetainUntilTag.ToTag(retention.AddTo(DateOnly.FromDateTime(now.UtcDateTime)));
        var secret = await _keyring.GetOrCreateProjectSecretAsync(agreement.Id, cancellationToken).ConfigureAwait(false);
        var tempDirectory = Path.Combine(_options.TempDirectory ?? Path.GetTempPath(), "cloudarchive-export-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(tempDirectory);
        using var run = new ExportRun(
            agreement,
            deidentification,
            new Deidentifier(deidentification.Settings, secret),
            new EnvelopeDecryptor(_keyring.StudyKeyResolver),
            actor,
            correlationId,
            now,
            retainUntil,
            tempDirectory,
            _options.MaxParallelism,
            progress);
        try
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            await Parallel.ForEachAsync(
                GroupByStudyAsync(_catalog.ListIndexAsync(cancellationToken), seen, cancellationToken),
                new ParallelOptions { MaxDegreeOfParallelism = _options.MaxParallelism, CancellationToken = cancellationToken },
                async (study, token) => await ExportStudyAsync(run, study, token).ConfigureAwait(false)).ConfigureAwait(false);
            await WithdrawGoneAsync(run, seen, cancellationToken).ConfigureAwait(false);
            var admin = await _publisher.PublishManifestsAsync(run, seen.Count, cancellationToken).ConfigureAwait(false);
            return new ResearchExportResult(admin);
        }
        finally
        {
            ExportTempFiles.TryDeleteDirectory(tempDirectory);
        }
    }

    /// <summary>
    /// Groups an ordered listing into studies, adding each study key to <paramref name="seen"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">A study's records are not contiguous (the listing is not ordered).</exception>
    internal static async IAsyncEnumerable<StudyIndexGroup> GroupByStudyAsync(IAsyncEnumerable<ArchiveIndexEntry> entries, HashSet<string> seen, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? current = null;
        var batch = new List<ArchiveIndexEntry>();
        await foreach (var entry in entries.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (!ExportNames.IsOpaqueKey(entry.StudyKey) || !ExportNames.IsOpaqueKey(entry.InstanceKey))
            {
                // Not a name ingest writes; nothing the index reader could open.
                continue;
            }

            if (!string.Equals(entry.StudyKey, current, StringComparison.Ordinal))
            {
                if (current is not null)
                {
                    yield return new StudyIndexGroup(current, batch);
                }

                if (!seen.Add(entry.StudyKey))
                {
                    throw new InvalidOperationException("The archive catalog did not list index records in name order: a study's records are not contiguous.");
                }

                current = entry.StudyKey;
                batch = [];
            }

            batch.Add(entry);
        }

        if (current is not null)
        {
            yield return new StudyIndexGroup(current, batch);
        }
    }

    /// <summary>Hash of the identities of the index records a study's copies are made from (order-independent).</summary>
    internal static string SourceHash(IEnumerable<ArchiveIndexEntry> entries)
    {
        var text = string.Join('\n', entries.Select(e => e.InstanceKey + "@" + (e.Version ?? "-")).Order(StringComparer.Ordinal));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>Copies of studies that left the archive (retention sweep, erasure) go with them.</summary>
    private async Task WithdrawGoneAsync(ExportRun run, HashSet<string> seen, CancellationToken cancellationToken)
    {
        var gone = new List<string>();
        await foreach (var studyKey in _ledger.ListStudyKeysAsync(run.Agreement.Id, cancellationToken).ConfigureAwait(false))
        {
            if (!seen.Contains(studyKey))
            {
                gone.Add(studyKey);
            }
        }

        foreach (var studyKey in gone)
        {
            if (await _ledger.GetAsync(run.Agreement.Id, studyKey, cancellationToken).ConfigureAwait(false) is { } entry)
            {
                await _publisher.WithdrawAsync(run, entry, "source-deleted", cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task ExportStudyAsync(ExportRun run, StudyIndexGroup study, CancellationToken cancellationToken)
    {
        var existing = await _ledger.GetAsync(run.Agreement.Id, study.StudyKey, cancellationToken).ConfigureAwait(false);
        var (selected, excluded) = await _selector.SelectAsync(run, study, cancellationToken).ConfigureAwait(false);
        if (excluded is { } reason)
        {
            await _publisher.ExcludeAsync(run, study.StudyKey, existing, reason, cancellationToken).ConfigureAwait(false);
            return;
        }

        var patient = selected.Select(r => r.Record.PatientPseudonym).FirstOrDefault(p => p is not null && OpaqueKey.IsValid(p));
        var sourceHash = SourceHash(selected.Select(r => r.Entry));
        var plan = StudyExportPlan.Create(run, existing, selected, sourceHash);
        if (plan.Unchanged)
        {
            run.Present(existing!, written: false, 0, 0);
            return;
        }

        var (staged, stageFailure) = await _stager.StageAsync(run, study.StudyKey, plan.Todo, cancellationToken).ConfigureAwait(false);
        try
        {
            var studyUids = staged.Select(s => s.StudyUid).Concat(plan.Kept.Count > 0 && existing is not null ? [existing.ResearchStudyUid] : []).Distinct(StringComparer.Ordinal).ToList();
            if (stageFailure is null && studyUids.Count != 1)
            {
                // One archive study must map to one research study; anything else would split or merge studies.
                stageFailure = ExclusionReason.DeidentificationRefused;
            }

            if (stageFailure is { } refused)
            {
                await _publisher.ExcludeAsync(run, study.StudyKey, existing, refused, cancellationToken).ConfigureAwait(false);
                return;
            }

            var release = new StudyRelease(study.StudyKey, patient, studyUids[0], sourceHash, existing, plan.Kept, staged);
            await _publisher.PublishAsync(run, release, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            foreach (var s in staged)
            {
                ExportTempFiles.TryDelete(s.Path);
            }
        }
    }
}
