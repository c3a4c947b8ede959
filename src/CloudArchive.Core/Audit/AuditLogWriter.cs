using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CloudArchive.Core.Audit;

/// <summary>
/// Appends audit records to <c>log/{yyyy}/{MM}/{dd}/{HH}/{writerId}.jsonl</c>, each line chained to the previous
/// line (<see cref="AuditChain"/>; keyed HMAC format v2 when given the chain key, as the composition root always does). Concurrent callers are group-committed: while one append is in flight the
/// records that arrive queue up and go together, chained in arrival order, in the next single append (one storage
/// request for many records; a lone caller is never delayed). Appends are conditional on the expected length; on a
/// mismatch (412) the writer first checks that the blob still holds what it last saw: a blob that is shorter, gone, or
/// whose last known line changed was tampered with, so the writer records a 110113 Security Alert in a fresh blob
/// (writer id suffixed <c>-r{n}</c>) and never appends to the tampered blob again. Otherwise it re-reads the tail and
/// either finds its own last line there (an earlier attempt succeeded
/// but its response was lost: done, nothing written twice; an append is atomic, so the whole group landed) or
/// recomputes <c>seq</c> and <c>prevHash</c> and tries again. Every caller returns only once its own line is
/// durable. Thread-safe; one instance per writer id per process.
/// </summary>
public sealed class AuditLogWriter : IDisposable
{
    /// <summary>How much of a blob's end is read to find its last line (four maximal lines).</summary>
    internal const int TailWindow = AuditLogTail.TailWindow;

    /// <summary>The actor of the Security Alert a writer records when it finds its blob tampered with.</summary>
    public const string TamperActorId = "system:audit-writer";

    /// <summary>At most this many records go into one append (128 maximal lines: 1 MiB, well under an append block's 4 MiB).</summary>
    internal const int MaxGroup = 128;

    private readonly IAuditLogStore _store;
    private readonly TimeProvider _time;
    private readonly int _maxAttempts;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Queue<PendingRecord> _pending = new();
    private readonly IAuditChainKeySource? _chainKey;
    private readonly List<AuditEvent> _alerts = [];
    private AuditChainKey? _key;
    private AuditLogTail? _state;
    private int _generation;

    /// <summary>Creates a writer.</summary>
    /// <param name="store">Where the log lives.</param>
    /// <param name="writerId">Unique per process (e.g. the host instance id): lowercase letters, digits, '-'.</param>
    /// <param name="time">Clock for line times (UTC).</param>
    /// <param name="maxAttempts">How many position conflicts to absorb per append before giving up.</param>
    /// <param name="logger">Receives one warning per durable 110113 Security Alert line (codes only), which the deployed alert rule counts.</param>
    /// <param name="chainKey">The audit chain key: lines are written in the keyed format v2. Without it (tools and
    /// tests only; the composition root always passes the keyring's key) lines use the legacy unkeyed format v1.</param>
    public AuditLogWriter(IAuditLogStore store, string writerId, TimeProvider time, int maxAttempts = 8, ILogger<AuditLogWriter>? logger = null, IAuditChainKeySource? chainKey = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        if (!AuditBlobName.IsValidWriterId(writerId))
        {
            throw new ArgumentException("A writer id is lowercase letters, digits and '-' (at most 100 characters).", nameof(writerId));
        }

        _store = store;
        WriterId = writerId;
        _time = time;
        _maxAttempts = maxAttempts;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _chainKey = chainKey;
    }

    /// <summary>The fixed message prefix of the operational log line written for every durable 110113 line.</summary>
    /// <remarks>The security-alert rule in infra/modules/alerts.bicep searches the app's logs for it; keep them in step.</remarks>
    public const string SecurityAlertLogPrefix = "AuditSecurityAlert";

    /// <summary>This writer's id.</summary>
    public string WriterId { get; }

    /// <summary>The writer id in the blob names and lines now: <see cref="WriterId"/>, or <c>{WriterId}-r{n}</c> after the
    /// writer abandoned <c>n</c> tampered blobs.</summary>
    public string CurrentWriterId => _generation == 0 ? WriterId : SuffixedWriterId(WriterId, _generation);

    /// <summary>Appends one event and returns the record as written, once it is durable.</summary>
    /// <remarks>
    /// Cancellation is honoured while the record still waits its turn; once it has been handed to an append, the
    /// call waits for that append's outcome, so a caller never walks away from a line that may yet be written.
    /// </remarks>
    /// <exception cref="AuditWriteConflictException">Lost the append race <c>maxAttempts</c> times.</exception>
    /// <exception cref="AuditLogCorruptException">The blob's last line is damaged.</exception>
    /// <exception cref="AuditStoreException">Storage failed.</exception>
    public async Task<AuditRecord> AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);

        // Fetched before the gate: creating the key is itself audited through this writer.
        if (_chainKey is not null && _key is null)
        {
            _key = await _chainKey.GetAsync(cancellationToken).ConfigureAwait(false);
        }

        var pending = new PendingRecord(auditEvent);
        lock (_pending)
        {
            _pending.Enqueue(pending);
        }

        try
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            lock (_pending)
            {
                if (!pending.Taken)
                {
                    pending.Taken = true;
                    pending.Completion.TrySetCanceled(cancellationToken);
                }
            }

            // Either cancelled above, or already part of a group in flight: its outcome is this call's outcome.
            return await pending.Completion.Task.ConfigureAwait(false);
        }

        try
        {
            if (!pending.Completion.Task.IsCompleted)
            {
                var group = TakeGroup();
                try
                {
                    foreach (var (member, record) in await AppendGroupAsync(group, CancellationToken.None).ConfigureAwait(false))
                    {
                        LogSecurityAlert(member.Event);
                        member.Completion.TrySetResult(record);
                    }
                }
                catch (Exception ex)
                {
                    foreach (var member in group)
                    {
                        member.Completion.TrySetException(ex);
                    }
                }
            }
        }
        finally
        {
            _gate.Release();
        }

        return await pending.Completion.Task.ConfigureAwait(false);
    }

    private List<PendingRecord> TakeGroup()
    {
        var group = new List<PendingRecord>();
        lock (_pending)
        {
            while (group.Count < MaxGroup && _pending.TryDequeue(out var next))
            {
                if (!next.Taken)
                {
                    next.Taken = true;
                    group.Add(next);
                }
            }
        }

        return group;
    }

    /// <summary>
    /// Appends a group as one block and returns the members written with their records; the caller holds the gate. A
    /// member whose record cannot be serialized (too long) fails on its own and is left out, so it never fails the group.
    /// The group's own callers may have gone, so no token.
    /// </summary>
    private async Task<List<(PendingRecord Member, AuditRecord Record)>> AppendGroupAsync(List<PendingRecord> group, CancellationToken cancellationToken)
    {
        try
        {
            string blobName = string.Empty;
            for (var attempt = 1; attempt <= _maxAttempts; attempt++)
            {
                var now = _time.GetUtcNow();
                blobName = AuditBlobName.For(now, CurrentWriterId);
                if (_state is null || _state.BlobName != blobName)
                {
                    _state = await AuditLogTail.LoadAsync(_store, blobName, createIfMissing: true, _key, cancellationToken).ConfigureAwait(false);
                }

                // Alerts about an abandoned blob go first, ahead of the group that found the tampering.
                var members = _alerts.Select(a => new PendingRecord(a) { Taken = true }).Concat(group).ToList();
                var written = new List<(PendingRecord Member, AuditRecord Record)>(members.Count);
                var lines = new List<byte[]>(members.Count);
                var sequence = _state.LastSequence;
                var previousHash = _state.LastHash;
                var size = 0;
                foreach (var member in members)
                {
                    var record = new AuditRecord(sequence + 1, previousHash, now, CurrentWriterId, member.Event)
                    {
                        FormatVersion = _key is null ? AuditLineSerializer.FormatVersion : AuditLineSerializer.KeyedFormatVersion,
                    };
                    byte[] line;
                    try
                    {
                        line = AuditLineSerializer.Serialize(record);
                    }
                    catch (AuditFormatException ex)
                    {
                        member.Completion.TrySetException(ex);
                        continue;
                    }

                    sequence++;
                    previousHash = _key?.Mac(line) ?? AuditChain.Hash(line);
                    size += line.Length + 1;
                    written.Add((member, record));
                    lines.Add(line);
                }

                if (written.Count == 0)
                {
                    return written;
                }

                var payload = new byte[size];
                var offset = 0;
                foreach (var line in lines)
                {
                    line.CopyTo(payload, offset);
                    offset += line.Length;
                    payload[offset++] = (byte)'\n';
                }

                AuditAppendOutcome outcome;
                try
                {
                    outcome = await _store.AppendAsync(blobName, payload, _state.Length, cancellationToken).ConfigureAwait(false);
                }
                catch (AuditStoreException ex) when (ex.IsNotFound)
                {
                    // The blob this writer created or read is gone: the check below names it as deleted.
                    outcome = AuditAppendOutcome.PositionMismatch;
                }

                var lastLine = lines[^1];
                if (outcome == AuditAppendOutcome.Appended)
                {
                    _state = new AuditLogTail(blobName, _state.Length + payload.Length, sequence, previousHash, lastLine);
                    _alerts.Clear();
                    return written;
                }

                if (await _state.FindTamperingAsync(_store, cancellationToken).ConfigureAwait(false) is { } tampering)
                {
                    Abandon(_state, tampering);
                    continue;
                }

                _state = await AuditLogTail.LoadAsync(_store, blobName, createIfMissing: false, _key, cancellationToken).ConfigureAwait(false);
                if (_state.LastLine is { } last && last.AsSpan().SequenceEqual(lastLine))
                {
                    // Our group is already there: a retried request whose first attempt succeeded.
                    _alerts.Clear();
                    return written;
                }
            }

            _state = null;
            throw new AuditWriteConflictException(blobName, _maxAttempts);
        }
        catch
        {
            // After a failure the cached tail may be stale (e.g. an append that failed on the wire may have
            // landed); the next append re-reads it.
            _state = null;
            throw;
        }
    }

    /// <summary>
    /// Stops writing to a tampered blob for good: later lines go to a blob under the next suffixed writer id, led by a
    /// 110113 line that names what was seen (codes only: the hour and generation identify the abandoned blob).
    /// </summary>
    private void Abandon(AuditLogTail tampered, string tampering)
    {
        var hour = AuditBlobName.TryParse(tampered.BlobName, out var h, out _) ? h : _time.GetUtcNow();
        _alerts.Add(new AuditEvent
        {
            EventType = AuditEventType.SecurityAlert,
            Action = AuditAction.Execute,
            Outcome = AuditOutcome.SeriousFailure,
            Actor = new AuditActor(TamperActorId, isRequestor: false),
            Details =
            [
                "audit-log-tampered",
                "tamper=" + tampering,
                string.Create(CultureInfo.InvariantCulture, $"abandoned-hour={hour.UtcDateTime:yyyyMMddHH}"),
                string.Create(CultureInfo.InvariantCulture, $"abandoned-generation={_generation}"),
            ],
        });
        _generation++;
        _state = null;
    }

    /// <summary>The writer id of generation <paramref name="generation"/>, shortened so it stays a valid writer id.</summary>
    internal static string SuffixedWriterId(string writerId, int generation)
    {
        var suffix = string.Create(CultureInfo.InvariantCulture, $"-r{generation}");
        var room = AuditBlobName.MaxWriterIdLength - suffix.Length;
        return (writerId.Length > room ? writerId[..room].TrimEnd('-') : writerId) + suffix;
    }

    // The audit log lives in blobs, where no alert rule can see it; an operational log line (event id, action,
    // outcome and detail codes only: audit fields are codes or opaque keys by construction) lets Azure Monitor count
    // denials and tampering findings without reading the log.
    private void LogSecurityAlert(AuditEvent auditEvent)
    {
        if (auditEvent.EventType == AuditEventType.SecurityAlert)
        {
#pragma warning disable CA1848, CA2254 // one rare line; the prefix is a constant shared with the alert rule
            _logger.LogWarning(
                SecurityAlertLogPrefix + " {AuditEventId} {AuditAction} {AuditOutcome} {AuditDetails} {CorrelationId}",
                (int)auditEvent.EventType,
                auditEvent.Action,
                auditEvent.Outcome,
                string.Join(',', auditEvent.Details),
                auditEvent.CorrelationId);
#pragma warning restore CA1848, CA2254
        }
    }

    /// <summary>Releases the writer's lock object.</summary>
    public void Dispose() => _gate.Dispose();

    /// <summary>A caller's record waiting for (or in) a group; <see cref="Taken"/> is guarded by the queue's lock.</summary>
    private sealed class PendingRecord(AuditEvent auditEvent)
    {
        public AuditEvent Event { get; } = auditEvent;

        public TaskCompletionSource<AuditRecord> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Taken { get; set; }
    }
}
