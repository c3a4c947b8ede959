using System.Globalization;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Ingest;
using CloudArchive.Core.Keys;

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
    private readonly IDerivedCopies _derivedCopies;
    private readonly IQuarantineLifecycle _quarantine;
    private readonly AuditLogWriter _audit;

    /// <summary>Creates the shredder.</summary>
    public StudyShredder(Keyring keyring, IDerivedCopies derivedCopies, IQuarantineLifecycle quarantine, AuditLogWriter audit)
    {
        _keyring = keyring ?? throw new ArgumentNullException(nameof(keyring));
        _derivedCopies = derivedCopies ?? throw new ArgumentNullException(nameof(derivedCopies));
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

        var withdrawn = await _derivedCopies.WithdrawStudyAsync(request, cancellationToken).ConfigureAwait(false);

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
                    "research-instances-withdrawn=" + withdrawn.Instances.ToString(CultureInfo.InvariantCulture),
                    "quarantine-deleted=" + quarantined.ToString(CultureInfo.InvariantCulture),
                ],
            },
            cancellationToken).ConfigureAwait(false);
        return new StudyShredResult(request.StudyKey, shred.KeyExisted, shred.ShreddedAt, withdrawn.Instances, withdrawn.Holders, quarantined);
    }
}
