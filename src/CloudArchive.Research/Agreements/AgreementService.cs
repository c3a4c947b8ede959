using System.Runtime.CompilerServices;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Keys;

namespace CloudArchive.Research.Agreements;

/// <summary>
/// Records, lists and closes data-sharing agreements. Creation makes sure the agreement's de-identification secret
/// exists in the keyring before the agreement does (so no export can ever find an agreement without its secret), and
/// every change is audited as 110100 Application Activity with the agreement id.
/// </summary>
public sealed class AgreementService
{
    private readonly IAgreementStore _store;
    private readonly Keyring _keyring;
    private readonly AuditLogWriter _audit;
    private readonly TimeProvider _time;

    /// <summary>Creates the service.</summary>
    public AgreementService(IAgreementStore store, Keyring keyring, AuditLogWriter audit, TimeProvider time)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _keyring = keyring ?? throw new ArgumentNullException(nameof(keyring));
        _audit = audit ?? throw new ArgumentNullException(nameof(audit));
        _time = time ?? throw new ArgumentNullException(nameof(time));
    }

    /// <summary>Records a new agreement and creates its secret.</summary>
    /// <exception cref="AgreementFormatException">The draft is invalid (nothing is written).</exception>
    /// <exception cref="AgreementOperationException">The id is taken (<see cref="AgreementOperationFailure.AlreadyExists"/>).</exception>
    public async Task<DataSharingAgreement> CreateAsync(AgreementDraft draft, AuditActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(actor);
        var agreement = draft.ToAgreement(_time.GetUtcNow(), actor.Id);
        AgreementValidator.Validate(agreement);
        if (await _store.GetAsync(agreement.Id, cancellationToken).ConfigureAwait(false) is not null)
        {
            throw new AgreementOperationException(AgreementOperationFailure.AlreadyExists, agreement.Id);
        }

        // The secret first: an agreement visible to exports always has its secret. A secret left behind by a failed
        // creation is harmless and reused if the same id is created again.
        _ = await _keyring.GetOrCreateProjectSecretAsync(agreement.Id, cancellationToken).ConfigureAwait(false);
        if (!await _store.TryCreateAsync(agreement, cancellationToken).ConfigureAwait(false))
        {
            throw new AgreementOperationException(AgreementOperationFailure.AlreadyExists, agreement.Id);
        }

        await AuditAsync(agreement, actor, AuditAction.Create, "agreement-created", cancellationToken).ConfigureAwait(false);
        return agreement;
    }

    /// <summary>Reads one agreement.</summary>
    /// <exception cref="AgreementOperationException">No such agreement.</exception>
    /// <exception cref="AgreementFormatException">The stored document is invalid.</exception>
    public async Task<StoredAgreement> GetAsync(string id, CancellationToken cancellationToken) =>
        await _store.GetAsync(id, cancellationToken).ConfigureAwait(false)
        ?? throw new AgreementOperationException(AgreementOperationFailure.NotFound, id);

    /// <summary>Lists every agreement, ordered by id.</summary>
    public async IAsyncEnumerable<StoredAgreement> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var stored in _store.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return stored;
        }
    }

    /// <summary>
    /// Closes an agreement: no further exports or fetches. Replaces the stored document only if it is unchanged since
    /// read (at <paramref name="expectedETag"/> when given, else since this call read it).
    /// </summary>
    /// <param name="id">The agreement.</param>
    /// <param name="reason">Why (short text, no patient data).</param>
    /// <param name="actor">Who closes it.</param>
    /// <param name="expectedETag">The version the caller saw, or null to close whatever is current.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <exception cref="AgreementOperationException">Not found, already closed, or changed meanwhile.</exception>
    /// <exception cref="AgreementFormatException">The reason is too long or has control characters.</exception>
    public async Task<DataSharingAgreement> CloseAsync(string id, string reason, AuditActor actor, string? expectedETag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new AgreementFormatException("closeReason", "a reason is required to close an agreement");
        }

        AgreementValidator.CheckText(reason, "closeReason", AgreementValidator.MaxReasonLength);
        var stored = await GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (expectedETag is not null && expectedETag != stored.ETag)
        {
            throw new AgreementOperationException(AgreementOperationFailure.Conflict, id);
        }

        if (stored.Agreement.Status == AgreementStatus.Closed)
        {
            throw new AgreementOperationException(AgreementOperationFailure.AlreadyClosed, id);
        }

        var closed = stored.Agreement with
        {
            Status = AgreementStatus.Closed,
            ClosedAt = _time.GetUtcNow(),
            ClosedBy = actor.Id,
            CloseReason = reason.Trim(),
        };
        if (!await _store.TryReplaceAsync(closed, stored.ETag, cancellationToken).ConfigureAwait(false))
        {
            throw new AgreementOperationException(AgreementOperationFailure.Conflict, id);
        }

        await AuditAsync(closed, actor, AuditAction.Update, "agreement-closed", cancellationToken).ConfigureAwait(false);
        return closed;
    }

    private Task<AuditRecord> AuditAsync(DataSharingAgreement agreement, AuditActor actor, AuditAction action, string detail, CancellationToken cancellationToken) =>
        _audit.AppendAsync(
            new AuditEvent
            {
                EventType = AuditEventType.ApplicationActivity,
                Action = action,
                Outcome = AuditOutcome.Success,
                Actor = actor,
                PurposeOfUse = agreement.PurposeOfUse,
                AgreementId = agreement.Id,
                Details = [detail],
            },
            cancellationToken);
}
