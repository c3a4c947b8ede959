using System.Globalization;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Ingest;
using CloudArchive.Core.Keys;
using CloudArchive.Core.Research.Agreements;
using CloudArchive.Core.Research.Export;
using CloudArchive.Core.Research.Publication;

namespace CloudArchive.Core.Lifecycle.Shred;

/// <summary>
/// A complete crypto-shred of one study, in this order: the keyring's shred (legal-hold check, then the tombstone,
/// which every process reads before using a study key, then the key with every version); the study's research copies
/// under every agreement (blobs, then ledger entry; audited 110106 as withdrawn); its quarantined uploads; one closing
/// 110105 line. Each step is idempotent, so a shred interrupted anywhere is finished by running it again, and when this
/// returns nothing of the study is readable or downloadable any more.
/// </summary>
public sealed class StudyShredder
{
    private readonly Keyring _keyring;
    private readonly IAgreementStore _agreements;
    private readonly IExportLedger _ledger;
    private readonly IResearchStore _research;
    private readonly IQuarantineLifecycle _quarantine;
    private readonly AuditLogWriter _audit;

    /// <summary>Creates the shredder.</summary>
    public StudyShredder(Keyring keyring, IAgreementStore agreements, IExportLedger ledger, IResearchStore research, IQuarantineLifecycle quarantine, AuditLogWriter audit)
    {
        _keyring = keyring ?? throw new ArgumentNullException(nameof(keyring));
        _agreements = agreements ?? throw new ArgumentNullException(nameof(agreements));
        _ledger = ledger ?? throw new ArgumentNullException(nameof(ledger));
        _research = research ?? throw new ArgumentNullException(nameof(research));
        _quarantine = quarantine ?? throw new ArgumentNullException(nameof(quarantine));
        _audit = audit ?? throw new ArgumentNullException(nameof(audit));
    }

    /// <summary>Shreds the study completely.</summary>
    /// <exception cref="KeyringException"><see cref="KeyringFailureReason.LegalHold"/>: held, nothing changed (the refusal is audited).</exception>
    /// <exception cref="LifecycleException"><see cref="LifecycleFailureReason.InvalidRequest"/>: not a study key or reason code.</exception>
    public async Task<StudyShredResult> ShredAsync(StudyShredRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!OpaqueKey.IsValid(request.StudyKey) || !LifecycleCodes.IsLowerCode(request.ReasonCode))
        {
            throw new LifecycleException(LifecycleFailureReason.InvalidRequest, "A shred needs an opaque study key and a lowercase reason code.");
        }

        var shred = await _keyring.ShredStudyAsync(new ShredRequest(request.StudyKey, request.Actor.Id, request.ReasonCode), cancellationToken).ConfigureAwait(false);

        int withdrawn = 0, agreements = 0;
        await foreach (var agreement in _agreements.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            var entry = await _ledger.GetAsync(agreement.Agreement.Id, request.StudyKey, cancellationToken).ConfigureAwait(false);
            if (entry is null)
            {
                continue;
            }

            withdrawn += await WithdrawAsync(agreement.Agreement, entry, request, cancellationToken).ConfigureAwait(false);
            agreements++;
        }

        var quarantined = await _quarantine.DeleteStudyAsync(request.StudyKey, cancellationToken).ConfigureAwait(false);
        await _audit.AppendAsync(
            new AuditEvent
            {
                EventType = AuditEventType.StudyDeleted,
                Action = AuditAction.Delete,
                Outcome = AuditOutcome.Success,
                Actor = request.Actor,
                Study = new OpaqueKey(request.StudyKey),
                CorrelationId = request.CorrelationId,
                Details =
                [
                    "study-shred-complete",
                    "reason=" + request.ReasonCode,
                    "key-existed=" + (shred.KeyExisted ? "true" : "false"),
                    "research-instances-withdrawn=" + withdrawn.ToString(CultureInfo.InvariantCulture),
                    "quarantine-deleted=" + quarantined.ToString(CultureInfo.InvariantCulture),
                ],
            },
            cancellationToken).ConfigureAwait(false);
        return new StudyShredResult(request.StudyKey, shred.KeyExisted, shred.ShreddedAt, withdrawn, agreements, quarantined);
    }

    private async Task<int> WithdrawAsync(DataSharingAgreement agreement, ExportLedgerEntry entry, StudyShredRequest request, CancellationToken cancellationToken)
    {
        // Blobs first, ledger entry last: an interrupted withdrawal leaves the entry that names what is still to delete.
        foreach (var instance in entry.Instances)
        {
            await _research.DeleteAsync(instance.BlobName, cancellationToken).ConfigureAwait(false);
        }

        await _audit.AppendAsync(
            new AuditEvent
            {
                EventType = AuditEventType.Export,
                Action = AuditAction.Delete,
                Outcome = AuditOutcome.Success,
                Actor = request.Actor,
                AgreementId = agreement.Id,
                Study = new OpaqueKey(request.StudyKey),
                Patient = entry.PatientPseudonym is { } p && OpaqueKey.IsValid(p) ? new OpaqueKey(p) : null,
                Bytes = entry.Instances.Sum(i => i.Bytes),
                CorrelationId = request.CorrelationId,
                Details = ["research-copy-withdrawn", "reason=study-shredded", "instances=" + entry.Instances.Count.ToString(CultureInfo.InvariantCulture)],
            },
            cancellationToken).ConfigureAwait(false);
        await _ledger.DeleteAsync(agreement.Id, request.StudyKey, cancellationToken).ConfigureAwait(false);
        return entry.Instances.Count;
    }
}
