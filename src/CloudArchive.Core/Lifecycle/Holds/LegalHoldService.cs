using System.Runtime.CompilerServices;
using CloudArchive.Core.Archive;
using CloudArchive.Core.Audit;

namespace CloudArchive.Core.Lifecycle.Holds;

/// <summary>
/// Places, releases and lists legal holds. The hold document is written first, so the hold takes effect for every
/// process (sweep, erasure, shred) before any instance is tagged; then every covered instance gets <c>ca_hold</c> =
/// <c>1</c> (and a blob legal hold where the account supports version-level immutability). Instances ingested later
/// are covered by the document. Releasing needs a reason, and clears the tag only where no other active hold covers
/// the instance. Both are audited (110103, update) with the hold id and case code; the reasons stay in the document.
/// </summary>
public sealed class LegalHoldService
{
    private const int PageSize = 500;
    private const int MaxReplaceAttempts = 5;
    private const int MaxReasonLength = 1000;

    private readonly ILifecycleDocumentStore _documents;
    private readonly IArchiveTagIndex _tags;
    private readonly AuditLogWriter _audit;
    private readonly TimeProvider _time;

    /// <summary>Creates the service.</summary>
    public LegalHoldService(ILifecycleDocumentStore documents, IArchiveTagIndex tags, AuditLogWriter audit, TimeProvider? time = null)
    {
        _documents = documents ?? throw new ArgumentNullException(nameof(documents));
        _tags = tags ?? throw new ArgumentNullException(nameof(tags));
        _audit = audit ?? throw new ArgumentNullException(nameof(audit));
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Places a hold and tags every instance it covers.</summary>
    /// <exception cref="LifecycleException"><see cref="LifecycleFailureReason.InvalidRequest"/>.</exception>
    public async Task<LegalHoldChange> PlaceAsync(LegalHoldRequest request, AuditActor actor, string? correlationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        if (!OpaqueKey.IsValid(request.Target))
        {
            throw new LifecycleException(LifecycleFailureReason.InvalidRequest, "The hold target must be an opaque study key or patient pseudonym.");
        }

        if (!LifecycleCodes.IsCode(request.Case))
        {
            throw new LifecycleException(LifecycleFailureReason.InvalidRequest, "The case must be a short code ([A-Za-z0-9._:-], up to 64 characters).");
        }

        RequireReason(request.Reason, "placing");
        var now = _time.GetUtcNow();
        var hold = new LegalHold
        {
            Id = LegalHoldNames.NewId(now),
            Scope = request.Scope,
            Target = request.Target,
            Case = request.Case,
            Reason = request.Reason.Trim(),
            PlacedBy = actor.Id,
            PlacedAt = now,
        };
        if (!await _documents.TryCreateAsync(LegalHoldJson.Name(hold.Id), LegalHoldJson.Serialize(hold), cancellationToken).ConfigureAwait(false))
        {
            throw new LifecycleException(LifecycleFailureReason.Contention, "A hold with the same id exists; retry.");
        }

        var changed = 0;
        await foreach (var instance in CoveredAsync(hold, cancellationToken).ConfigureAwait(false))
        {
            if (await _tags.SetHoldAsync(instance.Name, true, cancellationToken).ConfigureAwait(false))
            {
                changed++;
            }
        }

        await AuditAsync(hold, actor, correlationId, "legal-hold-placed", changed, cancellationToken).ConfigureAwait(false);
        return new LegalHoldChange(hold, changed, 0);
    }

    /// <summary>Releases a hold (a reason is required) and clears the tag of instances no other hold covers. Releasing a released hold changes nothing.</summary>
    /// <exception cref="LifecycleException"><see cref="LifecycleFailureReason.HoldNotFound"/>, <see cref="LifecycleFailureReason.InvalidRequest"/>.</exception>
    public async Task<LegalHoldChange> ReleaseAsync(string holdId, string reason, AuditActor actor, string? correlationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!LegalHoldNames.IsValidId(holdId))
        {
            throw new LifecycleException(LifecycleFailureReason.InvalidRequest, "Not a hold id (hold-yyyyMMdd-xxxxxxxx).");
        }

        RequireReason(reason, "releasing");
        var name = LegalHoldJson.Name(holdId);
        LegalHold released;
        for (var attempt = 0; ; attempt++)
        {
            var document = await _documents.GetAsync(name, cancellationToken).ConfigureAwait(false)
                ?? throw new LifecycleException(LifecycleFailureReason.HoldNotFound, $"No hold {holdId}.");
            var hold = LegalHoldJson.Parse(document.Content.Span, name);
            if (!hold.IsActive)
            {
                released = hold;
                break;
            }

            released = hold with { ReleasedAt = _time.GetUtcNow(), ReleasedBy = actor.Id, ReleaseReason = reason.Trim() };
            if (await _documents.TryReplaceAsync(name, LegalHoldJson.Serialize(released), document.ETag, cancellationToken).ConfigureAwait(false))
            {
                break;
            }

            if (attempt == MaxReplaceAttempts)
            {
                throw new LifecycleException(LifecycleFailureReason.Contention, $"Hold {holdId} kept changing; retry.");
            }
        }

        // The tags are cleared on every release call, so a release interrupted before this loop finishes is completed by repeating it.
        var remaining = await SnapshotAsync(cancellationToken).ConfigureAwait(false);
        int cleared = 0, kept = 0;
        await foreach (var instance in CoveredAsync(released, cancellationToken).ConfigureAwait(false))
        {
            var patient = remaining.HasPatientHolds ? PatientOf(await _tags.GetTagsAsync(instance.Name, cancellationToken).ConfigureAwait(false)) : null;
            if (remaining.Covers(instance.StudyKey, patient))
            {
                kept++;
                continue;
            }

            if (await _tags.SetHoldAsync(instance.Name, false, cancellationToken).ConfigureAwait(false))
            {
                cleared++;
            }
        }

        await AuditAsync(released, actor, correlationId, "legal-hold-released", cleared, cancellationToken).ConfigureAwait(false);
        return new LegalHoldChange(released, cleared, kept);
    }

    /// <summary>The holds, in id order; released ones only when <paramref name="includeReleased"/>.</summary>
    public async IAsyncEnumerable<LegalHold> ListAsync(bool includeReleased, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var name in _documents.ListAsync(LegalHoldNames.Prefix, cancellationToken).ConfigureAwait(false))
        {
            if (LegalHoldNames.IdOf(name) is null)
            {
                continue;
            }

            var document = await _documents.GetAsync(name, cancellationToken).ConfigureAwait(false);
            if (document is null)
            {
                continue;
            }

            var hold = LegalHoldJson.Parse(document.Content.Span, name);
            if (hold.IsActive || includeReleased)
            {
                yield return hold;
            }
        }
    }

    /// <summary>The active holds now.</summary>
    public async Task<HoldSnapshot> SnapshotAsync(CancellationToken cancellationToken)
    {
        var active = new List<LegalHold>();
        await foreach (var hold in ListAsync(includeReleased: false, cancellationToken).ConfigureAwait(false))
        {
            active.Add(hold);
        }

        return new HoldSnapshot(active);
    }

    /// <summary>The <c>ca_patient</c> value of a tag set, or null when absent or <c>none</c>.</summary>
    public static string? PatientOf(IReadOnlyDictionary<string, string>? tags) =>
        tags is not null && tags.TryGetValue(ArchiveMetadata.PatientTag, out var p) && OpaqueKey.IsValid(p) ? p : null;

    private async IAsyncEnumerable<TaggedInstance> CoveredAsync(LegalHold hold, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? token = null;
        do
        {
            var page = hold.Scope == LegalHoldScope.Study
                ? await _tags.FindStudyAsync(hold.Target, token, PageSize, cancellationToken).ConfigureAwait(false)
                : await _tags.FindPatientAsync(hold.Target, token, PageSize, cancellationToken).ConfigureAwait(false);
            foreach (var instance in page.Instances)
            {
                yield return instance;
            }

            token = page.ContinuationToken;
        }
        while (token is not null);
    }

    private static void RequireReason(string? reason, string what)
    {
        if (string.IsNullOrWhiteSpace(reason) || reason.Length > MaxReasonLength)
        {
            throw new LifecycleException(LifecycleFailureReason.InvalidRequest, $"A reason (1-{MaxReasonLength} characters) is required for {what} a hold.");
        }
    }

    private Task AuditAsync(LegalHold hold, AuditActor actor, string? correlationId, string what, int instances, CancellationToken cancellationToken) =>
        _audit.AppendAsync(
            new AuditEvent
            {
                EventType = AuditEventType.InstancesAccessed,
                Action = AuditAction.Update,
                Outcome = AuditOutcome.Success,
                Actor = actor,
                Study = hold.Scope == LegalHoldScope.Study ? new OpaqueKey(hold.Target) : null,
                Patient = hold.Scope == LegalHoldScope.Patient ? new OpaqueKey(hold.Target) : null,
                CorrelationId = correlationId,
                Details = [what, "hold=" + hold.Id, "case=" + hold.Case, "instances=" + instances.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            },
            cancellationToken);
}
