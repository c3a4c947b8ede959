using System.Globalization;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Lifecycle.Shred;
using CloudArchive.Research.Agreements;
using CloudArchive.Research.Export;

namespace CloudArchive.Research.Publication;

/// <summary>
/// Withdraws a shredded study's research copies under every agreement: for each agreement whose ledger has the
/// study, its blobs, then one 110106 withdrawal line, then the ledger entry. Blobs go before the entry, so an
/// interrupted withdrawal leaves the entry that names what is still to delete, and running it again finishes it.
/// </summary>
public sealed class ResearchCopyWithdrawal : IDerivedCopies
{
    private readonly IAgreementStore _agreements;
    private readonly IExportLedger _ledger;
    private readonly IResearchStore _research;
    private readonly AuditLogWriter _audit;

    /// <summary>Creates the withdrawal over the agreement store, the export ledger and the research store.</summary>
    public ResearchCopyWithdrawal(IAgreementStore agreements, IExportLedger ledger, IResearchStore research, AuditLogWriter audit)
    {
        _agreements = agreements ?? throw new ArgumentNullException(nameof(agreements));
        _ledger = ledger ?? throw new ArgumentNullException(nameof(ledger));
        _research = research ?? throw new ArgumentNullException(nameof(research));
        _audit = audit ?? throw new ArgumentNullException(nameof(audit));
    }

    /// <inheritdoc />
    public async Task<DerivedCopiesWithdrawn> WithdrawStudyAsync(StudyShredRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
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

        return new DerivedCopiesWithdrawn(withdrawn, agreements);
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
