using System.Globalization;
using System.Runtime.CompilerServices;
using CloudArchive.Core.Archive;
using CloudArchive.Core.Audit;
using CloudArchive.Core.Crypto;
using CloudArchive.Core.Ingest;
using CloudArchive.Core.Keys;
using CloudArchive.Core.Lifecycle.Holds;
using CloudArchive.Core.Lifecycle.Shred;

namespace CloudArchive.Core.Lifecycle.Sweep;

/// <summary>
/// The retention sweep. It pages through Find Blobs by Tags for instances whose <c>ca_retain_until</c> is past and
/// whose <c>ca_hold</c> is <c>0</c>, one study at a time (a study's instances come together, so only one study is in
/// memory), and decides per study: held (a hold document or tag covers it: kept), partly expired (the expired instances
/// are deleted), or wholly expired (the study is shredded completely, <see cref="StudyShredder"/>, then its instances
/// are deleted). Deletion carries the condition <c>ca_hold = '0'</c>, so a hold placed meanwhile wins. Every step is
/// idempotent and the shred comes before the deletes, so a run interrupted anywhere and run again ends in the same
/// state. <see cref="PlanAsync"/> walks the same path without acting. Each deletion and shred is audited 110105.
/// </summary>
public sealed class RetentionSweepService
{
    /// <summary>The identity the scheduled sweep acts as in audit lines.</summary>
    public static readonly AuditActor ServiceActor = new("svc:cloudarchive-retention", app: "cloudarchive-functions", role: "retention");

    private readonly IArchiveTagIndex _tags;
    private readonly LegalHoldService _holds;
    private readonly DocumentLegalHoldQuery _holdQuery;
    private readonly StudyShredder _shredder;
    private readonly IQuarantineLifecycle _quarantine;
    private readonly AuditLogWriter _audit;
    private readonly InstanceIndexReader? _index;
    private readonly RetentionSweepOptions _options;

    /// <summary>Creates the sweep.</summary>
    /// <param name="tags">The archive's tag index.</param>
    /// <param name="holds">Hold documents.</param>
    /// <param name="holdQuery">Hold decisions per study.</param>
    /// <param name="shredder">Complete shreds of wholly expired studies.</param>
    /// <param name="quarantine">Expires quarantine copies.</param>
    /// <param name="audit">The audit log.</param>
    /// <param name="index">Reads the rule id of a planned item from its encrypted index record; null leaves it out.</param>
    /// <param name="options">Tuning.</param>
    public RetentionSweepService(IArchiveTagIndex tags, LegalHoldService holds, DocumentLegalHoldQuery holdQuery, StudyShredder shredder, IQuarantineLifecycle quarantine, AuditLogWriter audit, InstanceIndexReader? index = null, RetentionSweepOptions? options = null)
    {
        _tags = tags ?? throw new ArgumentNullException(nameof(tags));
        _holds = holds ?? throw new ArgumentNullException(nameof(holds));
        _holdQuery = holdQuery ?? throw new ArgumentNullException(nameof(holdQuery));
        _shredder = shredder ?? throw new ArgumentNullException(nameof(shredder));
        _quarantine = quarantine ?? throw new ArgumentNullException(nameof(quarantine));
        _audit = audit ?? throw new ArgumentNullException(nameof(audit));
        _index = index;
        _options = options ?? new RetentionSweepOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.PageSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxParallelism, 1);
    }

    /// <summary>What a run on <paramref name="asOf"/> would do, instance by instance, without acting.</summary>
    public async IAsyncEnumerable<SweepPlanItem> PlanAsync(DateOnly asOf, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var snapshot = await _holds.SnapshotAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var study in ExpiredStudiesAsync(asOf, cancellationToken).ConfigureAwait(false))
        {
            var action = await DecideAsync(snapshot, study, asOf, cancellationToken).ConfigureAwait(false);
            foreach (var instance in study.Expired)
            {
                yield return new SweepPlanItem(instance.StudyKey, instance.InstanceKey, instance.RetainUntil, await RuleOfAsync(instance, cancellationToken).ConfigureAwait(false), action);
            }
        }
    }

    /// <summary>Runs the sweep on <paramref name="asOf"/>.</summary>
    public async Task<SweepResult> RunAsync(DateOnly asOf, AuditActor actor, string? correlationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var snapshot = await _holds.SnapshotAsync(cancellationToken).ConfigureAwait(false);
        var totals = new long[5];
        using var slots = new SemaphoreSlim(_options.MaxParallelism, _options.MaxParallelism);
        var running = new List<Task>();
        try
        {
            await foreach (var study in ExpiredStudiesAsync(asOf, cancellationToken).ConfigureAwait(false))
            {
                // At most MaxParallelism studies are in memory and in flight; the listing waits for a free slot.
                await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
                running.RemoveAll(t => t.IsCompletedSuccessfully);
                running.Add(SweepStudyThenReleaseAsync(study, snapshot, asOf, actor, correlationId, totals, slots, cancellationToken));
                if (running.Find(t => t.IsFaulted || t.IsCanceled) is { } failed)
                {
                    await failed.ConfigureAwait(false);
                }
            }
        }
        finally
        {
            // Whatever happens to the listing, the studies already started finish (or fail) before this returns.
            await Task.WhenAll(running.Select(t => t.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default))).ConfigureAwait(false);
        }

        await Task.WhenAll(running).ConfigureAwait(false);
        long expired = totals[0], deleted = totals[1], shredded = totals[2], held = totals[3], withdrawn = totals[4];
        var quarantined = await _quarantine.DeleteExpiredAsync(new DateTimeOffset(asOf.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), cancellationToken).ConfigureAwait(false);
        var result = new SweepResult
        {
            AsOf = asOf,
            InstancesExpired = expired,
            InstancesDeleted = deleted,
            StudiesShredded = shredded,
            StudiesHeld = held,
            ResearchInstancesWithdrawn = withdrawn,
            QuarantineCopiesDeleted = quarantined,
        };
        await _audit.AppendAsync(
            new AuditEvent
            {
                EventType = AuditEventType.StudyDeleted,
                Action = AuditAction.Execute,
                Outcome = AuditOutcome.Success,
                Actor = actor,
                CorrelationId = correlationId,
                Details =
                [
                    "retention-sweep",
                    "as-of=" + asOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    "instances-deleted=" + deleted.ToString(CultureInfo.InvariantCulture),
                    "studies-shredded=" + shredded.ToString(CultureInfo.InvariantCulture),
                    "studies-held=" + held.ToString(CultureInfo.InvariantCulture),
                    "quarantine-deleted=" + quarantined.ToString(CultureInfo.InvariantCulture),
                ],
            },
            cancellationToken).ConfigureAwait(false);
        return result;
    }

    private async Task SweepStudyThenReleaseAsync(SweepStudy study, HoldSnapshot snapshot, DateOnly asOf, AuditActor actor, string? correlationId, long[] totals, SemaphoreSlim slots, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Yield();
            await SweepStudyAsync(study, snapshot, asOf, actor, correlationId, totals, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            slots.Release();
        }
    }

    /// <summary>One study's decision and action; totals: expired, deleted, shredded, held, research copies withdrawn.</summary>
    private async Task SweepStudyAsync(SweepStudy study, HoldSnapshot snapshot, DateOnly asOf, AuditActor actor, string? correlationId, long[] totals, CancellationToken cancellationToken)
    {
        Interlocked.Add(ref totals[0], study.Expired.Count);
        var studyKey = study.StudyKey;
        switch (await DecideAsync(snapshot, study, asOf, cancellationToken).ConfigureAwait(false))
        {
            case SweepAction.KeepHeld:
                Interlocked.Increment(ref totals[3]);
                await AuditAsync(actor, correlationId, studyKey, null, AuditOutcome.MinorFailure, ["retention-expired", "kept=legal-hold"], cancellationToken).ConfigureAwait(false);
                break;
            case SweepAction.DeleteInstance:
                foreach (var instance in study.Expired)
                {
                    if (await _tags.DeleteUnheldAsync(instance.Name, cancellationToken).ConfigureAwait(false) == InstanceDeletion.Deleted)
                    {
                        Interlocked.Increment(ref totals[1]);
                        await AuditAsync(actor, correlationId, studyKey, instance.InstanceKey, AuditOutcome.Success, ["retention-expired", "instance-deleted"], cancellationToken).ConfigureAwait(false);
                    }
                }

                break;
            default:
                StudyShredResult shred;
                try
                {
                    shred = await _shredder.ShredAsync(new StudyShredRequest(studyKey, actor, "retention-expired", correlationId), cancellationToken).ConfigureAwait(false);
                }
                catch (KeyringException ex) when (ex.Reason == KeyringFailureReason.LegalHold)
                {
                    // A hold placed since the decision: it wins, and the keyring audited the refusal.
                    Interlocked.Increment(ref totals[3]);
                    break;
                }

                Interlocked.Increment(ref totals[2]);
                Interlocked.Add(ref totals[4], shred.ResearchInstancesWithdrawn);
                // A whole-study walk already listed every instance (all expired and unheld, or the study would not
                // be shredded), so deleting those costs no second listing; otherwise the study is queried again.
                var removed = study.WalkedWhole
                    ? await DeleteListedAsync(study.Expired, cancellationToken).ConfigureAwait(false)
                    : await DeleteStudyInstancesAsync(studyKey, cancellationToken).ConfigureAwait(false);
                Interlocked.Add(ref totals[1], removed);
                await AuditAsync(actor, correlationId, studyKey, null, AuditOutcome.Success, ["retention-expired", "study-deleted", "instances-deleted=" + removed.ToString(CultureInfo.InvariantCulture)], cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>Deletes every instance of a (shredded) study, page by page; returns how many it deleted.</summary>
    internal async Task<long> DeleteStudyInstancesAsync(string studyKey, CancellationToken cancellationToken) =>
        await DeleteAllAsync(_tags, studyKey, _options.PageSize, cancellationToken).ConfigureAwait(false);

    private async Task<long> DeleteListedAsync(List<TaggedInstance> instances, CancellationToken cancellationToken)
    {
        long removed = 0;
        foreach (var instance in instances)
        {
            if (await _tags.DeleteUnheldAsync(instance.Name, cancellationToken).ConfigureAwait(false) == InstanceDeletion.Deleted)
            {
                removed++;
            }
        }

        return removed;
    }

    /// <summary>Deletes every unheld instance of a study through <paramref name="tags"/>, page by page.</summary>
    public static async Task<long> DeleteAllAsync(IArchiveTagIndex tags, string studyKey, int pageSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tags);
        long removed = 0;
        string? token = null;
        do
        {
            var page = await tags.FindStudyAsync(studyKey, token, pageSize, cancellationToken).ConfigureAwait(false);
            foreach (var instance in page.Instances)
            {
                if (await tags.DeleteUnheldAsync(instance.Name, cancellationToken).ConfigureAwait(false) == InstanceDeletion.Deleted)
                {
                    removed++;
                }
            }

            token = page.ContinuationToken;
        }
        while (token is not null);
        return removed;
    }

    private async Task<SweepAction> DecideAsync(HoldSnapshot snapshot, SweepStudy study, DateOnly asOf, CancellationToken cancellationToken)
    {
        if (study.WalkedWhole)
        {
            return DocumentLegalHoldQuery.IsHeld(snapshot, study.StudyKey, study.HasHeldTag, study.Patients) ? SweepAction.KeepHeld
                : study.HasUnexpired ? SweepAction.DeleteInstance : SweepAction.ShredStudy;
        }

        if (await _holdQuery.IsHeldAsync(snapshot, study.StudyKey, cancellationToken).ConfigureAwait(false))
        {
            return SweepAction.KeepHeld;
        }

        return await _tags.StudyHasUnexpiredAsync(study.StudyKey, asOf, cancellationToken).ConfigureAwait(false) ? SweepAction.DeleteInstance : SweepAction.ShredStudy;
    }

    /// <summary>
    /// The studies with expired, unheld instances, one at a time: a study's instances are listed together (name order),
    /// so one study is held at a time. Where the index walks the archive (<see cref="IArchiveTagIndex.ListsAllInNameOrder"/>)
    /// the walk also gathers what the decision needs, so a study costs no query of its own.
    /// </summary>
    private IAsyncEnumerable<SweepStudy> ExpiredStudiesAsync(DateOnly asOf, CancellationToken cancellationToken) =>
        _tags.ListsAllInNameOrder ? WalkedStudiesAsync(asOf, cancellationToken) : FoundStudiesAsync(asOf, cancellationToken);

    private async IAsyncEnumerable<SweepStudy> FoundStudiesAsync(DateOnly asOf, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        SweepStudy? study = null;
        string? token = null;
        do
        {
            var page = await _tags.FindExpiredAsync(asOf, token, _options.PageSize, cancellationToken).ConfigureAwait(false);
            token = page.ContinuationToken;
            foreach (var instance in page.Instances)
            {
                if (study is null || !string.Equals(study.StudyKey, instance.StudyKey, StringComparison.Ordinal))
                {
                    if (study is not null)
                    {
                        yield return study;
                    }

                    study = new SweepStudy(instance.StudyKey, walkedWhole: false);
                }

                study.Expired.Add(instance);
            }
        }
        while (token is not null);

        if (study is not null)
        {
            yield return study;
        }
    }

    private async IAsyncEnumerable<SweepStudy> WalkedStudiesAsync(DateOnly asOf, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var day = asOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        SweepStudy? study = null;
        string? token = null;
        do
        {
            var page = await _tags.ListAllAsync(token, _options.PageSize, cancellationToken).ConfigureAwait(false);
            token = page.ContinuationToken;
            foreach (var instance in page.Instances)
            {
                if (study is null || !string.Equals(study.StudyKey, instance.StudyKey, StringComparison.Ordinal))
                {
                    if (study is { Expired.Count: > 0 })
                    {
                        yield return study;
                    }

                    study = new SweepStudy(instance.StudyKey, walkedWhole: true);
                }

                // The same comparisons the tag queries make (ordinal on the ISO date), so both modes decide alike.
                var retention = string.CompareOrdinal(instance.RetainUntil, day);
                study.HasHeldTag |= instance.Hold == "1";
                study.HasUnexpired |= instance.InstanceKey.Length > 0 && retention >= 0;
                if (instance.Patient is { } patient && Audit.OpaqueKey.IsValid(patient))
                {
                    study.Patients.Add(patient);
                }

                if (instance.InstanceKey.Length > 0 && retention < 0 && instance.Hold == "0")
                {
                    study.Expired.Add(instance);
                }
            }
        }
        while (token is not null);

        if (study is { Expired.Count: > 0 })
        {
            yield return study;
        }
    }

    private async Task<string?> RuleOfAsync(TaggedInstance instance, CancellationToken cancellationToken)
    {
        if (_index is null)
        {
            return null;
        }

        try
        {
            return (await _index.ReadAsync(instance.StudyKey, instance.InstanceKey, cancellationToken).ConfigureAwait(false))?.RetentionRule;
        }
        catch (Exception ex) when (ex is KeyringException or EnvelopeDecryptionException or System.Text.Json.JsonException or InvalidDataException)
        {
            // A shredded study or an unreadable record: the plan still shows the item, without its rule.
            return null;
        }
    }

    private Task AuditAsync(AuditActor actor, string? correlationId, string studyKey, string? instanceKey, AuditOutcome outcome, IReadOnlyList<string> details, CancellationToken cancellationToken) =>
        _audit.AppendAsync(
            new AuditEvent
            {
                EventType = AuditEventType.StudyDeleted,
                Action = AuditAction.Delete,
                Outcome = outcome,
                Actor = actor,
                Study = new OpaqueKey(studyKey),
                Instance = instanceKey is null ? null : new OpaqueKey(instanceKey),
                CorrelationId = correlationId,
                Details = details,
            },
            cancellationToken);
}
