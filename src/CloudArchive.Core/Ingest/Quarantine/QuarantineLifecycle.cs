using CloudArchive.Core.Archive;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Keys;

namespace CloudArchive.Core.Ingest.Quarantine;

/// <summary>
/// <see cref="IQuarantineLifecycle"/> over the quarantine store's tag queries: a study's copies go with its shred or
/// erasure, and every copy goes when its <c>ca_retain_until</c> has passed. Paged, idempotent (a deleted id is
/// simply not found again), and a copy whose blob carries <c>ca_hold=1</c> or whose study is under legal hold
/// (<see cref="ILegalHoldQuery"/>) is never deleted. Each deletion is audited (110105, detail <c>quarantine-deleted</c>).
/// </summary>
public sealed class QuarantineLifecycle : IQuarantineLifecycle
{
    private readonly IQuarantineStore _store;
    private readonly ILegalHoldQuery _holds;
    private readonly AuditLogWriter _audit;
    private readonly AuditActor _actor;

    /// <summary>Creates the lifecycle.</summary>
    /// <param name="store">The quarantine container.</param>
    /// <param name="holds">Legal holds by study.</param>
    /// <param name="audit">Receives one 110105 line per deleted upload.</param>
    /// <param name="actor">Who deletes (default: the lifecycle service).</param>
    public QuarantineLifecycle(IQuarantineStore store, ILegalHoldQuery holds, AuditLogWriter audit, AuditActor? actor = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _holds = holds ?? throw new ArgumentNullException(nameof(holds));
        _audit = audit ?? throw new ArgumentNullException(nameof(audit));
        _actor = actor ?? new AuditActor("svc:cloudarchive-lifecycle", app: "cloudarchive", role: "lifecycle");
    }

    /// <inheritdoc />
    public async Task<int> DeleteStudyAsync(string studyKey, CancellationToken cancellationToken)
    {
        if (!OpaqueKey.IsValid(studyKey))
        {
            throw new ArgumentException("Not an opaque study key.", nameof(studyKey));
        }

        if (await _holds.IsStudyOnHoldAsync(studyKey, cancellationToken).ConfigureAwait(false))
        {
            return 0;
        }

        var deleted = 0;
        string? token = null;
        do
        {
            var page = await _store.FindByStudyAsync(studyKey, token, cancellationToken).ConfigureAwait(false);
            foreach (var id in page.Ids)
            {
                if (await TryDeleteAsync(id, "study-deleted", _ => Task.FromResult(false), cancellationToken).ConfigureAwait(false))
                {
                    deleted++;
                }
            }

            token = page.ContinuationToken;
        }
        while (token is not null);

        return deleted;
    }

    /// <inheritdoc />
    public async Task<int> DeleteExpiredAsync(DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        // ca_retain_until means "keep at least until the end of this day": expired once a later day has begun.
        var today = DateOnly.FromDateTime(asOf.UtcDateTime);
        var held = new Dictionary<string, bool>(StringComparer.Ordinal);
        var deleted = 0;
        string? token = null;
        do
        {
            var page = await _store.FindRetainedBeforeAsync(today, token, cancellationToken).ConfigureAwait(false);
            foreach (var id in page.Ids)
            {
                if (await TryDeleteAsync(id, "retention-expired", IsHeldAsync, cancellationToken).ConfigureAwait(false))
                {
                    deleted++;
                }
            }

            token = page.ContinuationToken;
        }
        while (token is not null);

        return deleted;

        async Task<bool> IsHeldAsync(string studyKey)
        {
            if (!held.TryGetValue(studyKey, out var onHold))
            {
                onHold = await _holds.IsStudyOnHoldAsync(studyKey, cancellationToken).ConfigureAwait(false);
                held[studyKey] = onHold;
            }

            return onHold;
        }
    }

    private async Task<bool> TryDeleteAsync(string id, string cause, Func<string, Task<bool>> studyHeld, CancellationToken cancellationToken)
    {
        var tags = await _store.GetTagsAsync(id, cancellationToken).ConfigureAwait(false);
        if (tags is null)
        {
            return false;
        }

        var studyKey = tags.GetValueOrDefault(ArchiveMetadata.StudyTag);
        if (tags.GetValueOrDefault(ArchiveMetadata.HoldTag) == "1" || (studyKey is not null && await studyHeld(studyKey).ConfigureAwait(false)))
        {
            return false;
        }

        if (!await _store.DeleteAsync(id, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        await _audit.AppendAsync(
            new AuditEvent
            {
                EventType = AuditEventType.StudyDeleted,
                Action = AuditAction.Delete,
                Outcome = AuditOutcome.Success,
                Actor = _actor,
                Study = OpaqueKey.IsValid(studyKey) ? new OpaqueKey(studyKey!) : null,
                Patient = OpaqueKey.IsValid(tags.GetValueOrDefault(ArchiveMetadata.PatientTag)) ? new OpaqueKey(tags[ArchiveMetadata.PatientTag]) : null,
                Details = [QuarantineAuditDetails.Deleted, QuarantineAuditDetails.CausePrefix + cause, ImportAuditDetails.QuarantineIdPrefix + id],
            },
            cancellationToken).ConfigureAwait(false);
        return true;
    }
}
