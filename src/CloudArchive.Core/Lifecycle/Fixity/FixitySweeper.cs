using System.Globalization;
using CloudArchive.Core.Audit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CloudArchive.Core.Lifecycle.Fixity;

/// <summary>
/// The fixity sweep (docs/lifecycle/reconcile.md): decrypt-verifies the archive one key-space bucket at a time so
/// that every blob is verified once per <see cref="FixityOptions.Period"/>. Each run first re-checks the open findings,
/// then verifies the buckets the elapsed share of the period calls for, recording each bucket's results and only then
/// moving the cursor. Interrupted anywhere, a re-run verifies the unfinished bucket again and ends in the same state.
/// </summary>
public sealed class FixitySweeper
{
    private readonly IArchiveInventory _inventory;
    private readonly ArchiveBlobVerifier _verifier;
    private readonly IFixityStore _store;
    private readonly AuditLogWriter _audit;
    private readonly FixityOptions _options;
    private readonly AuditActor _actor;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates the sweeper.</summary>
    /// <param name="inventory">Lists the archive bucket by bucket.</param>
    /// <param name="verifier">Decrypt-verifies one blob.</param>
    /// <param name="store">Cursor, results and findings in <c>control</c>.</param>
    /// <param name="audit">The audit log.</param>
    /// <param name="options">Period, run interval, time limit.</param>
    /// <param name="actor">Who runs the sweep (the timer, or an operator through the CLI).</param>
    /// <param name="timeProvider">Clock.</param>
    /// <param name="logger">Alerts (opaque keys and codes only).</param>
    public FixitySweeper(IArchiveInventory inventory, ArchiveBlobVerifier verifier, IFixityStore store, AuditLogWriter audit, FixityOptions options, AuditActor actor, TimeProvider? timeProvider = null, ILogger<FixitySweeper>? logger = null)
    {
        _inventory = inventory ?? throw new ArgumentNullException(nameof(inventory));
        _verifier = verifier ?? throw new ArgumentNullException(nameof(verifier));
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _audit = audit ?? throw new ArgumentNullException(nameof(audit));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _actor = actor ?? throw new ArgumentNullException(nameof(actor));
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        if (options.Validate() is { Count: > 0 } problems)
        {
            throw new ArgumentException(string.Join(' ', problems), nameof(options));
        }
    }

    /// <summary>Runs the sweep once, audited under the actor it was created with (the timer).</summary>
    /// <exception cref="InvalidOperationException">Another run moved the cursor meanwhile (this run's finished buckets are recorded; the next run continues).</exception>
    public Task<FixitySweepResult> RunAsync(string correlationId, CancellationToken cancellationToken) => RunAsync(correlationId, _actor, cancellationToken);

    /// <summary>Runs the sweep once on behalf of <paramref name="actor"/> (an operator through the CLI).</summary>
    /// <exception cref="InvalidOperationException">Another run moved the cursor meanwhile (this run's finished buckets are recorded; the next run continues).</exception>
    public async Task<FixitySweepResult> RunAsync(string correlationId, AuditActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var started = _time.GetUtcNow();
        var stored = await _store.GetStateAsync(cancellationToken).ConfigureAwait(false);
        var state = stored?.State ?? FixityState.Start(started);
        var etag = stored?.ETag;
        // The next cycle starts once the period is over; half an interval of slack keeps a run that fires a little
        // early (schedule jitter) from putting the new cycle off by a whole interval.
        if (state.IsComplete && started - state.CycleStarted >= _options.Period - (_options.RunInterval / 2))
        {
            state = new FixityState(state.Cycle + 1, started, 0, 0, 0, state.LastRun);
        }

        if (stored is null || state.Cycle != stored.Value.State.Cycle)
        {
            etag = await SaveAsync(state, etag, cancellationToken).ConfigureAwait(false);
        }

        var open = new HashSet<string>(StringComparer.Ordinal);
        var resolved = await RecheckFindingsAsync(open, actor, correlationId, cancellationToken).ConfigureAwait(false);
        var target = FixityKeySpace.Target(started - state.CycleStarted, _options.Period, _options.RunInterval);
        var first = state.NextBucket;
        long verified = 0, failed = 0, skipped = 0;
        var stoppedEarly = false;
        var unsaved = 0;
        while (state.NextBucket < target)
        {
            if (_time.GetUtcNow() - started >= _options.MaxRunDuration)
            {
                stoppedEarly = true;
                break;
            }

            var bucket = state.NextBucket;
            var results = new List<FixityResult>();
            await foreach (var name in _inventory.ListInstancesAsync(FixityKeySpace.Prefix(bucket), cancellationToken).ConfigureAwait(false))
            {
                var checkedBlob = await _verifier.VerifyAsync(name, cancellationToken).ConfigureAwait(false);
                results.Add(checkedBlob);
                if (checkedBlob.Outcome == FixityOutcome.Failed && open.Add(name))
                {
                    await RaiseAsync(state.Cycle, checkedBlob, actor, correlationId, cancellationToken).ConfigureAwait(false);
                }
            }

            var intact = results.Count(r => r.Outcome == FixityOutcome.Intact);
            var bad = results.Count(r => r.Outcome == FixityOutcome.Failed);
            verified += intact;
            failed += bad;
            skipped += results.Count - intact - bad;
            state = state with { NextBucket = bucket + 1, Verified = state.Verified + intact, Failed = state.Failed + bad, LastRun = _time.GetUtcNow() };
            if (results.Count > 0)
            {
                // An empty bucket has nothing to record, and listing it again after a crash costs one request, so the
                // cursor is stored after each bucket with results and every 64 buckets otherwise.
                await _store.WriteBucketAsync(new FixityBucketRecord(state.Cycle, bucket, FixityKeySpace.Prefix(bucket), _time.GetUtcNow(), results), cancellationToken).ConfigureAwait(false);
                etag = await SaveAsync(state, etag, cancellationToken).ConfigureAwait(false);
                unsaved = 0;
            }
            else if (++unsaved >= 64)
            {
                etag = await SaveAsync(state, etag, cancellationToken).ConfigureAwait(false);
                unsaved = 0;
            }
        }

        if (unsaved > 0)
        {
            etag = await SaveAsync(state, etag, cancellationToken).ConfigureAwait(false);
        }

        var summary = new FixitySweepResult(state.Cycle, first, state.NextBucket - first, verified, failed, skipped, resolved, state.IsComplete, stoppedEarly);
        if (summary.BucketsDone > 0 || resolved > 0)
        {
            await AuditRunAsync(summary, actor, correlationId, cancellationToken).ConfigureAwait(false);
        }

        return summary;
    }

    /// <summary>Verifies each open finding again: one whose blob is intact, shredded or gone is resolved; the rest stay in <paramref name="open"/>.</summary>
    private async Task<int> RecheckFindingsAsync(HashSet<string> open, AuditActor actor, string correlationId, CancellationToken cancellationToken)
    {
        var resolved = 0;
        await foreach (var finding in _store.ListFindingsAsync(cancellationToken).ConfigureAwait(false))
        {
            var result = await _verifier.VerifyAsync(finding.BlobName, cancellationToken).ConfigureAwait(false);
            if (result.Outcome == FixityOutcome.Failed)
            {
                open.Add(finding.BlobName);
                continue;
            }

            // Audited before the finding goes, so a crash in between repeats the line rather than losing it.
            await AppendAsync(actor, AuditEventType.InstancesAccessed, AuditAction.Read, AuditOutcome.Success, finding.BlobName, ["fixity-resolved", "fixity-outcome=" + Code(result.Outcome)], correlationId, cancellationToken).ConfigureAwait(false);
            if (await _store.RemoveFindingAsync(finding.BlobName, cancellationToken).ConfigureAwait(false))
            {
                resolved++;
            }
        }

        return resolved;
    }

    private async Task RaiseAsync(int cycle, FixityResult result, AuditActor actor, string correlationId, CancellationToken cancellationToken)
    {
        var problem = result.Problem ?? "decryption-failed";
        _logger.LogError(LifecycleLogEvents.FixityFailed, "FixitySweep {CorrelationId}: archive blob {BlobName} failed verification: {Problem}.", correlationId, result.BlobName, problem);

        // The alert line goes first: a crash before the finding is stored repeats the alert on the re-run instead of losing it.
        await AppendAsync(actor, AuditEventType.SecurityAlert, AuditAction.Read, AuditOutcome.MajorFailure, result.BlobName, ["fixity-failed", "problem=" + problem], correlationId, cancellationToken).ConfigureAwait(false);
        await _store.TryAddFindingAsync(new FixityFinding(result.BlobName, problem, _time.GetUtcNow(), cycle), cancellationToken).ConfigureAwait(false);
    }

    private Task AuditRunAsync(FixitySweepResult result, AuditActor actor, string correlationId, CancellationToken cancellationToken)
    {
        string Detail(string name, long value) => string.Create(CultureInfo.InvariantCulture, $"{name}={value}");
        var details = new List<string>
        {
            "fixity-sweep",
            Detail("cycle", result.Cycle),
            Detail("buckets", result.BucketsDone),
            Detail("verified", result.Verified),
            Detail("failed", result.Failed),
            Detail("skipped", result.Skipped),
            Detail("resolved", result.Resolved),
        };
        if (result.CycleComplete)
        {
            details.Add("cycle-complete");
        }

        var outcome = result.Failed > 0 ? AuditOutcome.MajorFailure : AuditOutcome.Success;
        return AppendAsync(actor, AuditEventType.InstancesAccessed, AuditAction.Read, outcome, null, details, correlationId, cancellationToken);
    }

    private async Task AppendAsync(AuditActor actor, AuditEventType type, AuditAction action, AuditOutcome outcome, string? blobName, IReadOnlyList<string> details, string correlationId, CancellationToken cancellationToken)
    {
        var keys = blobName is null ? null : ArchiveBlobKeys.TryParse(blobName);
        await _audit.AppendAsync(
            new AuditEvent
            {
                EventType = type,
                Action = action,
                Outcome = outcome,
                Actor = actor,
                Study = keys?.Study,
                Instance = keys?.Instance,
                CorrelationId = AuditFieldRules.CorrelationId().IsMatch(correlationId) ? correlationId : null,
                Details = details,
            },
            cancellationToken).ConfigureAwait(false);
    }

    private async Task<string> SaveAsync(FixityState state, string? etag, CancellationToken cancellationToken) =>
        await _store.TrySaveStateAsync(state, etag, cancellationToken).ConfigureAwait(false)
        ?? throw new InvalidOperationException("Another fixity sweep moved the cursor meanwhile; this run stops and the next one continues from the cursor.");

    private static string Code(FixityOutcome outcome) => outcome switch
    {
        FixityOutcome.Intact => "intact",
        FixityOutcome.Shredded => "shredded",
        FixityOutcome.Gone => "gone",
        _ => "failed",
    };
}
