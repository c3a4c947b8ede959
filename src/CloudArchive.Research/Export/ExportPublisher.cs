using System.Globalization;
using CloudArchive.Core.Audit;
using CloudArchive.Research.Publication;

namespace CloudArchive.Research.Export;

/// <summary>
/// The publish step of an export: uploads a study's staged copies to the research store, removes copies no longer
/// released, keeps the ledger and audit log in step (110106), and writes the run's two manifests.
/// </summary>
/// <remarks>
/// Crash safety: before uploading, the ledger entry is written listing every name that may exist (marked pending so a
/// re-run never skips it); after uploading, the audit line is written and then the final ledger entry.
/// </remarks>
internal sealed class ExportPublisher(IResearchStore research, IExportLedger ledger, AuditLogWriter audit)
{
    private const string DicomContentType = "application/dicom";
    private const string PendingPrefix = "pending:";

    /// <summary>Releases a study: its kept copies plus the staged ones, removing the copies no longer part of it.</summary>
    public async Task PublishAsync(ExportRun run, StudyRelease release, CancellationToken cancellationToken)
    {
        var existing = release.Existing;
        var written = release.Staged.Select(s => new ExportLedgerInstance
        {
            InstanceKey = s.Entry.InstanceKey,
            SourceVersion = s.Entry.Version,
            SeriesUid = s.SeriesUid,
            InstanceUid = s.InstanceUid,
            BlobName = s.BlobName,
            Bytes = s.Length,
        }).ToList();
        var instances = release.Kept.Concat(written).OrderBy(i => i.BlobName, StringComparer.Ordinal).ToList();
        var names = instances.Select(i => i.BlobName).ToHashSet(StringComparer.Ordinal);
        var obsolete = existing?.Instances.Where(i => !names.Contains(i.BlobName)).ToList() ?? [];
        var entry = new ExportLedgerEntry
        {
            AgreementId = run.Agreement.Id,
            StudyKey = release.StudyKey,
            PatientPseudonym = release.Patient,
            ResearchStudyUid = release.ResearchStudyUid,
            SettingsHash = run.Deidentification.Hash,
            SourceHash = release.SourceHash,
            Instances = instances,
            FirstExportedAt = existing?.FirstExportedAt ?? run.StartedAt,
            UpdatedAt = run.StartedAt,
        };

        await UploadAsync(run, entry, release.Staged, obsolete, cancellationToken).ConfigureAwait(false);

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
        await AuditAsync(run, action, release.StudyKey, release.Patient, bytes, details, cancellationToken).ConfigureAwait(false);
        await ledger.PutAsync(entry, cancellationToken).ConfigureAwait(false);
        run.Present(entry, written: true, written.Count, bytes, obsolete.Count);
    }

    /// <summary>Counts a study as excluded, withdrawing its copies if an earlier run released them.</summary>
    public async Task ExcludeAsync(ExportRun run, string studyKey, ExportLedgerEntry? existing, ExclusionReason reason, CancellationToken cancellationToken)
    {
        if (existing is not null)
        {
            await WithdrawAsync(run, existing, ExclusionReasonCodes.Code(reason), cancellationToken).ConfigureAwait(false);
        }

        run.Excluded(studyKey, reason);
    }

    /// <summary>Deletes a study's copies, audits the withdrawal and drops its ledger entry.</summary>
    public async Task WithdrawAsync(ExportRun run, ExportLedgerEntry entry, string reasonCode, CancellationToken cancellationToken)
    {
        foreach (var instance in entry.Instances)
        {
            await research.DeleteAsync(instance.BlobName, cancellationToken).ConfigureAwait(false);
        }

        await AuditAsync(
            run,
            AuditAction.Delete,
            entry.StudyKey,
            entry.PatientPseudonym,
            entry.Instances.Sum(i => i.Bytes),
            ["research-copy-withdrawn", "reason=" + reasonCode, "instances=" + entry.Instances.Count.ToString(CultureInfo.InvariantCulture)],
            cancellationToken).ConfigureAwait(false);
        await ledger.DeleteAsync(entry.AgreementId, entry.StudyKey, cancellationToken).ConfigureAwait(false);
        run.Removed(entry.Instances.Count);
    }

    /// <summary>Writes the administrators' manifest (ledger) and the researchers' one (research store); returns the first.</summary>
    public async Task<ExportManifest> PublishManifestsAsync(ExportRun run, int archiveStudies, CancellationToken cancellationToken)
    {
        var admin = run.BuildAdminManifest(archiveStudies);
        await ledger.PutManifestAsync(run.Agreement.Id, admin, cancellationToken).ConfigureAwait(false);
        var forResearchers = admin with { Schema = ExportManifest.ResearchSchemaId, ExcludedStudies = null };
        using (var json = new MemoryStream(forResearchers.ToJson(), writable: false))
        {
            await research.PutAsync(ResearchNames.Manifest(run.Agreement.Id), json, "application/json", null, cancellationToken).ConfigureAwait(false);
        }

        return admin;
    }

    private async Task UploadAsync(ExportRun run, ExportLedgerEntry entry, IReadOnlyList<StagedInstance> staged, List<ExportLedgerInstance> obsolete, CancellationToken cancellationToken)
    {
        // Record every name that may exist before any upload, so no crash can leave a copy the ledger does not know.
        var pending = entry with
        {
            SettingsHash = PendingPrefix + entry.SettingsHash,
            SourceHash = PendingPrefix + entry.SourceHash,
            Instances = entry.Instances.Concat(obsolete).ToList(),
        };
        await ledger.PutAsync(pending, cancellationToken).ConfigureAwait(false);

        await Parallel.ForEachAsync(
            staged,
            new ParallelOptions { MaxDegreeOfParallelism = run.Parallelism, CancellationToken = cancellationToken },
            async (s, token) =>
            {
                var content = new FileStream(s.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);
                await using (content.ConfigureAwait(false))
                {
                    await research.PutAsync(s.BlobName, content, DicomContentType, run.Tags, token).ConfigureAwait(false);
                }
            }).ConfigureAwait(false);

        foreach (var old in obsolete)
        {
            await research.DeleteAsync(old.BlobName, cancellationToken).ConfigureAwait(false);
        }
    }

    private Task AuditAsync(ExportRun run, AuditAction action, string studyKey, string? patient, long bytes, IReadOnlyList<string> details, CancellationToken cancellationToken) =>
        audit.AppendAsync(
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
}
