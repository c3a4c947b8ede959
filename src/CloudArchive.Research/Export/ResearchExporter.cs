using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Crypto;
using CloudArchive.Core.Ingest;
using CloudArchive.Core.Keys;
using CloudArchive.Research.Agreements;
using CloudArchive.Research.Consent;
using CloudArchive.Research.Publication;
using CloudArchive.Core.Retention;
using CloudArchive.Deidentification;
using CloudArchive.Dicom;
using CloudArchive.Core.Archive;

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
/// A study is released whole or not at all: every selected instance is de-identified to a temporary file first, and
/// only when all succeed are they uploaded. Crash safety: before uploading, the ledger entry is written listing every
/// name that may exist (marked pending so a re-run never skips it); after uploading, the audit line is written and
/// then the final ledger entry. A re-run after any crash therefore re-exports or removes exactly what may exist.
/// </remarks>
public sealed class ResearchExporter
{
    private const string DicomContentType = "application/dicom";
    private const string PendingPrefix = "pending:";

    private readonly IAgreementStore _agreements;
    private readonly IConsentRegistry _consents;
    private readonly IArchiveCatalog _catalog;
    private readonly IArchiveStore _archive;
    private readonly Keyring _keyring;
    private readonly IResearchStore _research;
    private readonly IExportLedger _ledger;
    private readonly AuditLogWriter _audit;
    private readonly ResearchExportOptions _options;
    private readonly TimeProvider _time;
    private readonly InstanceIndexReader _index;

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
        _agreements = agreements ?? throw new ArgumentNullException(nameof(agreements));
        _consents = consents ?? throw new ArgumentNullException(nameof(consents));
        _catalog = catalog ?? throw new ArgumentNullException(nameof(catalog));
        _archive = archive ?? throw new ArgumentNullException(nameof(archive));
        _keyring = keyring ?? throw new ArgumentNullException(nameof(keyring));
        _research = research ?? throw new ArgumentNullException(nameof(research));
        _ledger = ledger ?? throw new ArgumentNullException(nameof(ledger));
        _audit = audit ?? throw new ArgumentNullException(nameof(audit));
        _options = options ?? new ResearchExportOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxParallelism, 1, nameof(options));
        _time = timeProvider ?? TimeProvider.System;
        _index = new InstanceIndexReader(archive, keyring);
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
        var agreement = await LoadAgreementAsync(request.AgreementId, actor, correlationId, now, cancellationToken).ConfigureAwait(false);

        ExportDeidentification deidentification;
        try
        {
            deidentification = ExportDeidentification.Create(agreement.Deidentification, _options.SoftwareVersion);
        }
        catch (DeidConfigurationException)
        {
            throw await RefuseAsync(agreement.Id, agreement, ExportRefusalReason.InvalidDeidentification, actor, correlationId, cancellationToken).ConfigureAwait(false);
        }

        if (!IsoPeriod.TryParse(agreement.CopyRetention, out var retention, out _))
        {
            throw await RefuseAsync(agreement.Id, agreement, ExportRefusalReason.InvalidDeidentification, actor, correlationId, cancellationToken).ConfigureAwait(false);
        }

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

            // Copies of studies that left the archive (retention sweep, erasure) go with them.
            var gone = new List<string>();
            await foreach (var studyKey in _ledger.ListStudyKeysAsync(agreement.Id, cancellationToken).ConfigureAwait(false))
            {
                if (!seen.Contains(studyKey))
                {
                    gone.Add(studyKey);
                }
            }

            foreach (var studyKey in gone)
            {
                if (await _ledger.GetAsync(agreement.Id, studyKey, cancellationToken).ConfigureAwait(false) is { } entry)
                {
                    await WithdrawAsync(run, entry, "source-deleted", cancellationToken).ConfigureAwait(false);
                }
            }

            var admin = run.BuildAdminManifest(seen.Count);
            await _ledger.PutManifestAsync(agreement.Id, admin, cancellationToken).ConfigureAwait(false);
            var forResearchers = admin with { Schema = ExportManifest.ResearchSchemaId, ExcludedStudies = null };
            using (var json = new MemoryStream(forResearchers.ToJson(), writable: false))
            {
                await _research.PutAsync(ResearchNames.Manifest(agreement.Id), json, "application/json", null, cancellationToken).ConfigureAwait(false);
            }

            return new ResearchExportResult(admin);
        }
        finally
        {
            TryDeleteDirectory(tempDirectory);
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

    private static void TryDeleteDirectory(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort; the directory holds de-identified copies only and lives under the temp root.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private async Task<DataSharingAgreement> LoadAgreementAsync(string agreementId, AuditActor actor, string? correlationId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!DataSharingAgreement.IsValidId(agreementId))
        {
            throw await RefuseAsync(null, null, ExportRefusalReason.InvalidAgreementId, actor, correlationId, cancellationToken).ConfigureAwait(false);
        }

        StoredAgreement? stored;
        try
        {
            stored = await _agreements.GetAsync(agreementId, cancellationToken).ConfigureAwait(false);
        }
        catch (AgreementFormatException)
        {
            throw await RefuseAsync(agreementId, null, ExportRefusalReason.AgreementInvalid, actor, correlationId, cancellationToken).ConfigureAwait(false);
        }

        if (stored is null)
        {
            throw await RefuseAsync(agreementId, null, ExportRefusalReason.AgreementNotFound, actor, correlationId, cancellationToken).ConfigureAwait(false);
        }

        var agreement = stored.Agreement;
        if (agreement.Status == AgreementStatus.Closed)
        {
            throw await RefuseAsync(agreementId, agreement, ExportRefusalReason.AgreementClosed, actor, correlationId, cancellationToken).ConfigureAwait(false);
        }

        if (!agreement.IsInForceAt(now))
        {
            var reason = now < agreement.ValidFrom ? ExportRefusalReason.AgreementNotYetValid : ExportRefusalReason.AgreementExpired;
            throw await RefuseAsync(agreementId, agreement, reason, actor, correlationId, cancellationToken).ConfigureAwait(false);
        }

        return agreement;
    }

    private async Task<ExportRefusedException> RefuseAsync(string? agreementId, DataSharingAgreement? agreement, ExportRefusalReason reason, AuditActor actor, string? correlationId, CancellationToken cancellationToken)
    {
        var refused = new ExportRefusedException(agreementId, reason);
        await _audit.AppendAsync(
            new AuditEvent
            {
                EventType = AuditEventType.SecurityAlert,
                Action = AuditAction.Execute,
                Outcome = AuditOutcome.MinorFailure,
                Actor = actor,
                PurposeOfUse = agreement is not null && AuditFieldCheck.IsPurposeOfUse(agreement.PurposeOfUse) ? agreement.PurposeOfUse : null,
                AgreementId = agreementId,
                CorrelationId = correlationId,
                Details = ["research-export-refused", "reason=" + refused.ReasonCode],
            },
            cancellationToken).ConfigureAwait(false);
        return refused;
    }

    private async Task ExportStudyAsync(ExportRun run, StudyIndexGroup study, CancellationToken cancellationToken)
    {
        var existing = await _ledger.GetAsync(run.Agreement.Id, study.StudyKey, cancellationToken).ConfigureAwait(false);
        var (records, readFailure) = await ReadIndexAsync(run, study, cancellationToken).ConfigureAwait(false);
        if (readFailure is { } failure)
        {
            await ExcludeAsync(run, study.StudyKey, existing, failure, cancellationToken).ConfigureAwait(false);
            return;
        }

        var selected = records.Where(r => run.Agreement.Selection.Matches(r.Record)).ToList();
        if (selected.Count == 0)
        {
            await ExcludeAsync(run, study.StudyKey, existing, ExclusionReason.NotSelected, cancellationToken).ConfigureAwait(false);
            return;
        }

        var decision = await GateAsync(run, selected, cancellationToken).ConfigureAwait(false);
        if (!decision.Allowed)
        {
            await ExcludeAsync(run, study.StudyKey, existing, decision.Reason ?? ExclusionReason.NotSelected, cancellationToken).ConfigureAwait(false);
            return;
        }

        var patient = selected.Select(r => r.Record.PatientPseudonym).FirstOrDefault(p => p is not null && OpaqueKey.IsValid(p));
        var sourceHash = SourceHash(selected.Select(r => r.Entry));
        var reusable = existing is not null && existing.SettingsHash == run.Deidentification.Hash
            ? existing.Instances.ToDictionary(i => i.InstanceKey, StringComparer.Ordinal)
            : new Dictionary<string, ExportLedgerInstance>(StringComparer.Ordinal);
        var kept = new List<ExportLedgerInstance>();
        var todo = new List<IndexedRecord>();
        foreach (var record in selected)
        {
            if (reusable.TryGetValue(record.Entry.InstanceKey, out var prior) && string.Equals(prior.SourceVersion, record.Entry.Version, StringComparison.Ordinal))
            {
                kept.Add(prior);
            }
            else
            {
                todo.Add(record);
            }
        }

        if (todo.Count == 0 && existing is not null && existing.SettingsHash == run.Deidentification.Hash
            && existing.SourceHash == sourceHash && existing.Instances.Count == kept.Count)
        {
            run.Present(existing, written: false, 0, 0);
            return;
        }

        var (staged, stageFailure) = await StageAsync(run, study.StudyKey, todo, cancellationToken).ConfigureAwait(false);
        try
        {
            var studyUids = staged.Select(s => s.StudyUid).Concat(kept.Count > 0 && existing is not null ? [existing.ResearchStudyUid] : []).Distinct(StringComparer.Ordinal).ToList();
            if (stageFailure is null && studyUids.Count != 1)
            {
                // One archive study must map to one research study; anything else would split or merge studies.
                stageFailure = ExclusionReason.DeidentificationRefused;
            }

            if (stageFailure is { } refused)
            {
                await ExcludeAsync(run, study.StudyKey, existing, refused, cancellationToken).ConfigureAwait(false);
                return;
            }

            await PublishAsync(run, study.StudyKey, patient, studyUids[0], sourceHash, existing, kept, staged, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            foreach (var s in staged)
            {
                TryDelete(s.Path);
            }
        }
    }

    private async Task PublishAsync(
        ExportRun run,
        string studyKey,
        string? patient,
        string researchStudyUid,
        string sourceHash,
        ExportLedgerEntry? existing,
        List<ExportLedgerInstance> kept,
        IReadOnlyList<StagedInstance> staged,
        CancellationToken cancellationToken)
    {
        var written = staged.Select(s => new ExportLedgerInstance
        {
            InstanceKey = s.Entry.InstanceKey,
            SourceVersion = s.Entry.Version,
            SeriesUid = s.SeriesUid,
            InstanceUid = s.InstanceUid,
            BlobName = s.BlobName,
            Bytes = s.Length,
        }).ToList();
        var instances = kept.Concat(written).OrderBy(i => i.BlobName, StringComparer.Ordinal).ToList();
        var names = instances.Select(i => i.BlobName).ToHashSet(StringComparer.Ordinal);
        var obsolete = existing?.Instances.Where(i => !names.Contains(i.BlobName)).ToList() ?? [];
        var entry = new ExportLedgerEntry
        {
            AgreementId = run.Agreement.Id,
            StudyKey = studyKey,
            PatientPseudonym = patient,
            ResearchStudyUid = researchStudyUid,
            SettingsHash = run.Deidentification.Hash,
            SourceHash = sourceHash,
            Instances = instances,
            FirstExportedAt = existing?.FirstExportedAt ?? run.StartedAt,
            UpdatedAt = run.StartedAt,
        };

        // Record every name that may exist before any upload, so no crash can leave a copy the ledger does not know.
        var pending = entry with
        {
            SettingsHash = PendingPrefix + entry.SettingsHash,
            SourceHash = PendingPrefix + entry.SourceHash,
            Instances = instances.Concat(obsolete).ToList(),
        };
        await _ledger.PutAsync(pending, cancellationToken).ConfigureAwait(false);

        await Parallel.ForEachAsync(
            staged,
            new ParallelOptions { MaxDegreeOfParallelism = run.Parallelism, CancellationToken = cancellationToken },
            async (s, token) =>
            {
                var content = new FileStream(s.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);
                await using (content.ConfigureAwait(false))
                {
                    await _research.PutAsync(s.BlobName, content, DicomContentType, run.Tags, token).ConfigureAwait(false);
                }
            }).ConfigureAwait(false);

        foreach (var old in obsolete)
        {
            await _research.DeleteAsync(old.BlobName, cancellationToken).ConfigureAwait(false);
        }

        var bytes = written.Sum(w => w.Bytes);
        var details = new List<string>
        {
            existing is null ? "research-copy-created" : "research-copy-updated",
            "instances=" + written.Count.ToString(CultureInfo.InvariantCulture),
        };
        if (obsolete.Count > 0)
        {
            details.Add("instances-removed=" + obsolete.Count.ToString(CultureInfo.InvariantCulture));
        }

        // An update that only dropped instances (no longer selected) released nothing new: it is a deletion.
        var action = written.Count > 0 ? AuditAction.Create : AuditAction.Delete;
        await AuditAsync(run, action, studyKey, patient, bytes, details, cancellationToken).ConfigureAwait(false);
        await _ledger.PutAsync(entry, cancellationToken).ConfigureAwait(false);
        run.Present(entry, written: true, written.Count, bytes, obsolete.Count);
    }

    private async Task ExcludeAsync(ExportRun run, string studyKey, ExportLedgerEntry? existing, ExclusionReason reason, CancellationToken cancellationToken)
    {
        if (existing is not null)
        {
            await WithdrawAsync(run, existing, ExclusionReasonCodes.Code(reason), cancellationToken).ConfigureAwait(false);
        }

        run.Excluded(studyKey, reason);
    }

    private async Task WithdrawAsync(ExportRun run, ExportLedgerEntry entry, string reasonCode, CancellationToken cancellationToken)
    {
        foreach (var instance in entry.Instances)
        {
            await _research.DeleteAsync(instance.BlobName, cancellationToken).ConfigureAwait(false);
        }

        await AuditAsync(
            run,
            AuditAction.Delete,
            entry.StudyKey,
            entry.PatientPseudonym,
            entry.Instances.Sum(i => i.Bytes),
            ["research-copy-withdrawn", "reason=" + reasonCode, "instances=" + entry.Instances.Count.ToString(CultureInfo.InvariantCulture)],
            cancellationToken).ConfigureAwait(false);
        await _ledger.DeleteAsync(entry.AgreementId, entry.StudyKey, cancellationToken).ConfigureAwait(false);
        run.Removed(entry.Instances.Count);
    }

    private Task AuditAsync(ExportRun run, AuditAction action, string studyKey, string? patient, long bytes, IReadOnlyList<string> details, CancellationToken cancellationToken) =>
        _audit.AppendAsync(
            new AuditEvent
            {
                EventType = AuditEventType.Export,
                Action = action,
                Outcome = AuditOutcome.Success,
                Actor = run.Actor,
                PurposeOfUse = AuditFieldCheck.IsPurposeOfUse(run.Agreement.PurposeOfUse) ? run.Agreement.PurposeOfUse : null,
                AgreementId = run.Agreement.Id,
                Study = new OpaqueKey(studyKey),
                Patient = patient is not null && OpaqueKey.IsValid(patient) ? new OpaqueKey(patient) : null,
                Bytes = bytes,
                CorrelationId = run.CorrelationId,
                Details = details,
            },
            cancellationToken);

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
                    var record = await _index.ReadAsync(entry.StudyKey, entry.InstanceKey, token).ConfigureAwait(false);
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
            var consent = patient is null ? null : await _consents.GetAsync(patient, cancellationToken).ConfigureAwait(false);
            var decision = ExportGate.Evaluate(run.Agreement, new StudyFacts(patient, studyDate, modalities, bodyParts), consent, run.StartedAt);
            if (!decision.Allowed)
            {
                return decision;
            }
        }

        return ExportDecision.Allow;
    }

    private async Task<(List<StagedInstance> Staged, ExclusionReason? Failure)> StageAsync(ExportRun run, string studyKey, List<IndexedRecord> todo, CancellationToken cancellationToken)
    {
        var staged = new ConcurrentBag<StagedInstance>();
        ExclusionReason? failure = null;
        using var study = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            await Parallel.ForEachAsync(
                todo,
                new ParallelOptions { MaxDegreeOfParallelism = run.Parallelism, CancellationToken = study.Token },
                async (item, token) =>
                {
                    await run.InstanceSlots.WaitAsync(token).ConfigureAwait(false);
                    try
                    {
                        var (instance, reason) = await StageInstanceAsync(run, studyKey, item, token).ConfigureAwait(false);
                        if (instance is not null)
                        {
                            staged.Add(instance);
                        }
                        else
                        {
                            lock (staged)
                            {
                                failure ??= reason;
                            }

                            // The study is withheld whole: no need to de-identify the rest.
                            await study.CancelAsync().ConfigureAwait(false);
                        }
                    }
                    finally
                    {
                        run.InstanceSlots.Release();
                    }
                }).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (failure is not null && !cancellationToken.IsCancellationRequested)
        {
            // Cancelled by the first failure above.
        }
        catch
        {
            foreach (var s in staged)
            {
                TryDelete(s.Path);
            }

            throw;
        }

        return ([.. staged], failure);
    }

    private async Task<(StagedInstance? Instance, ExclusionReason? Failure)> StageInstanceAsync(ExportRun run, string studyKey, IndexedRecord item, CancellationToken cancellationToken)
    {
        var name = ArchiveNames.Instance(studyKey, item.Entry.InstanceKey);
        var cipher = await _archive.OpenReadWithInfoAsync(name, cancellationToken).ConfigureAwait(false);
        if (cipher is null)
        {
            return (null, ExclusionReason.Unreadable);
        }

        string? path = null;
        try
        {
            await using (cipher.ConfigureAwait(false))
            {
                var plain = await run.Decryptor.OpenReadAsync(cipher.Content, cipher.Info.Metadata, name, cipher.Info.Length, leaveOpen: true, cancellationToken: cancellationToken).ConfigureAwait(false);
                await using (plain.ConfigureAwait(false))
                {
                    // The reader spools bulk values of this forward-only stream to a temporary file it owns (deleted on
                    // dispose); only the small values are held in memory.
                    var file = await DicomFile.ReadAsync(plain, run.ReaderOptions, cancellationToken).ConfigureAwait(false);
                    await using (file.ConfigureAwait(false))
                    {
                        var result = await run.Deidentifier.DeidentifyAsync(file, run.TempDirectory, cancellationToken).ConfigureAwait(false);
                        try
                        {
                            if (!result.Succeeded)
                            {
                                return (null, ExclusionReason.DeidentificationRefused);
                            }

                            var ds = file.Dataset;
                            var studyUid = Uid(ds.GetString(DicomTags.StudyInstanceUID));
                            var seriesUid = Uid(ds.GetString(DicomTags.SeriesInstanceUID));
                            var instanceUid = Uid(ds.GetString(DicomTags.SOPInstanceUID));
                            if (studyUid is null || seriesUid is null || instanceUid is null)
                            {
                                return (null, ExclusionReason.DeidentificationRefused);
                            }

                            path = Path.Combine(run.TempDirectory, Guid.NewGuid().ToString("N") + ".dcm");
                            long length;
                            var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
                            await using (output.ConfigureAwait(false))
                            {
                                await file.WriteAsync(output, null, cancellationToken).ConfigureAwait(false);
                                length = output.Length;
                            }

                            var blob = ResearchNames.Instance(run.Agreement.Id, studyUid, seriesUid, instanceUid);
                            var staged = new StagedInstance(item.Entry, studyUid, seriesUid, instanceUid, blob, path, length);
                            path = null;
                            return (staged, null);
                        }
                        finally
                        {
                            foreach (var spool in result.SpoolFiles)
                            {
                                TryDelete(spool);
                            }
                        }
                    }
                }
            }
        }
        catch (EnvelopeDecryptionException ex) when (ex.Reason == EnvelopeFailureReason.KeyDestroyed)
        {
            return (null, ExclusionReason.StudyShredded);
        }
        catch (Exception ex) when (ex is EnvelopeDecryptionException or DicomFormatException)
        {
            return (null, ExclusionReason.Unreadable);
        }
        catch (Exception ex) when (ex is DeidentificationException or DicomValueException or InvalidOperationException)
        {
            // As in DeidFileProcessor: a value the de-identifier or writer cannot handle withholds the instance (and
            // with it the study); the type alone is kept, never the message, which might quote a value.
            return (null, ExclusionReason.DeidentificationRefused);
        }
        finally
        {
            if (path is not null)
            {
                TryDelete(path);
            }
        }
    }

    private static string? Uid(string? value)
    {
        var uid = value?.Trim('\0', ' ');
        return DicomUid.IsValid(uid) ? uid : null;
    }

    private sealed record IndexedRecord(ArchiveIndexEntry Entry, InstanceIndexRecord Record);

    private sealed record StagedInstance(ArchiveIndexEntry Entry, string StudyUid, string SeriesUid, string InstanceUid, string BlobName, string Path, long Length);
}
