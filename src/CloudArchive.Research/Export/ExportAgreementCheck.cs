using CloudArchive.Core.Audit;
using CloudArchive.Core.Retention;
using CloudArchive.Deidentification;
using CloudArchive.Research.Agreements;

namespace CloudArchive.Research.Export;

/// <summary>
/// The first step of an export: loads the agreement and checks that it may be exported now, with a usable
/// de-identification and copy retention. Every refusal is audited (110113) and thrown as <see cref="ExportRefusedException"/>.
/// </summary>
internal sealed class ExportAgreementCheck(IAgreementStore agreements, AuditLogWriter audit, string softwareVersion)
{
    /// <summary>The agreement, its de-identification and its copy retention, or a refusal.</summary>
    /// <exception cref="ExportRefusedException">The agreement may not be exported (audited).</exception>
    public async Task<(DataSharingAgreement Agreement, ExportDeidentification Deidentification, IsoPeriod Retention)> CheckAsync(
        string agreementId, AuditActor actor, string? correlationId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var agreement = await LoadAgreementAsync(agreementId, actor, correlationId, now, cancellationToken).ConfigureAwait(false);
        ExportDeidentification deidentification;
        try
        {
            deidentification = ExportDeidentification.Create(agreement.Deidentification, softwareVersion);
        }
        catch (DeidConfigurationException)
        {
            throw await RefuseAsync(agreement.Id, agreement, ExportRefusalReason.InvalidDeidentification, actor, correlationId, cancellationToken).ConfigureAwait(false);
        }

        if (!IsoPeriod.TryParse(agreement.CopyRetention, out var retention, out _))
        {
            throw await RefuseAsync(agreement.Id, agreement, ExportRefusalReason.InvalidDeidentification, actor, correlationId, cancellationToken).ConfigureAwait(false);
        }

        return (agreement, deidentification, retention);
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
            stored = await agreements.GetAsync(agreementId, cancellationToken).ConfigureAwait(false);
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
        await audit.AppendAsync(
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
}
